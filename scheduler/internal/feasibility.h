// Word-parallel feasibility of day patterns for therapists, rooms and pairs,
// memoised per (pattern, day) for one planning call.
//
// For a group of simultaneous sessions on a day, a "start mask" has bit s set
// when the group can start at slot s. A therapist's mask is the AND, over the
// group's sessions they take part in, of RunStarts(free bits, session length);
// the room mask has bit s when distinct suitable rooms exist for every session
// of the group. A pair can run a day iff, group by group, the earliest start in
// (room & male & female) masks at or after the previous group's end exists
// (earliest-first is optimal for existence) and both stay within their caps.
#ifndef TANDEM_SCHEDULER_INTERNAL_FEASIBILITY_H_
#define TANDEM_SCHEDULER_INTERNAL_FEASIBILITY_H_

#include <memory>
#include <vector>

#include "scheduler/availability_index.h"
#include "scheduler/internal/resolved_request.h"
#include "scheduler/internal/slot_mask.h"

namespace tandem::scheduler::internal {

// Chooses distinct rooms for the sessions of `group` starting at `slot` on
// `day`, trying rooms in `preferred` order first (then ascending index).
// Returns false (rooms untouched) if none exist.
bool AssignRooms(const AvailabilityIndex& index, const Group& group, int day,
                 int slot, const std::vector<int>& preferred,
                 std::vector<int>* rooms);

// Exact room start mask of a group on a day (see file comment).
SlotMask RoomStartMask(const AvailabilityIndex& index, const Group& group,
                       int day);

// Therapist t's start mask for a group, playing the male (or female) role.
SlotMask TherapistStartMask(const AvailabilityIndex& index, const Group& group,
                            int t, bool as_male, int day);

// Given per-group start masks, whether the groups fit in order (each starting
// at or after the previous one's end).
bool GroupsFitInOrder(const DayPattern& pattern, const SlotMask* masks);

class FeasibilityCache {
 public:
  // Candidates are indexed locally: 0..males-1 are req.males, then req.females.
  FeasibilityCache(const AvailabilityIndex& index, const ResolvedRequest& req);

  struct Entry {
    std::vector<SlotMask> rooms;      // Per group.
    std::vector<SlotMask> therapist;  // [candidate * groups + group].
    std::vector<char> solo;  // Candidate could run the day with some partner.
    bool rooms_ok = false;   // Rooms alone allow the day.
    // [group * rooms + room]: starts where the room could host one of the
    // group's sessions (0 if it suits none). For the score's room terms;
    // filled on first use by RoomRuns().
    std::vector<SlotMask> room_runs;
  };

  const Entry& Get(int pattern, int day);
  // Get(pattern, day).room_runs, computed on first use.
  const std::vector<SlotMask>& RoomRuns(int pattern, int day);

  int num_males() const { return static_cast<int>(req_.males.size()); }
  int num_candidates() const {
    return static_cast<int>(req_.males.size() + req_.females.size());
  }
  int therapist_of(int candidate) const {
    return candidate < num_males() ? req_.males[candidate]
                                   : req_.females[candidate - num_males()];
  }

  // Whether the pair (male candidate lm, female candidate lf) can run
  // `pattern` on `day`; if so and masks != nullptr, fills the per-group start
  // masks of the pair.
  bool PairDay(int pattern, int day, int lm, int lf, SlotMask* masks);

  // First pattern of programme day k (of req.days) the pair can run, or -1.
  int PairPattern(int k, int day, int lm, int lf, SlotMask* masks);

  // Whether candidate c alone can run some pattern of programme day k.
  bool Solo(int k, int day, int c);

 private:
  const AvailabilityIndex& index_;
  const ResolvedRequest& req_;
  std::vector<std::unique_ptr<Entry>> entries_;  // [pattern * days + day]
};

}  // namespace tandem::scheduler::internal

#endif  // TANDEM_SCHEDULER_INTERNAL_FEASIBILITY_H_
