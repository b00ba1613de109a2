// A plan: one complete, concrete programme for one couple (or one client).
#ifndef TANDEM_SCHEDULER_PLAN_H_
#define TANDEM_SCHEDULER_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"

namespace tandem::scheduler {

struct PlannedSession {
  // The template's session key ("joint", "individual-a", ...) and the 1-based
  // programme day, so a caller can label it "day 3 of 10, joint".
  std::string session_key;
  int programme_day = 0;
  absl::CivilDay date;
  int start_minute = 0;  // Minutes since local midnight, on the grid.
  int end_minute = 0;    // Exclusive.
  std::string room_id;
  // Therapists in this session: one or both members of the plan's team, or a
  // substitute (see substitute_for).
  std::vector<std::string> therapist_ids;
  // Set only by Repair: the id of the team member a same-sex substitute stands
  // in for during this session. Empty for every session Propose returns.
  std::string substitute_for;

  friend bool operator==(const PlannedSession&,
                         const PlannedSession&) = default;
};

struct Plan {
  std::string booking_id;
  std::string template_id;
  std::string male_therapist_id;
  std::string female_therapist_id;
  // Copied from the request so Repair can choose substitutes that honour it.
  std::string language;
  std::vector<std::string> excluded_therapist_ids;
  // Sorted by (date, start_minute, session_key).
  std::vector<PlannedSession> sessions;
  // Higher is better; see score.h for the definition.
  int64_t score = 0;

  friend bool operator==(const Plan&, const Plan&) = default;

  absl::CivilDay start_date() const {
    return sessions.empty() ? absl::CivilDay() : sessions.front().date;
  }
};

}  // namespace tandem::scheduler

#endif  // TANDEM_SCHEDULER_PLAN_H_
