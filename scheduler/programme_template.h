// Programme templates are data, not code: a list of days, each with sessions.
//
// Day placement: day 1 falls on the chosen start date (an open clinic day);
// day k > 1 falls on the first open clinic day at least
// `min_days_after_previous` calendar days after day k-1 (1 = the next open day,
// 7 = a week later). The whole programme must fit in `max_span_days` calendar
// days.
//
// Within a day, sessions happen in template order. A session with
// `parallel_with` set starts at exactly the same time as the named earlier
// session of the same day and uses a different room and different people.
// Sessions that are not parallel start after the previous ones end (gaps are
// allowed) and every start lies on the clinic's booking grid.
#ifndef TANDEM_SCHEDULER_PROGRAMME_TEMPLATE_H_
#define TANDEM_SCHEDULER_PROGRAMME_TEMPLATE_H_

#include <string>
#include <string_view>
#include <vector>

namespace tandem::scheduler {

enum class RoomKind { kJoint, kIndividual };

enum class Participants { kBothPartners, kPartnerA, kPartnerB };

enum class TherapistRole {
  kBoth,
  kMale,
  kFemale,
  kEither,  // The planner picks one team member.
  // Relative to the session's single partner (Participants kPartnerA/B);
  // resolved with the partners' sexes given in the request.
  kSameSexAsPartner,
  kOtherSexThanPartner,
};

struct SessionTemplate {
  std::string key;  // Unique within its day.
  int duration_minutes = 0;
  Participants participants = Participants::kBothPartners;
  TherapistRole therapists = TherapistRole::kBoth;
  RoomKind room_kind = RoomKind::kJoint;
  std::string parallel_with;  // Key of an earlier session this day, or empty.
};

struct DayTemplate {
  std::vector<SessionTemplate> sessions;
  int min_days_after_previous = 1;  // Ignored for day 1.
};

struct ProgrammeTemplate {
  std::string id;
  std::string name;
  std::vector<DayTemplate> days;
  int max_span_days = 14;
  // Every therapist of the team must hold all of these.
  std::vector<std::string> required_qualifications;
};

// Stable ids of the shipped templates.
inline constexpr std::string_view kTenDayIntensiveId = "ten-day-intensive";
inline constexpr std::string_view kClassic1970Id = "classic-1970";
inline constexpr std::string_view kWeeklyId = "weekly";
inline constexpr std::string_view kIndividualId = "individual";

// The four shipped templates, in the order above. "ten-day-intensive" is the
// default. "weekly" is WeeklyTemplate(1, 8).
const std::vector<ProgrammeTemplate>& ShippedTemplates();

// One or two joint sessions a week for `weeks` weeks with the same team.
// Sessions of one week are at least 3 days apart. Id: "weekly" when
// (1, 8), else "weekly-<per_week>x<weeks>".
ProgrammeTemplate WeeklyTemplate(int sessions_per_week, int weeks);

// The template with `id` in `custom`, else among ShippedTemplates(), else
// nullptr.
const ProgrammeTemplate* FindTemplate(
    const std::vector<ProgrammeTemplate>& custom, std::string_view id);

}  // namespace tandem::scheduler

#endif  // TANDEM_SCHEDULER_PROGRAMME_TEMPLATE_H_
