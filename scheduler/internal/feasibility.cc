#include "scheduler/internal/feasibility.h"

#include <algorithm>
#include <limits>

namespace tandem::scheduler::internal {
namespace {

// Backtracking over rooms: groups hold at most a few sessions. Rooms are
// tried in `preferred` order, then by index; no allocation on the way.
bool AssignFrom(const AvailabilityIndex& index, const Group& group, int day,
                int slot, const std::vector<int>& preferred, size_t i,
                std::vector<int>* rooms) {
  if (i == group.sessions.size()) return true;
  const ResolvedSession& s = group.sessions[i];
  auto try_room = [&](int r) {
    if (std::find(rooms->begin(), rooms->end(), r) != rooms->end()) {
      return false;
    }
    if (!HasSlot(RunStarts(index.RoomFree(r, day), s.slots), slot)) {
      return false;
    }
    rooms->push_back(r);
    if (AssignFrom(index, group, day, slot, preferred, i + 1, rooms)) {
      return true;
    }
    rooms->pop_back();
    return false;
  };
  for (int r : preferred) {
    if (std::find(s.rooms.begin(), s.rooms.end(), r) != s.rooms.end() &&
        try_room(r)) {
      return true;
    }
  }
  for (int r : s.rooms) {  // Ascending room index.
    if (std::find(preferred.begin(), preferred.end(), r) != preferred.end()) {
      continue;  // Already tried.
    }
    if (try_room(r)) return true;
  }
  return false;
}

}  // namespace

bool AssignRooms(const AvailabilityIndex& index, const Group& group, int day,
                 int slot, const std::vector<int>& preferred,
                 std::vector<int>* rooms) {
  rooms->clear();
  if (AssignFrom(index, group, day, slot, preferred, 0, rooms)) return true;
  rooms->clear();
  return false;
}

SlotMask RoomStartMask(const AvailabilityIndex& index, const Group& group,
                       int day) {
  SlotMask any_all = ~SlotMask{0};
  for (const ResolvedSession& s : group.sessions) {
    SlotMask any = 0;
    for (int r : s.rooms) any |= RunStarts(index.RoomFree(r, day), s.slots);
    any_all &= any;
  }
  if (group.sessions.size() <= 1 || any_all == 0) return any_all;
  if (group.sessions.size() == 2) {
    // Two sessions need two distinct rooms: by Hall's condition, each needs
    // a room (any_all) and together at least two different rooms. Room
    // lists are ascending (ResolvedSession), so a merge visits each room
    // suiting either session once; rooms suiting neither add nothing.
    const std::vector<int>& a = group.sessions[0].rooms;
    const std::vector<int>& b = group.sessions[1].rooms;
    const int len_a = group.sessions[0].slots;
    const int len_b = group.sessions[1].slots;
    SlotMask once = 0, twice = 0;
    size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
      const int ra = i < a.size() ? a[i] : std::numeric_limits<int>::max();
      const int rb = j < b.size() ? b[j] : std::numeric_limits<int>::max();
      const int r = std::min(ra, rb);
      const SlotMask free = index.RoomFree(r, day);
      SlotMask u = 0;
      if (ra == r) {
        u |= RunStarts(free, len_a);
        ++i;
      }
      if (rb == r) {
        u |= len_b == len_a && ra == r ? u : RunStarts(free, len_b);
        ++j;
      }
      twice |= once & u;
      once |= u;
    }
    return any_all & twice;
  }
  // Larger parallel sets: confirm each candidate slot by backtracking.
  SlotMask exact = 0;
  std::vector<int> rooms;
  for (SlotMask m = any_all; m != 0; m &= m - 1) {
    const int slot = LowestSlot(m);
    if (AssignRooms(index, group, day, slot, {}, &rooms)) {
      exact |= SlotMask{1} << slot;
    }
  }
  return exact;
}

SlotMask TherapistStartMask(const AvailabilityIndex& index, const Group& group,
                            int t, bool as_male, int day) {
  SlotMask m = ~SlotMask{0};
  const SlotMask free = index.TherapistFree(t, day);
  for (const ResolvedSession& s : group.sessions) {
    if (as_male ? s.male : s.female) m &= RunStarts(free, s.slots);
  }
  return m;
}

