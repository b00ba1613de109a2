#include "scheduler/free_check.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scheduler/planner.h"
#include "scheduler/testing/small_clinic.h"

namespace tandem::scheduler {
namespace {

using testing::SmallClinic;
using testing::TenDayRequest;

class FreeCheckTest : public ::testing::Test {
 protected:
  FreeCheckTest()
      : index_(*AvailabilityIndex::Build(SmallClinic())),
        plan_(Propose(index_, TenDayRequest(), 1)->plans.at(0)) {}
  AvailabilityIndex index_;
  Plan plan_;
};

TEST_F(FreeCheckTest, AProposedPlanIsFreeUntilCommitted) {
  EXPECT_TRUE(FindClashes(index_, plan_).empty());
  ASSERT_TRUE(index_.Commit(plan_).ok());
  const std::vector<Clash> clashes = FindClashes(index_, plan_);
  ASSERT_FALSE(clashes.empty());
  EXPECT_EQ(clashes.front().session_index, 0);
  EXPECT_EQ(clashes.front().kind, Clash::Kind::kTherapistBusy);
}

TEST_F(FreeCheckTest, AnAbsenceOrOutageIsAClashNamingTheResource) {
  const PlannedSession& first = plan_.sessions.front();
  const absl::CivilMinute start = absl::CivilMinute(first.date) +
                                  first.start_minute;
  ASSERT_TRUE(index_.AddRoomOutage(first.room_id, {start, start + 15}).ok());
  std::vector<Clash> clashes = FindClashes(index_, plan_);
  ASSERT_EQ(clashes.size(), 1u);
  EXPECT_EQ(clashes[0].kind, Clash::Kind::kRoomBusy);
  EXPECT_EQ(clashes[0].resource_id, first.room_id);
  ASSERT_TRUE(
      index_.AddAbsence(first.therapist_ids[0], {start + 5, start + 6}).ok());
  clashes = FindClashes(index_, plan_);
  ASSERT_EQ(clashes.size(), 2u);
  EXPECT_EQ(clashes[0].kind, Clash::Kind::kTherapistBusy);
  EXPECT_EQ(clashes[0].resource_id, first.therapist_ids[0]);
}

TEST_F(FreeCheckTest, PhoneCallsNeedNoRoomAndCountTowardsTheCap) {
  Plan call;
  call.booking_id = "ap-1";
  call.sessions.push_back({"", 0, absl::CivilDay(2026, 3, 2), 9 * 60,
                           9 * 60 + 20, "", {"m2"}, ""});
  EXPECT_TRUE(FindClashes(index_, call).empty());
  ASSERT_TRUE(index_.Commit(call).ok());
  ASSERT_TRUE(index_.Release("ap-1").ok());
  // Seven hours in one day break m2's six-hour cap.
  Plan long_day = call;
  long_day.sessions[0].start_minute = 8 * 60;
  long_day.sessions[0].end_minute = 15 * 60;
  const std::vector<Clash> clashes = FindClashes(index_, long_day);
  ASSERT_EQ(clashes.size(), 1u);
  EXPECT_EQ(clashes[0].kind, Clash::Kind::kDailyCap);
}

TEST_F(FreeCheckTest, UnknownInactiveAndOutOfHorizon) {
  Plan plan = plan_;
  plan.sessions[0].therapist_ids = {"nobody"};
  plan.sessions[1].date = absl::CivilDay(2026, 3, 1);  // before today
  const std::vector<Clash> clashes = FindClashes(index_, plan);
  ASSERT_EQ(clashes.size(), 2u);
  EXPECT_EQ(clashes[0].kind, Clash::Kind::kUnknownResource);
  EXPECT_EQ(clashes[1].kind, Clash::Kind::kOutsideHorizon);

  Snapshot snap = SmallClinic();
  snap.therapists[0].active = false;  // m1
  AvailabilityIndex index = *AvailabilityIndex::Build(snap);
  bool inactive = false;
  for (const Clash& c : FindClashes(index, plan_)) {
    inactive |= c.kind == Clash::Kind::kTherapistInactive &&
                c.resource_id == "m1";
  }
  EXPECT_TRUE(inactive);
}

}  // namespace
}  // namespace tandem::scheduler
