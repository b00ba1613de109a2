#include "scheduler/availability_index.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace tandem::scheduler {
namespace {

using internal::SlotMask;
using internal::SlotRange;

int FloorDiv(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
int CeilDiv(int a, int b) { return -FloorDiv(-a, b); }

int WeekdayOf(absl::CivilDay day) {
  return static_cast<int>(absl::GetWeekday(day));  // Monday == 0.
}

absl::Status CheckHours(const WeeklyHours& hours, const std::string& field) {
  for (int wd = 0; wd < 7; ++wd) {
    if (!hours[wd]) continue;
    const MinuteRange& r = *hours[wd];
    if (r.start < 0 || r.end > 1440 || r.start >= r.end) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, "[", wd, "]: need 0 <= start < end <= 1440, got ",
                       r.start, "-", r.end));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckInterval(const LocalInterval& i, const std::string& field) {
  if (!(i.start < i.end)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": end must be after start"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<AvailabilityIndex> AvailabilityIndex::Build(
    const Snapshot& snapshot, int horizon_days) {
  AvailabilityIndex index;
  absl::Status s = index.Init(snapshot, horizon_days);
  if (!s.ok()) return s;
  return index;
}

absl::Status AvailabilityIndex::Init(const Snapshot& in, int horizon_days) {
  if (horizon_days < 1 || horizon_days > 3660) {
    return absl::InvalidArgumentError(
        "horizon_days must be between 1 and 3660");
  }
  const Clinic& clinic = in.clinic;
  if (clinic.grid_minutes < 1 || clinic.grid_minutes > 240) {
    return absl::InvalidArgumentError(
        "clinic.grid_minutes must be between 1 and 240");
  }
  if (absl::Status s = CheckHours(clinic.opening_hours, "clinic.opening_hours");
      !s.ok()) {
    return s;
  }
  grid_ = clinic.grid_minutes;
  int open_min = 1440, close_max = 0;
  for (const auto& h : clinic.opening_hours) {
    if (!h) continue;
    open_min = std::min(open_min, h->start);
    close_max = std::max(close_max, h->end);
  }
  if (open_min >= close_max) {
    origin_ = 0;
    slots_ = 0;
  } else {
    origin_ = FloorDiv(open_min, grid_) * grid_;
    slots_ = CeilDiv(close_max - origin_, grid_);
  }
  if (slots_ > internal::kMaxSlotsPerDay) {
    return absl::InvalidArgumentError(absl::StrCat(
        "clinic.opening_hours span ", close_max - origin_,
        " minutes, which is ", slots_, " slots of clinic.grid_minutes ", grid_,
        "; at most ", internal::kMaxSlotsPerDay, " are supported"));
  }

  snapshot_ = in;
  snapshot_.booked_plans.clear();
  snapshot_.commitments.clear();
  first_day_ = in.today;
  num_days_ = horizon_days;

  absl::flat_hash_set<absl::CivilDay> closures(clinic.closures.begin(),
                                               clinic.closures.end());
  open_.assign(num_days_, false);
  std::array<SlotMask, 7> opening{};
  for (int wd = 0; wd < 7; ++wd) {
    if (clinic.opening_hours[wd]) {
      opening[wd] = InsideSlots(clinic.opening_hours[wd]->start,
                                clinic.opening_hours[wd]->end);
    }
  }
  for (int d = 0; d < num_days_; ++d) {
    const absl::CivilDay day = DayAt(d);
    open_[d] = opening[WeekdayOf(day)] != 0 && !closures.contains(day);
  }

  // Therapists.
  const int nt = static_cast<int>(in.therapists.size());
  t_base_.assign(static_cast<size_t>(nt) * num_days_, 0);
  t_minutes_.assign(static_cast<size_t>(nt) * num_days_, 0);
  for (int t = 0; t < nt; ++t) {
    const Therapist& th = in.therapists[t];
    const std::string field = absl::StrCat("therapists[", t, "]");
    if (th.id.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".id is empty"));
    }
    if (!therapist_by_id_.emplace(th.id, t).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".id '", th.id, "' is a duplicate"));
    }
    therapist_ids_.push_back(th.id);
    if (th.daily_cap_minutes < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".daily_cap_minutes is negative"));
    }
    if (absl::Status s =
            CheckHours(th.working_hours, absl::StrCat(field, ".working_hours"));
        !s.ok()) {
      return s;
    }
    std::array<SlotMask, 7> works{};
    for (int wd = 0; wd < 7; ++wd) {
      if (th.working_hours[wd]) {
        works[wd] = opening[wd] & InsideSlots(th.working_hours[wd]->start,
                                              th.working_hours[wd]->end);
      }
    }
    if (!th.active) continue;  // Inactive therapists are never free.
    for (int d = 0; d < num_days_; ++d) {
      if (open_[d]) {
        t_base_[static_cast<size_t>(t) * num_days_ + d] =
            works[WeekdayOf(DayAt(d))];
      }
    }
    for (size_t a = 0; a < th.absences.size(); ++a) {
      if (absl::Status s = CheckInterval(
              th.absences[a], absl::StrCat(field, ".absences[", a, "]"));
          !s.ok()) {
        return s;
      }
      ForEachDayPart(th.absences[a], [&](int d, int from, int to) {
        t_base_[static_cast<size_t>(t) * num_days_ + d] &=
            ~TouchedSlots(from, to);
      });
    }
  }
  t_free_ = t_base_;

  // Rooms.
  const int nr = static_cast<int>(in.rooms.size());
  r_base_.assign(static_cast<size_t>(nr) * num_days_, 0);
  for (int r = 0; r < nr; ++r) {
    const Room& room = in.rooms[r];
    const std::string field = absl::StrCat("rooms[", r, "]");
    if (room.id.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".id is empty"));
    }
    if (!room_by_id_.emplace(room.id, r).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".id '", room.id, "' is a duplicate"));
    }
    room_ids_.push_back(room.id);
    for (int d = 0; d < num_days_; ++d) {
      if (open_[d]) {
        r_base_[static_cast<size_t>(r) * num_days_ + d] =
            opening[WeekdayOf(DayAt(d))];
      }
    }
    for (size_t o = 0; o < room.out_of_service.size(); ++o) {
      if (absl::Status s =
              CheckInterval(room.out_of_service[o],
                            absl::StrCat(field, ".out_of_service[", o, "]"));
          !s.ok()) {
        return s;
      }
      ForEachDayPart(room.out_of_service[o], [&](int d, int from, int to) {
        r_base_[static_cast<size_t>(r) * num_days_ + d] &=
            ~TouchedSlots(from, to);
      });
    }
  }
  r_free_ = r_base_;

  for (size_t i = 0; i < in.teams.size(); ++i) {
    const Team& team = in.teams[i];
    const int m = TherapistIndex(team.male_id);
    const int f = TherapistIndex(team.female_id);
    if (m < 0 || in.therapists[m].sex != Sex::kMale) {
      return absl::InvalidArgumentError(
          absl::StrCat("teams[", i, "].male_id '", team.male_id,
                       "' is not a male therapist"));
    }
    if (f < 0 || in.therapists[f].sex != Sex::kFemale) {
      return absl::InvalidArgumentError(
          absl::StrCat("teams[", i, "].female_id '", team.female_id,
                       "' is not a female therapist"));
    }
  }

  for (size_t i = 0; i < in.commitments.size(); ++i) {
    const Commitment& c = in.commitments[i];
    if (absl::Status s = CheckInterval(
            c.interval, absl::StrCat("commitments[", i, "].interval"));
        !s.ok()) {
      return s;
    }
    if (absl::Status s = AddCommitment(c); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("commitments[", i, "]: ", s.message()));
    }
  }
  for (size_t i = 0; i < in.booked_plans.size(); ++i) {
    if (absl::Status s = Commit(in.booked_plans[i]); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("booked_plans[", i, "]: ", s.message()));
    }
  }
  return absl::OkStatus();
}

