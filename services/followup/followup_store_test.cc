#include "services/followup/followup_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "services/common/test_db.h"
#include "services/followup/plan_builder.h"
#include "services/followup/reminder_jobs.h"

namespace tandem::followup {
namespace {

class FollowUpStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    common::DatabaseOptions options;
    options.path = dir_.File("followup.db");
    options.synchronous = common::Synchronous::kNormal;
    auto store = OpenFollowUpStore(options, now_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  // A plan of intensive `intensive_id` ending 2027-03-12, saved.
  v1::FollowUpPlan SavePlan(const std::string& intensive_id) {
    tandem::booking::v1::Intensive intensive;
    intensive.set_id(intensive_id);
    intensive.set_couple_id("cp-1");
    intensive.mutable_end_date()->set_year(2027);
    intensive.mutable_end_date()->set_month(3);
    intensive.mutable_end_date()->set_day(12);
    intensive.mutable_team()->set_male_therapist_id("th-1");
    intensive.mutable_team()->set_female_therapist_id("th-2");
    auto t = store_->GetDefaultTemplate();
    EXPECT_TRUE(t.ok());
    auto made = BuildPlan(*t, intensive);
    EXPECT_TRUE(made.ok());
    auto plan = store_->SavePlan(made->plan, now_);
    EXPECT_TRUE(plan.ok()) << plan.status();
    for (ContactRow& row : made->contacts) {
      row.contact.set_plan_id(plan->id());
      EXPECT_TRUE(store_->SaveContact(row, now_).ok());
    }
    return *plan;
  }

  common::TempDir dir_;
  absl::Time now_ = absl::FromUnixSeconds(1800000000);
  std::unique_ptr<FollowUpStore> store_;
};

TEST_F(FollowUpStoreTest, TheDefaultTemplateIsThereOnce) {
  auto t = store_->GetDefaultTemplate();
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->id(), "ft-1");
  EXPECT_EQ(t->steps_size(), 5);
  // A second default replaces the first as the default.
  v1::FollowUpPlanTemplate other = DefaultTemplate();
  auto saved = store_->SaveTemplate(other, now_);
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(store_->GetDefaultTemplate()->id(), saved->id());
  EXPECT_FALSE(store_->GetTemplate(1)->is_default());
}

TEST_F(FollowUpStoreTest, PlansContactsAndFilters) {
  v1::FollowUpPlan plan = SavePlan("in-7");
  EXPECT_TRUE(store_->SavePlan(plan, now_).ok());  // an update
  v1::FollowUpPlan copy = plan;
  copy.clear_id();
  EXPECT_EQ(store_->SavePlan(copy, now_).status().code(),
            absl::StatusCode::kAlreadyExists);

  auto found = store_->FindPlanByIntensive("in-7");
  ASSERT_TRUE(found.ok() && found->has_value());
  ASSERT_EQ((*found)->contacts_size(), 5);
  EXPECT_EQ((*found)->contacts(0).due_date().day(), 19);

  ContactFilter filter;
  filter.therapist_id = "th-2";
  auto page = store_->ListContacts(filter, {INT64_MIN, 0}, 2);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->items.size(), 2u);
  ASSERT_TRUE(page->next.has_value());
  auto rest = store_->ListContacts(filter, *page->next, 2);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->items.size(), 1u);  // three of five for th-2
  EXPECT_FALSE(rest->next.has_value());

  filter = {};
  filter.first_day = absl::CivilDay(2027, 4, 1);
  filter.last_day = absl::CivilDay(2027, 7, 1);
  filter.statuses = {v1::CONTACT_STATUS_UNSCHEDULED};
  page = store_->ListContacts(filter, {INT64_MIN, 0}, 10);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 2u);  // a month and three months

  PlanFilter plans;
  plans.therapist_id = "th-1";
  plans.statuses = {v1::FOLLOW_UP_PLAN_STATUS_ACTIVE};
  EXPECT_EQ(store_->ListPlans(plans, {0, 0}, 10)->items.size(), 1u);
  plans.statuses = {v1::FOLLOW_UP_PLAN_STATUS_CANCELLED};
  EXPECT_EQ(store_->ListPlans(plans, {0, 0}, 10)->items.size(), 0u);
}

