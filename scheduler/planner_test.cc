#include "scheduler/planner.h"

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scheduler/availability_index.h"
#include "scheduler/testing/loaded_clinic.h"
#include "scheduler/testing/small_clinic.h"
#include "scheduler/validate_plan.h"

namespace tandem::scheduler {
namespace {

using ::testing::HasSubstr;
using testing::SmallClinic;
using testing::TenDayRequest;

TEST(ProposeTest, TenDayIntensiveStartsOnFirstOpenDayWithStandingTeam) {
  const Snapshot snap = SmallClinic();
  absl::StatusOr<AvailabilityIndex> index = AvailabilityIndex::Build(snap);
  ASSERT_TRUE(index.ok()) << index.status();
  absl::StatusOr<ProposeResult> r = Propose(*index, TenDayRequest(), 5);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->plans.size(), 5u);
  EXPECT_FALSE(r->explanation.has_value());
  const Plan& best = r->plans[0];
  EXPECT_EQ(best.start_date(), absl::CivilDay(2026, 3, 2));
  EXPECT_EQ(best.male_therapist_id, "m1");
  EXPECT_EQ(best.female_therapist_id, "f1");
  EXPECT_EQ(best.sessions.size(), 12u);  // 3 on day 1, then 9 joint sessions.
  // Ten open days: Mon 2 Mar .. Fri 13 Mar, weekends skipped.
  EXPECT_EQ(best.sessions.back().date, absl::CivilDay(2026, 3, 13));
  EXPECT_EQ(best.sessions.back().programme_day, 10);
  // Four teams can start on 2 Mar; the fifth plan starts later.
  EXPECT_EQ(r->plans[3].start_date(), absl::CivilDay(2026, 3, 2));
  EXPECT_GT(r->plans[4].start_date(), absl::CivilDay(2026, 3, 2));
  for (size_t i = 0; i < r->plans.size(); ++i) {
    EXPECT_TRUE(ValidatePlan(snap, TenDayRequest(), r->plans[i]).ok())
        << i << ": " << ValidatePlan(snap, TenDayRequest(), r->plans[i]);
    if (i > 0 && r->plans[i].start_date() == r->plans[i - 1].start_date()) {
      EXPECT_LE(r->plans[i].score, r->plans[i - 1].score);
    }
  }
}

TEST(ProposeTest, SameTimeAndRoomEveryDayWhenFree) {
  absl::StatusOr<AvailabilityIndex> index =
      AvailabilityIndex::Build(SmallClinic());
  ASSERT_TRUE(index.ok());
  absl::StatusOr<ProposeResult> r = Propose(*index, TenDayRequest(), 1);
  ASSERT_TRUE(r.ok());
  std::set<int> starts;
  std::set<std::string> joint_rooms;
  for (const PlannedSession& s : r->plans[0].sessions) {
    if (s.session_key == "joint") {
      starts.insert(s.start_minute);
      joint_rooms.insert(s.room_id);
    }
  }
  EXPECT_EQ(starts.size(), 1u);
  EXPECT_EQ(joint_rooms.size(), 1u);
}

TEST(ProposeTest, PrefersAfternoonWhenAsked) {
  absl::StatusOr<AvailabilityIndex> index =
      AvailabilityIndex::Build(SmallClinic());
  ASSERT_TRUE(index.ok());
  Request req = TenDayRequest();
  req.preferences.time_of_day = TimeOfDay::kAfternoon;
  absl::StatusOr<ProposeResult> r = Propose(*index, req, 1);
  ASSERT_TRUE(r.ok());
  for (const PlannedSession& s : r->plans[0].sessions) {
    if (s.session_key == "joint") {
      EXPECT_GE(s.start_minute, 12 * 60);
      EXPECT_LT(s.start_minute, 17 * 60);
    }
  }
}

TEST(ProposeTest, CommittedPlansPushTheNextCoupleAlong) {
  const Snapshot snap = SmallClinic();
  absl::StatusOr<AvailabilityIndex> index = AvailabilityIndex::Build(snap);
  ASSERT_TRUE(index.ok());
  // One joint room, 10 hours a day, 2-hour joint sessions: at most five
  // couples a day can be in their joint phase; day 1 takes 150 minutes.
  int placed = 0;
  for (int i = 0; i < 8; ++i) {
    Request req = TenDayRequest("b" + std::to_string(i));
    absl::StatusOr<ProposeResult> r = Propose(*index, req, 1);
    ASSERT_TRUE(r.ok()) << r.status();
    if (r->plans.empty()) continue;
    ASSERT_TRUE(ValidatePlan(index->CurrentSnapshot(), req, r->plans[0]).ok())
        << ValidatePlan(index->CurrentSnapshot(), req, r->plans[0]);
    ASSERT_TRUE(index->Commit(r->plans[0]).ok());
    ++placed;
  }
  EXPECT_EQ(placed, 8);
}

TEST(ProposeTest, RejectsBadInputNamingTheField) {
  absl::StatusOr<AvailabilityIndex> index =
      AvailabilityIndex::Build(SmallClinic());
  ASSERT_TRUE(index.ok());
  Request req = TenDayRequest();
  req.template_id = "nope";
  EXPECT_THAT(Propose(*index, req).status().message(),
              HasSubstr("request.template_id"));
  req = TenDayRequest();
  req.latest_start = req.earliest_start - 1;
  EXPECT_EQ(Propose(*index, req).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Propose(*index, req).status().message(),
              HasSubstr("request.latest_start"));
  req = TenDayRequest();
  req.language = "";
  EXPECT_THAT(Propose(*index, req).status().message(),
              HasSubstr("request.language"));
  req = TenDayRequest();
  req.booking_id = "";
  EXPECT_THAT(Propose(*index, req).status().message(),
              HasSubstr("request.booking_id"));
  EXPECT_EQ(Propose(*index, TenDayRequest(), 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  req = TenDayRequest();
  req.earliest_start = absl::CivilDay(2030, 1, 1);
  req.latest_start = absl::CivilDay(2030, 2, 1);
  EXPECT_EQ(Propose(*index, req).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST(ProposeTest, EveryShippedTemplatePlans) {
  const Snapshot snap = SmallClinic();
  absl::StatusOr<AvailabilityIndex> index = AvailabilityIndex::Build(snap);
  ASSERT_TRUE(index.ok());
  for (const ProgrammeTemplate& t : ShippedTemplates()) {
    Request req = TenDayRequest();
    req.template_id = t.id;
    absl::StatusOr<ProposeResult> r = Propose(*index, req, 3);
    ASSERT_TRUE(r.ok()) << t.id << ": " << r.status();
    ASSERT_FALSE(r->plans.empty()) << t.id;
    for (const Plan& p : r->plans) {
      EXPECT_TRUE(ValidatePlan(snap, req, p).ok())
          << t.id << ": " << ValidatePlan(snap, req, p);
    }
  }
}

TEST(ExplainTest, NamesTheMissingLanguage) {
  Snapshot snap = SmallClinic();
  snap.therapists[0].languages.push_back("Tamil");
  absl::StatusOr<AvailabilityIndex> index = AvailabilityIndex::Build(snap);
  ASSERT_TRUE(index.ok());
  Request req = TenDayRequest();
  req.language = "Tamil";
  absl::StatusOr<ProposeResult> r = Propose(*index, req);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->plans.empty());
  ASSERT_TRUE(r->explanation.has_value());
  ASSERT_FALSE(r->explanation->reasons.empty());
  EXPECT_EQ(r->explanation->reasons[0].code, ReasonCode::kNoEligibleFemale);
  EXPECT_THAT(r->explanation->reasons[0].message,
              HasSubstr("female therapist who speaks Tamil"));
  EXPECT_FALSE(r->explanation->earliest_start_after_window.has_value());
}

TEST(ExplainTest, AbsenceGivesReasonAndEarliestLaterStart) {
  Snapshot snap = SmallClinic();
  // Both women away for the whole window and a bit beyond.
  for (Therapist& t : snap.therapists) {
    if (t.sex == Sex::kFemale) {
      t.absences.push_back({absl::CivilMinute(2026, 3, 2, 0, 0),
                            absl::CivilMinute(2026, 3, 16, 0, 0)});
    }
  }
  absl::StatusOr<AvailabilityIndex> index = AvailabilityIndex::Build(snap);
  ASSERT_TRUE(index.ok());
  Request req = TenDayRequest();
  req.latest_start = absl::CivilDay(2026, 3, 6);
  absl::StatusOr<Explanation> e = Explain(*index, req);
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(e->feasible_in_window);
  ASSERT_FALSE(e->reasons.empty());
  EXPECT_EQ(e->reasons[0].code, ReasonCode::kNoFreeFemale);
  EXPECT_EQ(e->reasons[0].start_dates, 5);
  ASSERT_TRUE(e->earliest_start_after_window.has_value());
  EXPECT_EQ(*e->earliest_start_after_window, absl::CivilDay(2026, 3, 16));
}

}  // namespace
}  // namespace tandem::scheduler

namespace tandem::scheduler {
namespace {

// Odd but representable inputs give a status or an answer, never a crash.
TEST(ProposeTest, SurvivesExtremeInputs) {
  Snapshot snap = testing::SmallClinic();
  ProgrammeTemplate odd;
  odd.id = "odd";
  odd.max_span_days = 1000000;
  odd.days = {{.sessions = {{"long", 1440}}},
              {.sessions = {{"x", 15}}, .min_days_after_previous = 3000}};
  snap.templates = {odd};
  absl::StatusOr<AvailabilityIndex> index = AvailabilityIndex::Build(snap);
  ASSERT_TRUE(index.ok());
  Request r = testing::TenDayRequest();
  r.template_id = "odd";
  absl::StatusOr<ProposeResult> p = Propose(*index, r);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(p->plans.empty());  // A 24-hour session never fits.
  snap.templates[0].days[0].sessions[0].duration_minutes = 100000;
  index = AvailabilityIndex::Build(snap);
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(Propose(*index, r).status().code(),
            absl::StatusCode::kInvalidArgument);
  r = testing::TenDayRequest();
  r.earliest_start = absl::CivilDay(1900, 1, 1);
  r.latest_start = absl::CivilDay(9999, 1, 1);
  p = Propose(*index, r, 1000);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_FALSE(p->plans.empty());
  for (const Plan& plan : p->plans) {
    EXPECT_TRUE(ValidatePlan(snap, r, plan).ok());
  }
}

}  // namespace
}  // namespace tandem::scheduler

namespace tandem::scheduler {
namespace {

TEST(ProposeTest, DeterministicForTheSameSnapshotAndRequest) {
  const testing::LoadedClinic clinic =
      testing::GenerateLoadedClinic(testing::ClinicSize::kS, 9);
  absl::StatusOr<AvailabilityIndex> a =
      AvailabilityIndex::Build(clinic.snapshot, 395);
  absl::StatusOr<AvailabilityIndex> b =
      AvailabilityIndex::Build(clinic.snapshot, 395);
  ASSERT_TRUE(a.ok() && b.ok());
  for (const Request& r :
       testing::RandomRequests(clinic.snapshot, 20, 3, "d")) {
    absl::StatusOr<ProposeResult> x = Propose(*a, r);
    absl::StatusOr<ProposeResult> y = Propose(*b, r);
    ASSERT_TRUE(x.ok() && y.ok());
    EXPECT_EQ(x->plans, y->plans);
    EXPECT_EQ(x->plans.empty(), y->plans.empty());
    for (const Plan& p : x->plans) {
      EXPECT_TRUE(ValidatePlan(clinic.snapshot, r, p).ok())
          << ValidatePlan(clinic.snapshot, r, p);
    }
  }
}

}  // namespace
}  // namespace tandem::scheduler
