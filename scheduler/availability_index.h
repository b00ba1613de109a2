// AvailabilityIndex: who and what is free, as bitsets over the booking grid,
// one 128-bit word per (therapist, day) and per (room, day), over a horizon of
// days starting at the snapshot's `today`.
//
// A therapist's bit is set when the slot lies wholly inside opening hours and
// their working hours, the day is not a closure, and no absence or commitment
// touches it. A room's bit is set when the slot is inside opening hours, not
// out of service and not taken. Intervals that are not on the grid block every
// slot they touch. Session minutes already taken per (therapist, day) are kept
// beside the bits for the daily cap.
//
// The index is incremental: Commit(plan) and Release(booking_id) update only
// the words the booking touches; AddAbsence / AddRoomOutage likewise. It is a
// value type (copyable) and not thread-safe: guard a shared one with a mutex.
//
// Example:
//   absl::StatusOr<AvailabilityIndex> index = AvailabilityIndex::Build(snap);
//   if (!index.ok()) return index.status();
//   absl::StatusOr<ProposeResult> r = Propose(*index, request, 5);
//   if (r.ok() && !r->plans.empty()) index->Commit(r->plans.front());
#ifndef TANDEM_SCHEDULER_AVAILABILITY_INDEX_H_
#define TANDEM_SCHEDULER_AVAILABILITY_INDEX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "scheduler/internal/slot_mask.h"
#include "scheduler/model.h"
#include "scheduler/plan.h"

namespace tandem::scheduler {

class AvailabilityIndex {
 public:
  static constexpr int kDefaultHorizonDays = 400;

  // Validates the snapshot (ids unique, intervals ordered, hours within a day,
  // grid sensible, opening hours spanning at most 128 grid slots, teams made
  // of one male and one female therapist) and builds the bitsets. Booked
  // plans and commitments are applied as if committed. Errors are
  // INVALID_ARGUMENT naming the offending field.
  static absl::StatusOr<AvailabilityIndex> Build(
      const Snapshot& snapshot, int horizon_days = kDefaultHorizonDays);

  // Marks the plan's sessions as taken. A session may have no room (a phone
  // call booked as a one-session plan). INVALID_ARGUMENT if it names an
  // unknown therapist or room or has no booking id; ALREADY_EXISTS if the
  // booking id is already in the index. Does not check that the time was
  // free: run ValidatePlan first when the plan did not come from Propose.
  // Sessions outside the horizon are kept in the plan but set no bits.
  absl::Status Commit(const Plan& plan);

  // Frees everything the booking holds (a committed plan and/or snapshot
  // commitments with that booking id). NOT_FOUND if it holds nothing.
  absl::Status Release(absl::string_view booking_id);

  // Records new unavailability. NOT_FOUND for an unknown id; INVALID_ARGUMENT
  // if end is not after start. Existing bookings are left as they are (see
  // Repair to move them).
  absl::Status AddAbsence(absl::string_view therapist_id, LocalInterval when);
  absl::Status AddRoomOutage(absl::string_view room_id, LocalInterval when);

  // The snapshot as the index now sees it: absences and outages added since
  // Build, and booked_plans / commitments as currently committed (in booking
  // id order). Costs a full copy: meant for validation and tests.
  Snapshot CurrentSnapshot() const;

  // The committed plan for a booking, or nullptr.
  const Plan* FindPlan(absl::string_view booking_id) const;
  // Booking ids of all committed plans, sorted.
  std::vector<std::string> PlanBookingIds() const;
  // Booking ids of committed plans holding therapist t (or room r) on a
  // horizon day; unsorted, may repeat. Cost: the bookings on that word.
  std::vector<std::string> PlansOnTherapistDay(int t, int day) const;
  std::vector<std::string> PlansOnRoomDay(int r, int day) const;

