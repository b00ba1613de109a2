#include "scheduler/score.h"

#include <map>
#include <string>
#include <utility>

namespace tandem::scheduler {

bool InTimeOfDay(int minute, TimeOfDay when) {
  switch (when) {
    case TimeOfDay::kAny:
      return false;
    case TimeOfDay::kMorning:
      return minute < 720;
    case TimeOfDay::kAfternoon:
      return minute >= 720 && minute < 1020;
    case TimeOfDay::kEvening:
      return minute >= 1020;
  }
  return false;
}

int64_t ScorePlan(const Plan& plan, const ScoreInputs& in) {
  int64_t score = 0;
  if (in.standing_team) score += kStandingTeamPoints;
  if (in.requested_team) score += kRequestedTeamPoints;

  // First start per programme day.
  std::map<int, int> first_start;
  for (const PlannedSession& s : plan.sessions) {
    auto [it, inserted] = first_start.emplace(s.programme_day, s.start_minute);
    if (!inserted && s.start_minute < it->second) it->second = s.start_minute;
  }
  if (!first_start.empty()) {
    const int day1 = first_start.begin()->second;
    int same = 0, preferred = 0;
    for (const auto& [day, start] : first_start) {
      if (day != first_start.begin()->first && start == day1) ++same;
      if (InTimeOfDay(start, in.time_of_day)) ++preferred;
    }
    score += kSameTimePoints * same + kPreferredTimePoints * preferred;
  }

  // Sessions in their kind's most-used room, where the kind is the number of
  // therapists (one: individual work; two: the team with the couple), which
  // the plan carries without needing the template.
  std::map<std::pair<bool, std::string>, int> uses;
  for (const PlannedSession& s : plan.sessions) {
    const bool joint = s.therapist_ids.size() != 1;
    ++uses[{joint, s.room_id}];
  }
  std::map<bool, int> best;
  for (const auto& [key, count] : uses) {
    best[key.first] = std::max(best[key.first], count);
  }
  int64_t same_room = 0;
  for (const auto& [joint, count] : best) same_room += count - 1;
  score += same_room * kSameRoomPoints *
           (in.same_room_preferred ? kSameRoomPreferenceFactor : 1);

  score -= in.booked_minutes / 60;
  return score;
}

}  // namespace tandem::scheduler