bool GroupsFitInOrder(const DayPattern& pattern, const SlotMask* masks) {
  int pos = 0;
  for (size_t g = 0; g < pattern.groups.size(); ++g) {
    const SlotMask c = masks[g] & SlotRange(pos, kMaxSlotsPerDay);
    if (c == 0) return false;
    pos = LowestSlot(c) + pattern.groups[g].slots;
  }
  return true;
}

FeasibilityCache::FeasibilityCache(const AvailabilityIndex& index,
                                   const ResolvedRequest& req)
    : index_(index), req_(req) {
  entries_.resize(req.patterns.size() * static_cast<size_t>(index.num_days()));
}

const FeasibilityCache::Entry& FeasibilityCache::Get(int pattern, int day) {
  std::unique_ptr<Entry>& slot =
      entries_[static_cast<size_t>(pattern) * index_.num_days() + day];
  if (slot) return *slot;
  slot = std::make_unique<Entry>();
  Entry& e = *slot;
  const DayPattern& p = req_.patterns[pattern];
  const size_t groups = p.groups.size();
  e.rooms.resize(groups);
  for (size_t g = 0; g < groups; ++g) {
    e.rooms[g] = RoomStartMask(index_, p.groups[g], day);
  }
  e.rooms_ok = GroupsFitInOrder(p, e.rooms.data());

  const int n = num_candidates();
  e.therapist.assign(static_cast<size_t>(n) * groups, 0);
  e.solo.assign(n, 0);
  if (!e.rooms_ok) return e;
  std::vector<SlotMask> with_rooms(groups);
  for (int c = 0; c < n; ++c) {
    const int t = therapist_of(c);
    const bool male = c < num_males();
    const int need = male ? p.male_minutes : p.female_minutes;
    if (index_.TherapistMinutes(t, day) + need >
        index_.therapist(t).daily_cap_minutes) {
      continue;  // Over the cap: leave every mask empty.
    }
    for (size_t g = 0; g < groups; ++g) {
      const SlotMask m = TherapistStartMask(index_, p.groups[g], t, male, day);
      e.therapist[c * groups + g] = m;
      with_rooms[g] = m & e.rooms[g];
    }
    e.solo[c] = GroupsFitInOrder(p, with_rooms.data());
  }
  return e;
}

const std::vector<SlotMask>& FeasibilityCache::RoomRuns(int pattern, int day) {
  Entry& e = *entries_[static_cast<size_t>(pattern) * index_.num_days() + day];
  if (!e.room_runs.empty()) return e.room_runs;
  const DayPattern& p = req_.patterns[pattern];
  const int nr = index_.num_rooms();
  e.room_runs.assign(p.groups.size() * nr + 1, 0);  // +1: never empty.
  for (size_t g = 0; g < p.groups.size(); ++g) {
    for (const ResolvedSession& s : p.groups[g].sessions) {
      for (int r : s.rooms) {
        e.room_runs[g * nr + r] |= RunStarts(index_.RoomFree(r, day), s.slots);
      }
    }
  }
  return e.room_runs;
}

bool FeasibilityCache::PairDay(int pattern, int day, int lm, int lf,
                               SlotMask* masks) {
  const Entry& e = Get(pattern, day);
  if (!e.solo[lm] || !e.solo[lf]) return false;
  const DayPattern& p = req_.patterns[pattern];
  const size_t groups = p.groups.size();
  SlotMask local[8];
  SlotMask* out = masks != nullptr ? masks : local;
  if (masks == nullptr && groups > 8) {
    std::vector<SlotMask> big(groups);
    for (size_t g = 0; g < groups; ++g) {
      big[g] = e.rooms[g] & e.therapist[lm * groups + g] &
               e.therapist[lf * groups + g];
    }
    return GroupsFitInOrder(p, big.data());
  }
  for (size_t g = 0; g < groups; ++g) {
    out[g] = e.rooms[g] & e.therapist[lm * groups + g] &
             e.therapist[lf * groups + g];
  }
  return GroupsFitInOrder(p, out);
}

int FeasibilityCache::PairPattern(int k, int day, int lm, int lf,
                                  SlotMask* masks) {
  for (int p : req_.days[k].patterns) {
    if (PairDay(p, day, lm, lf, masks)) return p;
  }
  return -1;
}

bool FeasibilityCache::Solo(int k, int day, int c) {
  for (int p : req_.days[k].patterns) {
    if (Get(p, day).solo[c]) return true;
  }
  return false;
}

}  // namespace tandem::scheduler::internal
