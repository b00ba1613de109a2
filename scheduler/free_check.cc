#include "scheduler/free_check.h"

#include "absl/container/flat_hash_map.h"

namespace tandem::scheduler {

std::vector<Clash> FindClashes(const AvailabilityIndex& index,
                               const Plan& plan) {
  std::vector<Clash> clashes;
  // Minutes this plan adds per (therapist, day), for the daily cap.
  absl::flat_hash_map<std::pair<int, int>, int> added_minutes;
  for (size_t i = 0; i < plan.sessions.size(); ++i) {
    const PlannedSession& s = plan.sessions[i];
    const int session = static_cast<int>(i);
    const int d = index.DayIndex(s.date);
    if (d < 0 || s.end_minute <= s.start_minute) {
      clashes.push_back({Clash::Kind::kOutsideHorizon, session, ""});
      continue;
    }
    const internal::SlotMask need =
        index.TouchedSlots(s.start_minute, s.end_minute);
    for (const std::string& id : s.therapist_ids) {
      const int t = index.TherapistIndex(id);
      if (t < 0) {
        clashes.push_back({Clash::Kind::kUnknownResource, session, id});
        continue;
      }
      if (!index.therapist(t).active) {
        clashes.push_back({Clash::Kind::kTherapistInactive, session, id});
      } else if ((index.TherapistFree(t, d) & need) != need) {
        clashes.push_back({Clash::Kind::kTherapistBusy, session, id});
      }
      added_minutes[{t, d}] += s.end_minute - s.start_minute;
    }
    if (!s.room_id.empty()) {
      const int r = index.RoomIndex(s.room_id);
      if (r < 0) {
        clashes.push_back({Clash::Kind::kUnknownResource, session, s.room_id});
      } else if ((index.RoomFree(r, d) & need) != need) {
        clashes.push_back({Clash::Kind::kRoomBusy, session, s.room_id});
      }
    }
  }
  for (size_t i = 0; i < plan.sessions.size(); ++i) {
    const PlannedSession& s = plan.sessions[i];
    const int d = index.DayIndex(s.date);
    if (d < 0) continue;
    for (const std::string& id : s.therapist_ids) {
      const int t = index.TherapistIndex(id);
      auto it = t < 0 ? added_minutes.end() : added_minutes.find({t, d});
      if (it == added_minutes.end()) continue;  // unknown, or reported
      if (index.TherapistMinutes(t, d) + it->second >
          index.therapist(t).daily_cap_minutes) {
        clashes.push_back(
            {Clash::Kind::kDailyCap, static_cast<int>(i), id});
      }
      added_minutes.erase(it);  // one report per (therapist, day)
    }
  }
  return clashes;
}

}  // namespace tandem::scheduler