  // ---- Geometry and raw bits, for the planner's internals and tests. ----
  const Snapshot& base_snapshot() const { return snapshot_; }
  absl::CivilDay first_day() const { return first_day_; }
  int num_days() const { return num_days_; }
  int grid_minutes() const { return grid_; }
  int origin_minute() const { return origin_; }
  int slots_per_day() const { return slots_; }
  // Day index of `day`, or -1 outside the horizon.
  int DayIndex(absl::CivilDay day) const;
  absl::CivilDay DayAt(int day_index) const { return first_day_ + day_index; }
  int MinuteOfSlot(int slot) const { return origin_ + slot * grid_; }
  // Slot starting at `minute`, or -1 if it is not a grid start in the day.
  int SlotAtMinute(int minute) const;
  bool IsOpenDay(int day_index) const { return open_[day_index]; }

  int num_therapists() const { return static_cast<int>(therapist_ids_.size()); }
  int num_rooms() const { return static_cast<int>(room_ids_.size()); }
  int TherapistIndex(absl::string_view id) const;  // -1 if unknown.
  int RoomIndex(absl::string_view id) const;       // -1 if unknown.
  const Therapist& therapist(int t) const { return snapshot_.therapists[t]; }
  const Room& room(int r) const { return snapshot_.rooms[r]; }

  internal::SlotMask TherapistFree(int t, int day) const {
    return t_free_[static_cast<size_t>(t) * num_days_ + day];
  }
  internal::SlotMask RoomFree(int r, int day) const {
    return r_free_[static_cast<size_t>(r) * num_days_ + day];
  }
  // Slots touched by [start, end) minutes of a day.
  internal::SlotMask TouchedSlots(int start_minute, int end_minute) const;
  // Session minutes already taken by therapist t on day `day`.
  int TherapistMinutes(int t, int day) const {
    return t_minutes_[static_cast<size_t>(t) * num_days_ + day];
  }

 private:
  struct Block {
    bool is_room;
    int resource;
    int day;
    internal::SlotMask mask;
    int minutes;
  };
  struct Occupant {
    uint32_t booking;
    internal::SlotMask mask;
    int minutes;
  };
  struct Booking {
    uint32_t number = 0;
    std::vector<Block> blocks;
    bool has_plan = false;
    Plan plan;
    std::vector<Commitment> commitments;
  };

  AvailabilityIndex() = default;
  absl::Status Init(const Snapshot& snapshot, int horizon_days);
  // Slots wholly inside [start, end) minutes of a day.
  internal::SlotMask InsideSlots(int start_minute, int end_minute) const;
  // Calls fn(day_index, start_minute, end_minute) per horizon day the
  // interval overlaps.
  template <typename Fn>
  void ForEachDayPart(const LocalInterval& when, Fn fn) const;
  void AddBlock(Booking& booking, bool is_room, int resource, int day,
                internal::SlotMask mask, int minutes);
  Booking& NewBooking(const std::string& id);
  absl::Status AddCommitment(const Commitment& c);
  static uint64_t Key(bool is_room, int resource, int day) {
    return (uint64_t{is_room} << 62) | (uint64_t(uint32_t(resource)) << 32) |
           uint32_t(day);
  }

  Snapshot snapshot_;  // Without booked plans and commitments (see bookings_).
  absl::CivilDay first_day_;
  int num_days_ = 0;
  int grid_ = 15;
  int origin_ = 0;
  int slots_ = 0;
  std::vector<bool> open_;
  std::vector<std::string> therapist_ids_;
  std::vector<std::string> room_ids_;
  absl::flat_hash_map<std::string, int> therapist_by_id_;
  absl::flat_hash_map<std::string, int> room_by_id_;
  std::vector<internal::SlotMask> t_base_, t_free_;
  std::vector<int> t_minutes_;
  std::vector<internal::SlotMask> r_base_, r_free_;
  std::vector<std::string> PlansOn(bool is_room, int resource, int day) const;

  absl::flat_hash_map<std::string, Booking> bookings_;
  absl::flat_hash_map<uint32_t, std::string> booking_id_by_number_;
  absl::flat_hash_map<uint64_t, std::vector<Occupant>> occupancy_;
  uint32_t next_booking_number_ = 1;
};

}  // namespace tandem::scheduler

#endif  // TANDEM_SCHEDULER_AVAILABILITY_INDEX_H_