TEST_F(FollowUpStoreTest, PendingWorkVersionsAndCursor) {
  SavePlan("in-8");
  auto pending = store_->PendingContacts(100);
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->size(), 5u);
  auto row = store_->GetContact((*pending)[0]);
  ASSERT_TRUE(row.ok());
  const int64_t version = row->version;
  row->pending = Pending::kNone;
  ASSERT_TRUE(store_->SaveContact(*row, now_).ok());
  EXPECT_EQ(store_->GetContact((*pending)[0])->version, version + 1);
  EXPECT_EQ(store_->PendingContacts(100)->size(), 4u);

  EXPECT_EQ(*store_->BookingRevision(), 0);
  ASSERT_TRUE(store_->SetBookingRevision(42).ok());
  EXPECT_EQ(*store_->BookingRevision(), 42);
}

// The calls-due jobs waiting, as "th-1/2027-03-19" subjects.
std::vector<std::string> CallsDueJobs(FollowUpStore& store) {
  std::vector<std::string> subjects;
  auto jobs = store.reminder_jobs().Pending(1000);
  EXPECT_TRUE(jobs.ok()) << jobs.status();
  for (const ReminderJob& job : *jobs) {
    if (job.event == v1::REMINDER_EVENT_THERAPIST_CALLS_DUE) {
      subjects.push_back(job.subject_ref);
    }
  }
  std::sort(subjects.begin(), subjects.end());
  return subjects;
}

void ClearJobs(FollowUpStore& store) {
  auto jobs = store.reminder_jobs().Pending(1000);
  ASSERT_TRUE(jobs.ok());
  for (const ReminderJob& job : *jobs) {
    ASSERT_TRUE(store.reminder_jobs().Finish(job).ok());
  }
}

TEST_F(FollowUpStoreTest, ACallChangeReplansTheTherapistsOldAndNewDay) {
  SavePlan("in-8");
  ClearJobs(*store_);
  // The first contact of the default template is a call.
  auto row = store_->GetContact(1);
  ASSERT_TRUE(row.ok());
  ASSERT_EQ(row->contact.kind(), v1::CONTACT_KIND_PHONE_CALL);
  const std::string therapist = row->contact.therapist_id();
  // Booked on the 19th: that day.
  row->contact.set_status(v1::CONTACT_STATUS_SCHEDULED);
  row->day = absl::CivilDay(2027, 3, 19);
  ASSERT_TRUE(store_->SaveContact(*row, now_).ok());
  EXPECT_EQ(CallsDueJobs(*store_),
            std::vector<std::string>{therapist + "/2027-03-19"});
  ClearJobs(*store_);
  // Moved to the 22nd: both days.
  row->day = absl::CivilDay(2027, 3, 22);
  ASSERT_TRUE(store_->SaveContact(*row, now_).ok());
  EXPECT_EQ(CallsDueJobs(*store_),
            (std::vector<std::string>{therapist + "/2027-03-19",
                                      therapist + "/2027-03-22"}));
  ClearJobs(*store_);
  // Cancelled: the day it was on.
  row->contact.set_status(v1::CONTACT_STATUS_CANCELLED);
  ASSERT_TRUE(store_->SaveContact(*row, now_).ok());
  EXPECT_EQ(CallsDueJobs(*store_),
            std::vector<std::string>{therapist + "/2027-03-22"});
  ClearJobs(*store_);
  // A visit never makes calls-due work.
  auto visit = store_->GetContact(2);
  ASSERT_TRUE(visit.ok());
  ASSERT_EQ(visit->contact.kind(), v1::CONTACT_KIND_OFFICE_VISIT);
  visit->contact.set_status(v1::CONTACT_STATUS_SCHEDULED);
  ASSERT_TRUE(store_->SaveContact(*visit, now_).ok());
  EXPECT_TRUE(CallsDueJobs(*store_).empty());
}

TEST(CallsDueJobSubjectTest, RoundTrips) {
  const std::string subject =
      CallsDueJobSubject("th-5", absl::CivilDay(2027, 3, 28));
  EXPECT_EQ(subject, "th-5/2027-03-28");
  std::string therapist;
  absl::CivilDay day;
  ASSERT_TRUE(ParseCallsDueJobSubject(subject, &therapist, &day));
  EXPECT_EQ(therapist, "th-5");
  EXPECT_EQ(day, absl::CivilDay(2027, 3, 28));
  EXPECT_FALSE(ParseCallsDueJobSubject("fc-12", &therapist, &day));
  EXPECT_FALSE(ParseCallsDueJobSubject("/2027-03-28", &therapist, &day));
}

}  // namespace
}  // namespace tandem::followup