int AvailabilityIndex::DayIndex(absl::CivilDay day) const {
  const int64_t d = day - first_day_;
  return (d < 0 || d >= num_days_) ? -1 : static_cast<int>(d);
}

int AvailabilityIndex::SlotAtMinute(int minute) const {
  const int rel = minute - origin_;
  if (rel < 0 || rel % grid_ != 0) return -1;
  const int slot = rel / grid_;
  return slot < slots_ ? slot : -1;
}

int AvailabilityIndex::TherapistIndex(absl::string_view id) const {
  auto it = therapist_by_id_.find(id);
  return it == therapist_by_id_.end() ? -1 : it->second;
}

int AvailabilityIndex::RoomIndex(absl::string_view id) const {
  auto it = room_by_id_.find(id);
  return it == room_by_id_.end() ? -1 : it->second;
}

SlotMask AvailabilityIndex::TouchedSlots(int start_minute,
                                         int end_minute) const {
  if (end_minute <= start_minute) return 0;
  return SlotRange(FloorDiv(start_minute - origin_, grid_),
                   CeilDiv(end_minute - origin_, grid_)) &
         SlotRange(0, slots_);
}

SlotMask AvailabilityIndex::InsideSlots(int start_minute,
                                        int end_minute) const {
  return SlotRange(CeilDiv(start_minute - origin_, grid_),
                   FloorDiv(end_minute - origin_, grid_)) &
         SlotRange(0, slots_);
}

