#include "scheduler/testing/random_instance.h"

#include <algorithm>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"

namespace tandem::scheduler::testing {
namespace {

class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}
  int Int(int lo, int hi) {  // Inclusive.
    return std::uniform_int_distribution<int>(lo, hi)(gen_);
  }
  bool Chance(double p) { return std::bernoulli_distribution(p)(gen_); }

 private:
  std::mt19937_64 gen_;
};

SessionTemplate S(std::string key, int minutes, Participants who,
                  TherapistRole role, RoomKind kind,
                  std::string parallel = "") {
  return {std::move(key), minutes, who, role, kind, std::move(parallel)};
}

// Short templates with the shipped ones' structures, so that the oracle
// stays fast while every feature is exercised.
ProgrammeTemplate SmallTemplate(Rng& rng, int grid) {
  ProgrammeTemplate t;
  t.id = "small";
  const int days = rng.Int(2, 4);
  const int unit = grid * rng.Int(1, 3);
  t.max_span_days = days + rng.Int(0, 4);
  const int shape = rng.Int(0, 3);
  for (int d = 0; d < days; ++d) {
    DayTemplate day;
    day.min_days_after_previous = rng.Chance(0.8) ? 1 : rng.Int(2, 3);
    if (d == 0 && shape == 0) {  // Ten-day style assessment day.
      day.sessions = {
          S("joint-assessment", unit, Participants::kBothPartners,
            TherapistRole::kBoth, RoomKind::kJoint),
          S("ind-a", grid, Participants::kPartnerA, TherapistRole::kMale,
            RoomKind::kIndividual),
          S("ind-b", grid, Participants::kPartnerB, TherapistRole::kFemale,
            RoomKind::kIndividual, "ind-a")};
    } else if (d == 0 && shape == 1) {  // Classic 1970 style.
      day.sessions = {
          S("same-a", unit, Participants::kPartnerA,
            TherapistRole::kSameSexAsPartner, RoomKind::kIndividual),
          S("same-b", unit, Participants::kPartnerB,
            TherapistRole::kSameSexAsPartner, RoomKind::kIndividual, "same-a")};
    } else if (shape == 2 && d % 2 == 1) {  // "Either" therapist.
      day.sessions = {S("check-in", grid, Participants::kPartnerA,
                        TherapistRole::kEither, RoomKind::kIndividual),
                      S("joint", unit, Participants::kBothPartners,
                        TherapistRole::kBoth, RoomKind::kJoint)};
    } else {
      day.sessions = {S("joint", unit, Participants::kBothPartners,
                        TherapistRole::kBoth, RoomKind::kJoint)};
    }
    t.days.push_back(std::move(day));
  }
  if (rng.Chance(0.1)) t.required_qualifications = {"sex-therapy"};
  return t;
}

LocalInterval RandomInterval(Rng& rng, absl::CivilDay first, int days,
                             int open_from, int open_to) {
  const absl::CivilDay d = first + rng.Int(0, days - 1);
  if (rng.Chance(0.1)) {  // Whole days.
    return {absl::CivilMinute(d), absl::CivilMinute(d + rng.Int(1, 3))};
  }
  const int from = rng.Int(open_from / 30, open_to / 30 - 1) * 30 +
                   (rng.Chance(0.3) ? rng.Int(1, 29) : 0);
  const int len = rng.Int(1, 6) * 30;
  return {absl::CivilMinute(d) + from, absl::CivilMinute(d) + from + len};
}

}  // namespace

