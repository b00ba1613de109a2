#include "scheduler/testing/loaded_clinic.h"

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "scheduler/availability_index.h"
#include "scheduler/internal/slot_mask.h"

namespace tandem::scheduler::testing {
namespace {

using internal::HasSlot;
using internal::RunStarts;

constexpr int kHorizon = 365;

WeeklyHours Weekdays(int from, int to) {
  WeeklyHours h;
  for (int wd = 0; wd < 5; ++wd) h[wd] = MinuteRange{from, to};
  return h;
}

}  // namespace

LoadedClinic GenerateLoadedClinic(ClinicSize size, uint64_t seed,
                                  double target_load) {
  std::mt19937_64 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  const int therapists = size == ClinicSize::kS   ? 20
                         : size == ClinicSize::kM ? 60
                                                  : 200;
  const int rooms = size == ClinicSize::kS   ? 5
                    : size == ClinicSize::kM ? 15
                                             : 50;
  LoadedClinic out;
  Snapshot& s = out.snapshot;
  s.clinic.time_zone = "Europe/Berlin";
  s.clinic.opening_hours = Weekdays(8 * 60, 20 * 60);
  s.clinic.grid_minutes = 15;
  s.today = absl::CivilDay(2026, 1, 5);  // A Monday.
  for (int i = 0; i < 8; ++i)
    s.clinic.closures.push_back(s.today + 20 + 41 * i);
  for (int i = 0; i < therapists; ++i) {
    Therapist t;
    const bool male = i % 2 == 0;
    t.id = absl::StrCat(male ? "m" : "f", i / 2);
    t.sex = male ? Sex::kMale : Sex::kFemale;
    t.languages = {"English"};
    if (pick(10) < 3) t.languages.push_back("Spanish");
    if (pick(20) == 0) t.languages.push_back("Tamil");
    t.working_hours =
        pick(2) == 0 ? Weekdays(8 * 60, 18 * 60) : Weekdays(10 * 60, 20 * 60);
    const absl::CivilDay off = s.today + 30 + pick(300);
    t.absences.push_back({absl::CivilMinute(off), absl::CivilMinute(off + 14)});
    t.daily_cap_minutes = 540;
    s.therapists.push_back(std::move(t));
    if (!male)
      s.teams.push_back({absl::StrCat("m", i / 2), s.therapists.back().id});
  }
  for (int i = 0; i < rooms; ++i) {
    Room r;
    const bool joint = i * 10 < rooms * 7;
    r.id = absl::StrCat(joint ? "joint-" : "ind-", i);
    r.capacity = joint ? 4 : 2;
    r.kinds =
        joint ? std::vector<RoomKind>{RoomKind::kJoint, RoomKind::kIndividual}
              : std::vector<RoomKind>{RoomKind::kIndividual};
    s.rooms.push_back(std::move(r));
  }
  absl::StatusOr<AvailabilityIndex> built =
      AvailabilityIndex::Build(s, kHorizon + 30);
  if (!built.ok()) return out;
  AvailabilityIndex& index = *built;

  // Capacity for the load figures.
  double therapist_capacity = 0, joint_capacity = 0;
  for (int d = 0; d < kHorizon; ++d) {
    for (int t = 0; t < index.num_therapists(); ++t) {
      therapist_capacity +=
          __builtin_popcountll(
              static_cast<uint64_t>(index.TherapistFree(t, d))) +
          __builtin_popcountll(
              static_cast<uint64_t>(index.TherapistFree(t, d) >> 64));
    }
    for (int r = 0; r < index.num_rooms(); ++r) {
      if (index.room(r).capacity < 4) continue;
      joint_capacity +=
          __builtin_popcountll(static_cast<uint64_t>(index.RoomFree(r, d))) +
          __builtin_popcountll(
              static_cast<uint64_t>(index.RoomFree(r, d) >> 64));
    }
  }
  therapist_capacity *= 15;
  joint_capacity *= 15;
  std::vector<int> joint_rooms, any_rooms;
  for (int r = 0; r < index.num_rooms(); ++r) {
    if (index.room(r).capacity >= 4) joint_rooms.push_back(r);
    any_rooms.push_back(r);
  }

  double booked_t = 0, booked_r = 0;
  int n = 0;
  const int pairs = therapists / 2;
  // Passes over all start days in random order; on each, every joint room
  // (random order) gets at most one new intensive. Stops at the target.
  // One chronological pass (with a little jitter) over start days; each
  // (start day, joint room) gets a new intensive with probability
  // `target_load`, which packs lanes evenly across the year at about that
  // load (a purely random order jams near 75% and fragments rooms).
  std::vector<std::pair<int, int>> work;
  {
    std::vector<std::pair<double, int>> keyed;
    for (int d = 0; d + 16 < kHorizon; ++d) {
      keyed.push_back(
          {d + std::uniform_real_distribution<double>(0, 3)(rng), d});
    }
    std::sort(keyed.begin(), keyed.end());
    for (const auto& [key, d] : keyed) {
      std::vector<int> order = joint_rooms;
      std::shuffle(order.begin(), order.end(), rng);
      for (int jr : order) {
        for (int lane = 0; lane < 6; ++lane) {
          if (std::bernoulli_distribution(target_load)(rng)) {
            work.push_back({d, jr});
          }
        }
      }
    }
  }
  for (const auto& [start, room] : work) {
    if (!index.IsOpenDay(start)) continue;
    std::vector<int> days;
    for (int d = start; d < start + 16 && days.size() < 10; ++d) {
      if (index.IsOpenDay(d)) days.push_back(d);
    }
    if (days.size() < 10) continue;
    // A random joint room; the first slot (random order) where it is free
    // all ten days; then the first pair (standing teams first, in random
    // order, then mixed pairs) free at that slot: dense packing like a busy
    // coordinator's, so the target load is reachable.
    std::vector<int> slots;
    for (int sl = 0; sl + 10 <= index.slots_per_day(); sl += 8)
      slots.push_back(sl);
    std::shuffle(slots.begin(), slots.end(), rng);
    int slot = -1, m = -1, f = -1, first_ind = -1, second = -1;
    for (int sl : slots) {
      bool free = true;
      for (size_t k = 0; k < days.size() && free; ++k) {
        free = HasSlot(RunStarts(index.RoomFree(room, days[k]), k == 0 ? 6 : 8),
                       sl);
      }
      if (!free) continue;
      // Day 1's two parallel individual sessions go to two other rooms,
      // individual rooms first.
      first_ind = second = -1;
      for (auto it = any_rooms.rbegin(); it != any_rooms.rend(); ++it) {
        const int r = *it;
        if (r == room ||
            !HasSlot(RunStarts(index.RoomFree(r, days[0]), 4), sl + 6)) {
          continue;
        }
        (first_ind < 0 ? first_ind : second) = r;
        if (second >= 0) break;
      }
      if (second < 0) continue;
      std::vector<std::pair<int, int>> candidates;
      for (int i = 0; i < pairs; ++i) candidates.push_back({i, i});
      std::shuffle(candidates.begin(), candidates.end(), rng);
      for (int i = 0; i < pairs; ++i)
        candidates.push_back({pick(pairs), pick(pairs)});
      for (const auto& [mi, fi] : candidates) {
        const int tm = index.TherapistIndex(absl::StrCat("m", mi));
        const int tf = index.TherapistIndex(absl::StrCat("f", fi));
        bool ok = true;
        for (size_t k = 0; k < days.size() && ok; ++k) {
          const int d = days[k];
          const int len = k == 0 ? 10 : 8;  // Day 1: 90 + 60 minutes.
          for (int t : {tm, tf}) {
            ok &= HasSlot(RunStarts(index.TherapistFree(t, d), len), sl) &&
                  index.TherapistMinutes(t, d) + 150 <= 540;
          }
        }
        if (ok) {
          m = tm, f = tf;
          break;
        }
      }
      if (m >= 0) {
        slot = sl;
        break;
      }
    }
    if (slot < 0) continue;
    Plan p;
    p.booking_id = absl::StrCat("gen", n++);
    p.template_id = "ten-day-intensive";
    p.male_therapist_id = index.therapist(m).id;
    p.female_therapist_id = index.therapist(f).id;
    p.language = "English";
    const int start_minute = index.MinuteOfSlot(slot);
    auto session = [&](std::string key, int k, int from, int len, int r,
                       std::vector<std::string> who) {
      PlannedSession x;
      x.session_key = std::move(key);
      x.programme_day = k + 1;
      x.date = index.DayAt(days[k]);
      x.start_minute = from;
      x.end_minute = from + len;
      x.room_id = index.room(r).id;
      x.therapist_ids = std::move(who);
      p.sessions.push_back(std::move(x));
    };
    session("joint-assessment", 0, start_minute, 90, room,
            {p.male_therapist_id, p.female_therapist_id});
    session("individual-assessment-a", 0, start_minute + 90, 60, first_ind,
            {p.male_therapist_id});
    session("individual-assessment-b", 0, start_minute + 90, 60, second,
            {p.female_therapist_id});
    for (int k = 1; k < 10; ++k) {
      session("joint", k, start_minute, 120, room,
              {p.male_therapist_id, p.female_therapist_id});
    }
    if (!index.Commit(p).ok()) break;
    booked_t += 2 * (150 + 9 * 120);
    booked_r += 150 + 9 * 120;
    s.booked_plans.push_back(std::move(p));
  }
  out.therapist_load = booked_t / therapist_capacity;
  out.room_load = booked_r / joint_capacity;
  return out;
}

std::vector<Request> RandomRequests(const Snapshot& snapshot, int count,
                                    uint64_t seed, const std::string& prefix) {
  std::mt19937_64 rng(seed);
  std::vector<Request> out;
  for (int i = 0; i < count; ++i) {
    Request r;
    r.booking_id = absl::StrCat(prefix, i);
    r.template_id = "ten-day-intensive";
    r.earliest_start = snapshot.today + static_cast<int>(rng() % 300);
    r.latest_start = r.earliest_start + 14 + static_cast<int>(rng() % 17);
    r.language = rng() % 5 == 0 ? "Spanish" : "English";
    r.preferences.time_of_day = static_cast<TimeOfDay>(rng() % 4);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace tandem::scheduler::testing