template <typename Fn>
void AvailabilityIndex::ForEachDayPart(const LocalInterval& when, Fn fn) const {
  const absl::CivilDay first = absl::CivilDay(when.start);
  const absl::CivilDay last = absl::CivilDay(when.end);
  for (absl::CivilDay day = std::max(first, first_day_);
       day <= last && day - first_day_ < num_days_; ++day) {
    const absl::CivilMinute midnight(day);
    const int from = day == first ? static_cast<int>(when.start - midnight) : 0;
    const int to = day == last ? static_cast<int>(when.end - midnight) : 1440;
    if (to > from) fn(DayIndex(day), from, to);
  }
}

AvailabilityIndex::Booking& AvailabilityIndex::NewBooking(
    const std::string& id) {
  Booking& b = bookings_[id];
  if (b.number == 0) {
    b.number = next_booking_number_++;
    booking_id_by_number_[b.number] = id;
  }
  return b;
}

void AvailabilityIndex::AddBlock(Booking& booking, bool is_room, int resource,
                                 int day, SlotMask mask, int minutes) {
  booking.blocks.push_back({is_room, resource, day, mask, minutes});
  occupancy_[Key(is_room, resource, day)].push_back(
      {booking.number, mask, minutes});
  const size_t at = static_cast<size_t>(resource) * num_days_ + day;
  if (is_room) {
    r_free_[at] &= ~mask;
  } else {
    t_free_[at] &= ~mask;
    t_minutes_[at] += minutes;
  }
}

absl::Status AvailabilityIndex::AddCommitment(const Commitment& c) {
  if (c.booking_id.empty()) {
    return absl::InvalidArgumentError("booking_id is empty");
  }
  std::vector<int> therapists;
  for (const std::string& id : c.therapist_ids) {
    const int t = TherapistIndex(id);
    if (t < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("therapist_ids: unknown therapist '", id, "'"));
    }
    therapists.push_back(t);
  }
  int room = -1;
  if (!c.room_id.empty()) {
    room = RoomIndex(c.room_id);
    if (room < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("room_id: unknown room '", c.room_id, "'"));
    }
  }
  Booking& b = NewBooking(c.booking_id);
  b.commitments.push_back(c);
  ForEachDayPart(c.interval, [&](int d, int from, int to) {
    const SlotMask mask = TouchedSlots(from, to);
    for (int t : therapists) AddBlock(b, false, t, d, mask, to - from);
    if (room >= 0) AddBlock(b, true, room, d, mask, 0);
  });
  return absl::OkStatus();
}

absl::Status AvailabilityIndex::Commit(const Plan& plan) {
  if (plan.booking_id.empty()) {
    return absl::InvalidArgumentError("plan.booking_id is empty");
  }
  if (bookings_.contains(plan.booking_id)) {
    return absl::AlreadyExistsError(absl::StrCat("booking '", plan.booking_id,
                                                 "' is already in the index"));
  }
  // Check every id before touching any bit, so a failure changes nothing.
  for (size_t i = 0; i < plan.sessions.size(); ++i) {
    const PlannedSession& s = plan.sessions[i];
    for (const std::string& id : s.therapist_ids) {
      if (TherapistIndex(id) < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("plan.sessions[", i,
                         "].therapist_ids: unknown therapist '", id, "'"));
      }
    }
    if (!s.room_id.empty() && RoomIndex(s.room_id) < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "plan.sessions[", i, "].room_id: unknown room '", s.room_id, "'"));
    }
    if (s.end_minute <= s.start_minute || s.start_minute < 0 ||
        s.end_minute > 1440) {
      return absl::InvalidArgumentError(
          absl::StrCat("plan.sessions[", i,
                       "]: need 0 <= start_minute < end_minute <= 1440"));
    }
  }
  Booking& b = NewBooking(plan.booking_id);
  b.has_plan = true;
  b.plan = plan;
  for (const PlannedSession& s : plan.sessions) {
    const int d = DayIndex(s.date);
    if (d < 0) continue;
    const SlotMask mask = TouchedSlots(s.start_minute, s.end_minute);
    for (const std::string& id : s.therapist_ids) {
      AddBlock(b, false, TherapistIndex(id), d, mask,
               s.end_minute - s.start_minute);
    }
    if (!s.room_id.empty()) AddBlock(b, true, RoomIndex(s.room_id), d, mask, 0);
  }
  return absl::OkStatus();
}

