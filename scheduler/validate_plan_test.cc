#include "scheduler/validate_plan.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scheduler/availability_index.h"
#include "scheduler/planner.h"
#include "scheduler/testing/small_clinic.h"

namespace tandem::scheduler {
namespace {

using ::testing::HasSubstr;
using testing::SmallClinic;
using testing::TenDayRequest;

class ValidatePlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    snap_ = SmallClinic();
    index_.emplace(*AvailabilityIndex::Build(snap_));
    plan_ = Propose(*index_, TenDayRequest(), 1)->plans.at(0);
    ASSERT_TRUE(ValidatePlan(snap_, TenDayRequest(), plan_).ok());
  }
  PlannedSession& Joint(int day) {
    for (PlannedSession& s : plan_.sessions) {
      if (s.programme_day == day) return s;
    }
    return plan_.sessions.front();
  }
  std::string Why() {
    return std::string(ValidatePlan(snap_, TenDayRequest(), plan_).message());
  }
  Snapshot snap_;
  std::optional<AvailabilityIndex> index_;
  Plan plan_;
};

TEST_F(ValidatePlanTest, RejectsADifferentTeamMember) {
  Joint(4).therapist_ids = {"m2", "f1"};
  EXPECT_THAT(Why(), HasSubstr("role"));
}

TEST_F(ValidatePlanTest, RejectsOutsideOpeningHours) {
  Joint(3).start_minute = 17 * 60;
  Joint(3).end_minute = 19 * 60;
  EXPECT_THAT(Why(), HasSubstr("opening hours"));
}

TEST_F(ValidatePlanTest, RejectsOffGridAndWrongDuration) {
  Joint(3).start_minute += 5;
  Joint(3).end_minute += 5;
  EXPECT_THAT(Why(), HasSubstr("grid"));
  Joint(3).start_minute -= 5;
  EXPECT_THAT(Why(), HasSubstr("lasts"));
}

TEST_F(ValidatePlanTest, RejectsAnAbsence) {
  const PlannedSession& s = Joint(5);
  snap_.therapists[2].absences.push_back(
      {absl::CivilMinute(s.date) + s.start_minute,
       absl::CivilMinute(s.date) + s.start_minute + 1});
  EXPECT_THAT(Why(), HasSubstr("f1 is absent"));
}

TEST_F(ValidatePlanTest, RejectsAClashWithAnotherBooking) {
  Plan other = plan_;
  other.booking_id = "other";
  snap_.booked_plans.push_back(other);
  EXPECT_THAT(Why(), HasSubstr("booked elsewhere"));
}

TEST_F(ValidatePlanTest, RejectsOverTheDailyCap) {
  snap_.therapists[0].daily_cap_minutes = 100;  // m1; day 1 needs 150.
  EXPECT_THAT(Why(), HasSubstr("daily cap"));
}

TEST_F(ValidatePlanTest, RejectsParallelSessionsApartOrInOneRoom) {
  for (PlannedSession& s : plan_.sessions) {
    if (s.session_key == "individual-assessment-b") {
      s.room_id = "I1";
      for (const PlannedSession& a : plan_.sessions) {
        if (a.session_key == "individual-assessment-a") s.room_id = a.room_id;
      }
    }
  }
  EXPECT_THAT(Why(), HasSubstr("different room"));
}

TEST_F(ValidatePlanTest, RejectsWrongRoomKindAndSkippedDays) {
  Joint(6).room_id = "I1";
  EXPECT_THAT(Why(), HasSubstr("kind"));
  SetUp();
  for (PlannedSession& s : plan_.sessions) {
    if (s.programme_day == 10) s.date += 3;  // Not the next open day.
  }
  EXPECT_THAT(Why(), HasSubstr("should fall on"));
}

TEST_F(ValidatePlanTest, RejectsExcludedOrNonSpeakingTeam) {
  Request req = TenDayRequest();
  req.excluded_therapist_ids = {"f1"};
  EXPECT_FALSE(ValidatePlan(snap_, req, plan_).ok());
  req = TenDayRequest();
  req.language = "Tamil";
  EXPECT_FALSE(ValidatePlan(snap_, req, plan_).ok());
}

TEST_F(ValidatePlanTest, RejectsMissingSessionsUnlessAllowed) {
  plan_.sessions.pop_back();
  EXPECT_THAT(Why(), HasSubstr("sessions"));
  EXPECT_TRUE(ValidatePlan(snap_, TenDayRequest(), plan_,
                           {.allow_missing_sessions = true})
                  .ok());
}

}  // namespace
}  // namespace tandem::scheduler
