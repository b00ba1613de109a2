#include "scheduler/repair.h"

#include <map>
#include <random>

#include "gtest/gtest.h"
#include "scheduler/availability_index.h"
#include "scheduler/planner.h"
#include "scheduler/testing/random_instance.h"
#include "scheduler/testing/small_clinic.h"
#include "scheduler/validate_plan.h"

namespace tandem::scheduler {
namespace {

using testing::SmallClinic;
using testing::TenDayRequest;

// Builds the small clinic's index with one committed ten-day plan (m1, f1).
struct Fixture {
  Fixture() {
    index.emplace(*AvailabilityIndex::Build(SmallClinic()));
    plan = Propose(*index, TenDayRequest(), 1)->plans.at(0);
    EXPECT_TRUE(index->Commit(plan).ok());
  }
  const PlannedSession& Day(int programme_day) const {
    for (const PlannedSession& s : plan.sessions) {
      if (s.programme_day == programme_day) return s;
    }
    return plan.sessions.front();
  }
  std::optional<AvailabilityIndex> index;
  Plan plan;
};

LocalInterval During(const PlannedSession& s, int from_offset, int to_offset) {
  return {absl::CivilMinute(s.date) + s.start_minute + from_offset,
          absl::CivilMinute(s.date) + s.end_minute + to_offset};
}

void ExpectOnlyTheseChanged(const Plan& before, const Plan& after,
                            const std::vector<int>& changed_days) {
  for (const PlannedSession& s : before.sessions) {
    if (std::find(changed_days.begin(), changed_days.end(), s.programme_day) !=
        changed_days.end()) {
      continue;
    }
    EXPECT_NE(std::find(after.sessions.begin(), after.sessions.end(), s),
              after.sessions.end())
        << "day " << s.programme_day << " " << s.session_key << " changed";
  }
}

TEST(RepairTest, MovesTheSessionTheSameDayKeepingTheTeam) {
  Fixture f;
  const PlannedSession day3 = f.Day(3);
  absl::StatusOr<RepairResult> r =
      Repair(*f.index,
             {Disruption::Kind::kTherapistAbsence, "m1", During(day3, 0, 0)});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->changes.size(), 1u);
  EXPECT_TRUE(r->unsaved.empty());
  const PlannedSession& moved = *r->changes[0].after;
  EXPECT_EQ(moved.date, day3.date);
  EXPECT_NE(moved.start_minute, day3.start_minute);
  EXPECT_EQ(moved.therapist_ids, day3.therapist_ids);
  EXPECT_TRUE(moved.substitute_for.empty());
  ASSERT_EQ(r->repaired_plans.size(), 1u);
  ExpectOnlyTheseChanged(f.plan, r->repaired_plans[0], {3});
  EXPECT_TRUE(ValidatePlan(f.index->CurrentSnapshot(), TenDayRequest(),
                           r->repaired_plans[0])
                  .ok());
  EXPECT_EQ(*f.index->FindPlan("b1"), r->repaired_plans[0]);
}

TEST(RepairTest, SubstitutesOnlyTheAbsentTherapistOnlyThatDay) {
  Fixture f;
  const PlannedSession day4 = f.Day(4);
  const LocalInterval whole_day{absl::CivilMinute(day4.date),
                                absl::CivilMinute(day4.date + 1)};
  absl::StatusOr<RepairResult> r =
      Repair(*f.index, {Disruption::Kind::kTherapistAbsence, "m1", whole_day});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->changes.size(), 1u);
  const PlannedSession& after = *r->changes[0].after;
  EXPECT_EQ(after.start_minute, day4.start_minute);  // Same time kept.
  EXPECT_EQ(after.substitute_for, "m1");
  EXPECT_NE(
      std::find(after.therapist_ids.begin(), after.therapist_ids.end(), "m2"),
      after.therapist_ids.end());
  EXPECT_NE(r->changes[0].description.find("m2 stands in for m1"),
            std::string::npos);
  ExpectOnlyTheseChanged(f.plan, r->repaired_plans[0], {4});
  EXPECT_TRUE(ValidatePlan(f.index->CurrentSnapshot(), TenDayRequest(),
                           r->repaired_plans[0])
                  .ok());
}

TEST(RepairTest, ReportsWhatCannotBeSaved) {
  Fixture f;
  const PlannedSession day5 = f.Day(5);
  // The only joint room is out all day: nothing can save day 5.
  absl::StatusOr<RepairResult> r = Repair(
      *f.index,
      {Disruption::Kind::kRoomOutage,
       day5.room_id,
       {absl::CivilMinute(day5.date), absl::CivilMinute(day5.date + 1)}});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->changes.empty());
  ASSERT_EQ(r->unsaved.size(), 1u);
  EXPECT_EQ(r->unsaved[0].before, day5);
  const Plan& after = r->repaired_plans.at(0);
  EXPECT_EQ(after.sessions.size(), f.plan.sessions.size() - 1);
  ExpectOnlyTheseChanged(f.plan, after, {5});
  EXPECT_TRUE(ValidatePlan(f.index->CurrentSnapshot(), TenDayRequest(), after,
                           {.allow_missing_sessions = true})
                  .ok());
}

