// The score that orders plans with the same start date (higher is better).
// Plans are ordered by start date first: the score never trades a later
// start for comfort.
//
//   score = 1000 * [the team is a standing team]
//         + 1000 * [the team is the standing team the request asked for]
//         +   30 * (days whose first session starts at the same minute as
//                   day 1's)
//         +   30 * (sessions held in their kind's most-used room, minus one
//                   per kind; "kind" = sessions with one therapist vs with
//                   two), x3 with Preferences::same_room
//         +   20 * (days whose first session starts in the preferred time of
//                   day; 0 without a preference)
//         -        (hours the two therapists already have booked on the
//                   programme's dates: spreads the work across teams)
//
// Example: a standing team, every day at 09:00 in the same joint room, no
// preference, 12 hours already booked: 1000 + 30*9 + 30*(10-1) - 12 = 1528
// for a ten-day intensive (day 1's two individual sessions use two
// individual rooms, so that kind contributes 0).
#ifndef TANDEM_SCHEDULER_SCORE_H_
#define TANDEM_SCHEDULER_SCORE_H_

#include <cstdint>

#include "scheduler/plan.h"
#include "scheduler/request.h"

namespace tandem::scheduler {

inline constexpr int64_t kStandingTeamPoints = 1000;
inline constexpr int64_t kRequestedTeamPoints = 1000;
inline constexpr int64_t kSameTimePoints = 30;
inline constexpr int64_t kSameRoomPoints = 30;
inline constexpr int64_t kSameRoomPreferenceFactor = 3;
inline constexpr int64_t kPreferredTimePoints = 20;

struct ScoreInputs {
  bool standing_team = false;
  bool requested_team = false;
  TimeOfDay time_of_day = TimeOfDay::kAny;
  bool same_room_preferred = false;
  int booked_minutes = 0;  // Both therapists, over the programme's dates.
};

// Scores a complete plan. Deterministic and independent of session order.
int64_t ScorePlan(const Plan& plan, const ScoreInputs& inputs);

// Whether a start minute lies in the time of day (always false for kAny).
bool InTimeOfDay(int minute, TimeOfDay when);

}  // namespace tandem::scheduler

#endif  // TANDEM_SCHEDULER_SCORE_H_