absl::Status AvailabilityIndex::Release(absl::string_view booking_id) {
  auto it = bookings_.find(booking_id);
  if (it == bookings_.end()) {
    return absl::NotFoundError(
        absl::StrCat("booking '", booking_id, "' holds nothing in the index"));
  }
  const Booking booking = std::move(it->second);
  bookings_.erase(it);
  booking_id_by_number_.erase(booking.number);
  // Rebuild each touched word from its base and the remaining occupants, so
  // overlapping commitments of other bookings stay taken.
  for (const Block& block : booking.blocks) {
    auto occ = occupancy_.find(Key(block.is_room, block.resource, block.day));
    if (occ == occupancy_.end()) continue;  // Already rebuilt.
    std::vector<Occupant>& list = occ->second;
    list.erase(std::remove_if(list.begin(), list.end(),
                              [&](const Occupant& o) {
                                return o.booking == booking.number;
                              }),
               list.end());
    SlotMask taken = 0;
    int minutes = 0;
    for (const Occupant& o : list) {
      taken |= o.mask;
      minutes += o.minutes;
    }
    const size_t at =
        static_cast<size_t>(block.resource) * num_days_ + block.day;
    if (block.is_room) {
      r_free_[at] = r_base_[at] & ~taken;
    } else {
      t_free_[at] = t_base_[at] & ~taken;
      t_minutes_[at] = minutes;
    }
    if (list.empty()) occupancy_.erase(occ);
  }
  return absl::OkStatus();
}

absl::Status AvailabilityIndex::AddAbsence(absl::string_view therapist_id,
                                           LocalInterval when) {
  const int t = TherapistIndex(therapist_id);
  if (t < 0) {
    return absl::NotFoundError(
        absl::StrCat("therapist '", therapist_id, "' is unknown"));
  }
  if (absl::Status s = CheckInterval(when, "absence"); !s.ok()) return s;
  snapshot_.therapists[t].absences.push_back(when);
  ForEachDayPart(when, [&](int d, int from, int to) {
    const size_t at = static_cast<size_t>(t) * num_days_ + d;
    t_base_[at] &= ~TouchedSlots(from, to);
    t_free_[at] &= t_base_[at];
  });
  return absl::OkStatus();
}

absl::Status AvailabilityIndex::AddRoomOutage(absl::string_view room_id,
                                              LocalInterval when) {
  const int r = RoomIndex(room_id);
  if (r < 0) {
    return absl::NotFoundError(absl::StrCat("room '", room_id, "' is unknown"));
  }
  if (absl::Status s = CheckInterval(when, "outage"); !s.ok()) return s;
  snapshot_.rooms[r].out_of_service.push_back(when);
  ForEachDayPart(when, [&](int d, int from, int to) {
    const size_t at = static_cast<size_t>(r) * num_days_ + d;
    r_base_[at] &= ~TouchedSlots(from, to);
    r_free_[at] &= r_base_[at];
  });
  return absl::OkStatus();
}

const Plan* AvailabilityIndex::FindPlan(absl::string_view booking_id) const {
  auto it = bookings_.find(booking_id);
  if (it == bookings_.end() || !it->second.has_plan) return nullptr;
  return &it->second.plan;
}

std::vector<std::string> AvailabilityIndex::PlanBookingIds() const {
  std::vector<std::string> ids;
  for (const auto& [id, booking] : bookings_) {
    if (booking.has_plan) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<std::string> AvailabilityIndex::PlansOn(bool is_room, int resource,
                                                    int day) const {
  std::vector<std::string> out;
  auto it = occupancy_.find(Key(is_room, resource, day));
  if (it == occupancy_.end()) return out;
  for (const Occupant& o : it->second) {
    const std::string& id = booking_id_by_number_.at(o.booking);
    if (bookings_.at(id).has_plan) out.push_back(id);
  }
  return out;
}

std::vector<std::string> AvailabilityIndex::PlansOnTherapistDay(int t,
                                                                int day) const {
  return PlansOn(false, t, day);
}

std::vector<std::string> AvailabilityIndex::PlansOnRoomDay(int r,
                                                           int day) const {
  return PlansOn(true, r, day);
}

Snapshot AvailabilityIndex::CurrentSnapshot() const {
  Snapshot out = snapshot_;
  std::vector<std::string> ids;
  for (const auto& [id, booking] : bookings_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  for (const std::string& id : ids) {
    const Booking& b = bookings_.at(id);
    if (b.has_plan) out.booked_plans.push_back(b.plan);
    for (const Commitment& c : b.commitments) out.commitments.push_back(c);
  }
  return out;
}

}  // namespace tandem::scheduler