TEST(RepairTest, UnknownResourceLeavesIndexAlone) {
  Fixture f;
  EXPECT_EQ(Repair(*f.index, {Disruption::Kind::kTherapistAbsence, "nobody",
                              During(f.Day(2), 0, 0)})
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Repair(*f.index, {Disruption::Kind::kRoomOutage, "J1",
                              During(f.Day(2), 0, -120)})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*f.index->FindPlan("b1"), f.plan);
}

// Random instances: several committed plans, one random disruption. Repaired
// plans keep every hard rule and sessions the disruption did not touch never
// change.
TEST(RepairPropertyTest, NeverBreaksRulesNorTouchesUnaffectedSessions) {
  int repaired_sessions = 0, unsaved_sessions = 0;
  for (int seed = 0; seed < 600; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    testing::Instance inst = testing::RandomSmallInstance(seed);
    absl::StatusOr<AvailabilityIndex> index =
        AvailabilityIndex::Build(inst.snapshot, 60);
    ASSERT_TRUE(index.ok());
    std::map<std::string, Request> requests;
    for (int i = 0; i < 4; ++i) {
      Request req = inst.request;
      req.booking_id = "b" + std::to_string(i);
      req.latest_start = req.latest_start + 7;
      absl::StatusOr<ProposeResult> p = Propose(*index, req, 1);
      ASSERT_TRUE(p.ok());
      if (p->plans.empty()) continue;
      ASSERT_TRUE(index->Commit(p->plans[0]).ok());
      requests[req.booking_id] = req;
    }
    if (requests.empty()) continue;
    std::mt19937_64 rng(seed);
    const Plan victim = *index->FindPlan(requests.begin()->first);
    const PlannedSession& hit = victim.sessions[rng() % victim.sessions.size()];
    Disruption e;
    if (rng() % 2 == 0) {
      e.kind = Disruption::Kind::kTherapistAbsence;
      e.resource_id = hit.therapist_ids[rng() % hit.therapist_ids.size()];
    } else {
      e.kind = Disruption::Kind::kRoomOutage;
      e.resource_id = hit.room_id;
    }
    const int days = 1 + static_cast<int>(rng() % 3);
    e.interval =
        rng() % 2 == 0
            ? LocalInterval{absl::CivilMinute(hit.date),
                            absl::CivilMinute(hit.date + days)}
            : LocalInterval{absl::CivilMinute(hit.date) + hit.start_minute,
                            absl::CivilMinute(hit.date) + hit.end_minute};
    std::map<std::string, Plan> before;
    for (const auto& [id, req] : requests) before[id] = *index->FindPlan(id);
    absl::StatusOr<RepairResult> r = Repair(*index, e);
    ASSERT_TRUE(r.ok()) << r.status();
    const Snapshot now = index->CurrentSnapshot();
    for (const Plan& p : r->repaired_plans) {
      EXPECT_TRUE(ValidatePlan(now, requests[p.booking_id], p,
                               {.allow_missing_sessions = true})
                      .ok())
          << ValidatePlan(now, requests[p.booking_id], p,
                          {.allow_missing_sessions = true});
    }
    for (const auto& [id, old] : before) {
      const Plan& cur = *index->FindPlan(id);
      for (const PlannedSession& s : old.sessions) {
        const absl::CivilMinute from =
            absl::CivilMinute(s.date) + s.start_minute;
        const absl::CivilMinute to = absl::CivilMinute(s.date) + s.end_minute;
        const bool overlaps = from < e.interval.end && e.interval.start < to;
        const bool uses =
            e.kind == Disruption::Kind::kRoomOutage
                ? s.room_id == e.resource_id
                : std::find(s.therapist_ids.begin(), s.therapist_ids.end(),
                            e.resource_id) != s.therapist_ids.end();
        if (overlaps && uses) continue;
        EXPECT_NE(std::find(cur.sessions.begin(), cur.sessions.end(), s),
                  cur.sessions.end())
            << id << " day " << s.programme_day << " changed";
      }
    }
    repaired_sessions += r->changes.size();
    unsaved_sessions += r->unsaved.size();
  }
  EXPECT_GT(repaired_sessions, 50);
  EXPECT_GT(unsaved_sessions, 0);
  std::printf("repaired %d sessions, %d unsaved\n", repaired_sessions,
              unsaved_sessions);
}

}  // namespace
}  // namespace tandem::scheduler
