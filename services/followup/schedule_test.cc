#include "services/followup/schedule.h"

#include <gtest/gtest.h>

#include "services/followup/plan_builder.h"

namespace tandem::followup {
namespace {

using absl::CivilDay;

TEST(DueDateTest, DaysAndMonthsFromTheAnchor) {
  EXPECT_EQ(DueDate(CivilDay(2027, 3, 12), {0, 7}), CivilDay(2027, 3, 19));
  EXPECT_EQ(DueDate(CivilDay(2027, 3, 12), {1, 0}), CivilDay(2027, 4, 12));
  EXPECT_EQ(DueDate(CivilDay(2027, 3, 12), {3, 0}), CivilDay(2027, 6, 12));
  EXPECT_EQ(DueDate(CivilDay(2027, 3, 12), {12, 0}), CivilDay(2028, 3, 12));
  EXPECT_EQ(DueDate(CivilDay(2027, 12, 28), {0, 7}), CivilDay(2028, 1, 4));
}

TEST(DueDateTest, MonthEndsAreClampedThenDaysAdded) {
  EXPECT_EQ(DueDate(CivilDay(2027, 1, 31), {1, 0}), CivilDay(2027, 2, 28));
  EXPECT_EQ(DueDate(CivilDay(2028, 1, 31), {1, 0}), CivilDay(2028, 2, 29));
  EXPECT_EQ(DueDate(CivilDay(2027, 8, 31), {6, 0}), CivilDay(2028, 2, 29));
  EXPECT_EQ(DueDate(CivilDay(2027, 1, 31), {1, 2}), CivilDay(2027, 3, 2));
  EXPECT_EQ(DueDate(CivilDay(2027, 5, 31), {60, 0}), CivilDay(2032, 5, 31));
}

TEST(CandidateDaysTest, DueDayThenLaterThenEarlierNeverBeforeEarliest) {
  const CivilDay due(2027, 6, 10);
  EXPECT_EQ(CandidateDays(due, 2, CivilDay(2027, 1, 1)),
            (std::vector<CivilDay>{due, due + 1, due + 2, due - 1, due - 2}));
  EXPECT_EQ(CandidateDays(due, 2, due),
            (std::vector<CivilDay>{due, due + 1, due + 2}));
  EXPECT_EQ(CandidateDays(due, 0, due + 1), std::vector<CivilDay>{});
}

TEST(CandidateMinutesTest, EveryStepThatFits) {
  EXPECT_EQ(CandidateMinutes({480, 600}, 50, 15),
            (std::vector<int>{480, 495, 510, 525, 540}));
  EXPECT_EQ(CandidateMinutes({480, 500}, 50, 15), std::vector<int>{});
  ASSERT_TRUE(Intersect({480, 1080}, {540, 1200}).has_value());
  EXPECT_EQ(Intersect({480, 1080}, {540, 1200})->start, 540);
  EXPECT_EQ(Intersect({480, 1080}, {540, 1200})->end, 1080);
  EXPECT_FALSE(Intersect({480, 540}, {540, 600}).has_value());
}

TEST(PlanBuilderTest, DefaultTemplateAlternatesFromTheLastTreatmentDay) {
  v1::FollowUpPlanTemplate t = DefaultTemplate();
  t.set_id("ft-1");
  tandem::booking::v1::Intensive intensive;
  intensive.set_id("in-4");
  intensive.set_couple_id("cp-2");
  intensive.mutable_end_date()->set_year(2027);
  intensive.mutable_end_date()->set_month(1);
  intensive.mutable_end_date()->set_day(31);
  intensive.mutable_team()->set_male_therapist_id("th-1");
  intensive.mutable_team()->set_female_therapist_id("th-2");
  absl::StatusOr<NewPlan> made = BuildPlan(t, intensive);
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(made->plan.anchor_date().day(), 31);
  ASSERT_EQ(made->contacts.size(), 5u);
  const CivilDay want[] = {CivilDay(2027, 2, 7), CivilDay(2027, 2, 28),
                           CivilDay(2027, 4, 30), CivilDay(2027, 7, 31),
                           CivilDay(2028, 1, 31)};
  for (int i = 0; i < 5; ++i) {
    const ContactRow& row = made->contacts[i];
    EXPECT_EQ(row.day, want[i]) << i;
    EXPECT_EQ(row.contact.sequence(), i + 1);
    EXPECT_EQ(row.contact.therapist_id(), i % 2 == 0 ? "th-2" : "th-1");
    EXPECT_EQ(row.contact.status(), v1::CONTACT_STATUS_UNSCHEDULED);
    EXPECT_EQ(row.pending, Pending::kBook);
  }
  EXPECT_EQ(made->contacts[1].contact.kind(), v1::CONTACT_KIND_OFFICE_VISIT);
  EXPECT_EQ(made->contacts[1].duration, absl::Minutes(60));
  EXPECT_EQ(made->contacts[0].duration, absl::Minutes(20));

  intensive.mutable_team()->clear_male_therapist_id();
  EXPECT_EQ(BuildPlan(t, intensive).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PlanBuilderTest, RulesPickOneTherapist) {
  const std::string male = "th-1", female = "th-2";
  EXPECT_EQ(
      AssignedTherapist(v1::ASSIGNMENT_RULE_MALE_THERAPIST, 0, male, female),
      male);
  EXPECT_EQ(
      AssignedTherapist(v1::ASSIGNMENT_RULE_FEMALE_THERAPIST, 1, male, female),
      female);
  EXPECT_EQ(AssignedTherapist(v1::ASSIGNMENT_RULE_ALTERNATING, 3, male, female),
            male);
}

}  // namespace
}  // namespace tandem::followup
