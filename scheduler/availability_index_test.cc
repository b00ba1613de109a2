#include "scheduler/availability_index.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scheduler/planner.h"
#include "scheduler/testing/index_equality.h"
#include "scheduler/testing/small_clinic.h"

namespace tandem::scheduler {
namespace {

using ::testing::HasSubstr;
using testing::SmallClinic;
using testing::TenDayRequest;

TEST(AvailabilityIndexTest, BitsFollowHoursGridAndClosures) {
  Snapshot snap = SmallClinic();
  snap.clinic.closures = {absl::CivilDay(2026, 3, 3)};
  snap.therapists[0].working_hours[0] = MinuteRange{9 * 60 + 10, 12 * 60};
  absl::StatusOr<AvailabilityIndex> index = AvailabilityIndex::Build(snap);
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->origin_minute(), 8 * 60);
  EXPECT_EQ(index->slots_per_day(), 40);  // 08:00-18:00 at 15 minutes.
  EXPECT_TRUE(index->IsOpenDay(0));       // Monday.
  EXPECT_FALSE(index->IsOpenDay(1));      // The closure.
  EXPECT_FALSE(index->IsOpenDay(5));      // Saturday.
  // m1 on Monday: 09:15-12:00 (09:10 is off the grid: 09:00 slot not whole).
  EXPECT_EQ(index->TherapistFree(0, 0), internal::SlotRange(5, 16));
  EXPECT_EQ(index->TherapistFree(0, 1), 0);
}

TEST(AvailabilityIndexTest, CommitReleaseAndErrors) {
  absl::StatusOr<AvailabilityIndex> index =
      AvailabilityIndex::Build(SmallClinic());
  ASSERT_TRUE(index.ok());
  const AvailabilityIndex before = *index;
  const Plan plan = Propose(*index, TenDayRequest(), 1)->plans.at(0);
  ASSERT_TRUE(index->Commit(plan).ok());
  EXPECT_NE(testing::IndexDifference(*index, before), "");
  EXPECT_EQ(index->Commit(plan).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(index->FindPlan("b1"), nullptr);
  EXPECT_EQ(index->PlansOnTherapistDay(0, 0),
            std::vector<std::string>({"b1", "b1"}));  // Two sessions.
  ASSERT_TRUE(index->Release("b1").ok());
  EXPECT_EQ(testing::IndexDifference(*index, before), "");
  EXPECT_EQ(index->Release("b1").code(), absl::StatusCode::kNotFound);
  Plan bad = plan;
  bad.sessions[0].room_id = "nowhere";
  EXPECT_THAT(index->Commit(bad).message(), HasSubstr("room_id"));
  EXPECT_EQ(testing::IndexDifference(*index, before), "");
}

TEST(AvailabilityIndexTest, OverlappingCommitmentsSurviveARelease) {
  Snapshot snap = SmallClinic();
  const absl::CivilMinute nine(2026, 3, 2, 9, 0);
  snap.commitments = {{"x", {"m1"}, "", {nine, nine + 60}},
                      {"y", {"m1"}, "", {nine + 30, nine + 90}}};
  absl::StatusOr<AvailabilityIndex> index = AvailabilityIndex::Build(snap);
  ASSERT_TRUE(index.ok());
  ASSERT_TRUE(index->Release("x").ok());
  // 09:30-10:30 is still y's: slots 6..9 busy, 4..5 free again.
  EXPECT_EQ(index->TherapistFree(0, 0) & internal::SlotRange(4, 10),
            internal::SlotRange(4, 6));
  EXPECT_EQ(index->TherapistMinutes(0, 0), 60);
}

TEST(AvailabilityIndexTest, BuildRejectsBadSnapshotsNamingTheField) {
  Snapshot snap = SmallClinic();
  snap.therapists[1].id = "m1";
  EXPECT_THAT(AvailabilityIndex::Build(snap).status().message(),
              HasSubstr("therapists[1].id"));
  snap = SmallClinic();
  snap.teams = {{"f1", "m1"}};
  EXPECT_THAT(AvailabilityIndex::Build(snap).status().message(),
              HasSubstr("teams[0].male_id"));
  snap = SmallClinic();
  snap.clinic.grid_minutes = 0;
  EXPECT_THAT(AvailabilityIndex::Build(snap).status().message(),
              HasSubstr("clinic.grid_minutes"));
  snap = SmallClinic();
  snap.clinic.grid_minutes = 5;  // 10 hours = 120 slots: fine.
  EXPECT_TRUE(AvailabilityIndex::Build(snap).ok());
  snap.clinic.opening_hours[0] = MinuteRange{0, 1440};  // 288 slots.
  EXPECT_THAT(AvailabilityIndex::Build(snap).status().message(),
              HasSubstr("clinic.opening_hours"));
  snap = SmallClinic();
  snap.rooms[0].out_of_service = {{absl::CivilMinute(2026, 3, 3, 0, 0),
                                   absl::CivilMinute(2026, 3, 2, 0, 0)}};
  EXPECT_THAT(AvailabilityIndex::Build(snap).status().message(),
              HasSubstr("rooms[0].out_of_service[0]"));
}

}  // namespace
}  // namespace tandem::scheduler