Instance RandomSmallInstance(uint64_t seed) {
  Rng rng(seed);
  Instance out;
  Snapshot& s = out.snapshot;
  s.today = absl::CivilDay(2026, 3, 2) + rng.Int(0, 6);
  const int grid = rng.Chance(0.5) ? 30 : 60;
  s.clinic.grid_minutes = grid;
  const int open_from = rng.Int(8, 10) * 60;
  const int open_to = open_from + rng.Int(4, 7) * 60;
  for (int wd = 0; wd < 7; ++wd) {
    const bool open = wd < 5 ? rng.Chance(0.95) : rng.Chance(0.3);
    if (open) s.clinic.opening_hours[wd] = MinuteRange{open_from, open_to};
  }
  const int horizon = 24;
  for (int i = rng.Int(0, 2); i > 0; --i) {
    s.clinic.closures.push_back(s.today + rng.Int(0, horizon));
  }
  const int males = rng.Int(1, 3), females = rng.Int(1, 3);
  for (int i = 0; i < males + females; ++i) {
    Therapist t;
    t.sex = i < males ? Sex::kMale : Sex::kFemale;
    t.id = absl::StrCat(i < males ? "m" : "f", i);
    t.languages = {"English"};
    if (rng.Chance(0.4)) t.languages.push_back("Tamil");
    if (rng.Chance(0.05)) t.languages = {"Tamil"};
    if (rng.Chance(0.9)) t.qualifications = {"sex-therapy"};
    for (int wd = 0; wd < 7; ++wd) {
      if (rng.Chance(0.97)) {
        const int from = open_from + (rng.Chance(0.3) ? rng.Int(0, 4) * 30 : 0);
        const int to = open_to - (rng.Chance(0.3) ? rng.Int(0, 4) * 30 : 0);
        if (from < to) t.working_hours[wd] = MinuteRange{from, to};
      }
    }
    for (int a = rng.Int(0, 2); a > 0; --a) {
      t.absences.push_back(
          RandomInterval(rng, s.today, horizon, open_from, open_to));
    }
    t.daily_cap_minutes = rng.Int(3, 12) * 30;
    t.active = rng.Chance(0.97);
    s.therapists.push_back(std::move(t));
  }
  if (rng.Chance(0.5)) s.teams.push_back({"m0", absl::StrCat("f", males)});
  const int rooms = rng.Int(1, 3);
  for (int i = 0; i < rooms; ++i) {
    Room r;
    r.id = absl::StrCat("r", i);
    r.capacity = rng.Chance(0.75) ? 4 : rng.Int(2, 3);
    const int kinds = rng.Chance(0.6) ? 2 : rng.Int(0, 1);
    if (kinds != 1) r.kinds.push_back(RoomKind::kJoint);
    if (kinds != 0) r.kinds.push_back(RoomKind::kIndividual);
    for (int o = rng.Int(0, 1); o > 0; --o) {
      r.out_of_service.push_back(
          RandomInterval(rng, s.today, horizon, open_from, open_to));
    }
    s.rooms.push_back(std::move(r));
  }
  for (int c = rng.Int(0, 10); c > 0; --c) {
    Commitment k;
    k.booking_id = absl::StrCat("busy", c);
    k.interval = RandomInterval(rng, s.today, horizon, open_from, open_to);
    if (k.interval.end - k.interval.start > 600) continue;  // Keep it small.
    if (rng.Chance(0.8)) {
      k.therapist_ids.push_back(
          s.therapists[rng.Int(0, males + females - 1)].id);
    }
    if (rng.Chance(0.5)) k.room_id = s.rooms[rng.Int(0, rooms - 1)].id;
    s.commitments.push_back(std::move(k));
  }
  s.templates.push_back(SmallTemplate(rng, grid));

  Request& r = out.request;
  r.booking_id = "new";
  r.template_id = "small";
  r.earliest_start = s.today + rng.Int(-1, 3);
  r.latest_start = std::max(r.earliest_start + rng.Int(0, 12), s.today);
  r.language = rng.Chance(0.8) ? "English" : "Tamil";
  if (rng.Chance(0.2)) {
    r.excluded_therapist_ids.push_back(
        s.therapists[rng.Int(0, males + females - 1)].id);
  }
  for (int b = rng.Int(0, 2); b > 0; --b) {
    r.blackout_dates.push_back(r.earliest_start + rng.Int(0, 12));
  }
  if (rng.Chance(0.5)) {
    r.partner_a_sex = Sex::kFemale;
    r.partner_b_sex = Sex::kMale;
  }
  r.preferences.time_of_day = static_cast<TimeOfDay>(rng.Int(0, 3));
  r.preferences.same_room = rng.Chance(0.3);
  return out;
}

}  // namespace tandem::scheduler::testing
