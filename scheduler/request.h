// What a coordinator asks for: a programme for one couple in a start window.
#ifndef TANDEM_SCHEDULER_REQUEST_H_
#define TANDEM_SCHEDULER_REQUEST_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "scheduler/model.h"

namespace tandem::scheduler {

// Preferred part of the day for the first session of each day.
// Morning: starts before 12:00; afternoon: 12:00-16:59; evening: 17:00 on.
enum class TimeOfDay { kAny, kMorning, kAfternoon, kEvening };

struct Preferences {
  TimeOfDay time_of_day = TimeOfDay::kAny;
  // A specific standing team the couple would like (scores higher).
  std::optional<Team> standing_team;
  // Weigh "the same room every day" three times as heavily.
  bool same_room = false;
};

struct Request {
  std::string booking_id;  // Becomes Plan::booking_id; must be non-empty.
  std::string template_id;
  absl::CivilDay earliest_start;  // Clamped to the snapshot's `today`.
  absl::CivilDay latest_start;    // Inclusive; not before earliest_start.
  std::string language;           // Both therapists must speak it.
  std::vector<std::string> excluded_therapist_ids;
  // Dates the couple cannot attend: no session may fall on one (the programme
  // does not stretch around them; choose another start).
  std::vector<absl::CivilDay> blackout_dates;
  // Used by kSameSexAsPartner / kOtherSexThanPartner roles.
  Sex partner_a_sex = Sex::kMale;
  Sex partner_b_sex = Sex::kFemale;
  Preferences preferences;
};

}  // namespace tandem::scheduler

#endif  // TANDEM_SCHEDULER_REQUEST_H_
