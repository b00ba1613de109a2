// The follow-up service through the real binaries (directory + booking +
// followup): an intensive booked through booking gets its plan and its
// contacts booked as appointments; outcomes, a rebooked call, cancellation
// with the intensive; restarts (one SIGKILL while contacts are being booked)
// double nothing.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tandem/followup/v1/followup_service.grpc.pb.h"
#include "tests/integration/booking_fixture.h"
#include "tests/integration/health_check.h"

namespace tandem::followup {
namespace {

namespace v1 = ::tandem::followup::v1;
namespace bk = ::tandem::booking::v1;
using ::tandem::testing::Call;
using ::tandem::testing::DateProto;
using ::tandem::testing::ServiceProcess;
using BookingStub = bk::BookingService::Stub;
using Stub = v1::FollowUpService::Stub;

constexpr char kHealthName[] = "tandem.followup.v1.FollowUpService";

class FollowUpIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::BookingServices services;
    ASSERT_NO_FATAL_FAILURE(
        testing::StartBookingServices({"--sweep_interval=200ms"}, &services));
    directory_ = std::move(services.directory);
    booking_ = std::move(services.booking);
    booking_stub_ = bk::BookingService::NewStub(booking_->channel());
    auto followup = ServiceProcess::Start(
        TANDEM_FOLLOWUP_BINARY,
        {absl::StrCat("--booking=", booking_->target()),
         absl::StrCat("--directory=", directory_->target())});
    ASSERT_TRUE(followup.ok()) << followup.status();
    followup_ = std::move(*followup);
    ASSERT_NO_FATAL_FAILURE(Connect());
  }

  // After a (re)start: a fresh stub once the service says SERVING.
  void Connect() {
    stub_ = v1::FollowUpService::NewStub(followup_->channel());
    const absl::Time give_up = absl::Now() + absl::Seconds(20);
    std::string reply;
    while (absl::Now() < give_up) {
      if (testing::CheckHealth(followup_->channel(), kHealthName, &reply)
              .ok() &&
          reply == testing::kServingReply) {
        return;
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    FAIL() << "followup never became SERVING\n" << followup_->ReadLog();
  }

  // A couple with a BOOKED ten-day intensive; returns the intensive.
  bk::Intensive BookIntensive(const std::string& family) {
    return testing::BookTenDayIntensive(*booking_stub_,
                                        testing::TestCouple(family), family);
  }

  // The intensive's plan once `done` holds for it (bounded wait).
  template <typename Done>
  v1::FollowUpPlan WaitForPlan(const std::string& intensive_id, Done done) {
    v1::FollowUpPlan plan;
    const absl::Time give_up = absl::Now() + absl::Seconds(30);
    while (absl::Now() < give_up) {
      v1::ListFollowUpPlansRequest request;
      request.set_intensive_id(intensive_id);
      v1::ListFollowUpPlansResponse response;
      if (Call(*stub_, &Stub::ListFollowUpPlans, request, &response).ok() &&
          response.follow_up_plans_size() == 1) {
        plan = response.follow_up_plans(0);
        if (done(plan)) return plan;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    ADD_FAILURE() << "plan of " << intensive_id
                  << " never got there: " << plan.DebugString()
                  << followup_->ReadLog();
    return plan;
  }

  static bool AllScheduled(const v1::FollowUpPlan& plan) {
    if (plan.contacts_size() != 5) return false;
    for (const auto& c : plan.contacts()) {
      if (c.status() != v1::CONTACT_STATUS_SCHEDULED) return false;
    }
    return true;
  }

  // Booking's appointments made for `contact_id`.
  std::vector<bk::Appointment> Appointments(const std::string& contact_id,
                                            bool include_cancelled) {
    bk::ListAppointmentsRequest request;
    request.set_external_ref(contact_id);
    request.set_include_cancelled(include_cancelled);
    bk::ListAppointmentsResponse response;
    EXPECT_TRUE(
        Call(*booking_stub_, &BookingStub::ListAppointments, request, &response)
            .ok());
    return {response.appointments().begin(), response.appointments().end()};
  }

  std::unique_ptr<ServiceProcess> directory_;
  std::unique_ptr<ServiceProcess> booking_;
  std::unique_ptr<ServiceProcess> followup_;
  std::unique_ptr<BookingStub> booking_stub_;
  std::unique_ptr<Stub> stub_;
};

TEST_F(FollowUpIntegrationTest, PlanBookedOutcomeRebookCancelAcrossRestarts) {
  // Booked while the follow-up service is down: it catches up at start.
  ASSERT_TRUE(followup_->Stop().ok());
  const bk::Intensive intensive = BookIntensive("Lahtinen");
  ASSERT_EQ(intensive.status(), bk::INTENSIVE_STATUS_BOOKED);
  const absl::TimeZone london = [] {
    absl::TimeZone zone;
    EXPECT_TRUE(absl::LoadTimeZone("Europe/London", &zone));
    return zone;
  }();

  // As if an earlier run booked the first contact (fc-1, the week's call)
  // and died before recording the answer: it must be adopted, not doubled.
  absl::CivilDay day(intensive.end_date().year(), intensive.end_date().month(),
                     intensive.end_date().day());
  day += 7;
  while (absl::GetWeekday(day) == absl::Weekday::saturday ||
         absl::GetWeekday(day) == absl::Weekday::sunday) {
    ++day;
  }
  bk::CreateAppointmentRequest lost;
  lost.set_request_id("lost-answer");
  bk::Appointment* a = lost.mutable_appointment();
  a->set_kind(bk::APPOINTMENT_KIND_PHONE_CALL);
  a->set_therapist_id(intensive.team().female_therapist_id());
  a->set_couple_id(intensive.couple_id());
  a->set_external_ref("fc-1");
  const absl::Time lost_start =
      absl::FromCivil(absl::CivilMinute(day) + 9 * 60, london);
  a->mutable_start_time()->set_seconds(absl::ToUnixSeconds(lost_start));
  a->mutable_end_time()->set_seconds(
      absl::ToUnixSeconds(lost_start + absl::Minutes(20)));
  bk::CreateAppointmentResponse lost_booked;
  grpc::Status s =
      Call(*booking_stub_, &BookingStub::CreateAppointment, lost, &lost_booked);
  ASSERT_TRUE(s.ok()) << s.error_message();

  // SERVING once caught up: the plan exists, its contacts are being booked.
  // Killed there, the restart resumes and books each contact once.
  ASSERT_TRUE(followup_->Restart().ok());
  ASSERT_NO_FATAL_FAILURE(Connect());
  ASSERT_TRUE(followup_->Kill().ok());
  ASSERT_TRUE(followup_->Restart().ok());
  ASSERT_NO_FATAL_FAILURE(Connect());

  v1::FollowUpPlan plan = WaitForPlan(intensive.id(), AllScheduled);
  ASSERT_TRUE(AllScheduled(plan));
  EXPECT_EQ(plan.status(), v1::FOLLOW_UP_PLAN_STATUS_ACTIVE);
  EXPECT_EQ(plan.template_id(), "ft-1");
  EXPECT_EQ(plan.anchor_date().day(), intensive.end_date().day());
  for (int i = 0; i < 5; ++i) {
    const v1::FollowUpContact& c = plan.contacts(i);
    EXPECT_EQ(c.sequence(), i + 1);
    EXPECT_EQ(c.therapist_id(), i % 2 == 0
                                    ? intensive.team().female_therapist_id()
                                    : intensive.team().male_therapist_id());
    const bool visit = c.kind() == v1::CONTACT_KIND_OFFICE_VISIT;
    EXPECT_EQ(visit, i == 1 || i == 4);
    EXPECT_EQ(c.room_id().empty(), !visit);
    // Exactly one appointment per contact, ever.
    const std::vector<bk::Appointment> all = Appointments(c.id(), true);
    ASSERT_EQ(all.size(), 1u) << c.id();
    EXPECT_EQ(all[0].id(), c.appointment_id());
    EXPECT_EQ(all[0].status(), bk::APPOINTMENT_STATUS_SCHEDULED);
  }
  EXPECT_EQ(plan.contacts(0).appointment_id(), lost_booked.appointment().id());

  // A graceful restart changes nothing either.
  ASSERT_TRUE(followup_->Stop().ok());
  ASSERT_TRUE(followup_->Restart().ok());
  ASSERT_NO_FATAL_FAILURE(Connect());
  {
    v1::ListFollowUpPlansRequest request;
    v1::ListFollowUpPlansResponse response;
    ASSERT_TRUE(
        Call(*stub_, &Stub::ListFollowUpPlans, request, &response).ok());
    ASSERT_EQ(response.follow_up_plans_size(), 1);
    for (const auto& c : response.follow_up_plans(0).contacts()) {
      EXPECT_EQ(Appointments(c.id(), true).size(), 1u) << c.id();
    }
  }

  // The week's call took place.
  v1::RecordOutcomeRequest outcome;
  outcome.set_request_id("outcome-1");
  outcome.set_id(plan.contacts(0).id());
  outcome.set_outcome(v1::CONTACT_OUTCOME_DONE);
  outcome.set_note("asked to call after 6 pm");
  v1::RecordOutcomeResponse recorded;
  s = Call(*stub_, &Stub::RecordOutcome, outcome, &recorded);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(recorded.follow_up_contact().status(), v1::CONTACT_STATUS_CLOSED);
  EXPECT_FALSE(recorded.follow_up_contact().outcome_actor().empty());
  outcome.set_note(std::string(201, 'x'));
  outcome.set_request_id("outcome-2");
  EXPECT_EQ(Call(*stub_, &Stub::RecordOutcome, outcome, &recorded).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // The three-month call was missed. A Saturday is refused by booking
  // (nothing changes, its clash comes through); a week later it is booked.
  const v1::FollowUpContact missed = plan.contacts(2);
  const absl::Time missed_start =
      absl::FromUnixSeconds(missed.scheduled_start_time().seconds());
  const absl::CivilMinute local = absl::ToCivilMinute(missed_start, london);
  absl::CivilDay saturday = absl::CivilDay(local) + 7;
  while (absl::GetWeekday(saturday) != absl::Weekday::saturday) ++saturday;
  v1::RebookContactRequest rebook;
  rebook.set_request_id("rebook-refused");
  rebook.set_id(missed.id());
  rebook.set_note("no answer");
  rebook.mutable_start_time()->set_seconds(absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilMinute(saturday) + 10 * 60, london)));
  v1::RebookContactResponse rebooked;
  s = Call(*stub_, &Stub::RebookContact, rebook, &rebooked);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << s.error_message();
  EXPECT_FALSE(s.error_details().empty());  // booking's ConflictInfo
  {
    v1::GetFollowUpContactRequest get;
    get.set_id(missed.id());
    v1::GetFollowUpContactResponse got;
    ASSERT_TRUE(Call(*stub_, &Stub::GetFollowUpContact, get, &got).ok());
    EXPECT_EQ(got.follow_up_contact().status(), v1::CONTACT_STATUS_SCHEDULED);
    v1::ListFollowUpContactsRequest list;
    list.set_plan_id(plan.id());
    v1::ListFollowUpContactsResponse listed;
    ASSERT_TRUE(Call(*stub_, &Stub::ListFollowUpContacts, list, &listed).ok());
    EXPECT_EQ(listed.follow_up_contacts_size(), 5);
  }
  rebook.set_request_id("rebook-1");
  rebook.mutable_start_time()->set_seconds(
      absl::ToUnixSeconds(missed_start + absl::Hours(24 * 7)));
  s = Call(*stub_, &Stub::RebookContact, rebook, &rebooked);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(rebooked.closed_contact().status(), v1::CONTACT_STATUS_CLOSED);
  EXPECT_EQ(rebooked.closed_contact().outcome(), v1::CONTACT_OUTCOME_NO_ANSWER);
  const v1::FollowUpContact fresh = rebooked.new_contact();
  EXPECT_EQ(fresh.status(), v1::CONTACT_STATUS_SCHEDULED);
  EXPECT_EQ(fresh.sequence(), missed.sequence());
  EXPECT_EQ(fresh.rebooked_from_contact_id(), missed.id());
  EXPECT_EQ(Appointments(fresh.id(), true).size(), 1u);
  // Retried: the same answer, nothing new.
  v1::RebookContactResponse again;
  ASSERT_TRUE(Call(*stub_, &Stub::RebookContact, rebook, &again).ok());
  EXPECT_EQ(again.new_contact().id(), fresh.id());

  // The intensive is cancelled: the open contacts and their appointments go.
  bk::CancelIntensiveRequest cancel;
  cancel.set_request_id("cancel-1");
  cancel.set_id(intensive.id());
  cancel.set_reason(bk::CANCEL_REASON_COUPLE_REQUEST);
  bk::CancelIntensiveResponse cancelled;
  ASSERT_TRUE(
      Call(*booking_stub_, &BookingStub::CancelIntensive, cancel, &cancelled)
          .ok());
  plan = WaitForPlan(intensive.id(), [this](const v1::FollowUpPlan& p) {
    if (p.status() != v1::FOLLOW_UP_PLAN_STATUS_CANCELLED) return false;
    for (const auto& c : p.contacts()) {
      if (c.status() == v1::CONTACT_STATUS_CANCELLED &&
          !Appointments(c.id(), false).empty()) {
        return false;
      }
    }
    return true;
  });
  ASSERT_EQ(plan.status(), v1::FOLLOW_UP_PLAN_STATUS_CANCELLED);
  ASSERT_EQ(plan.contacts_size(), 6);
  int cancelled_contacts = 0;
  for (const auto& c : plan.contacts()) {
    const std::vector<bk::Appointment> live = Appointments(c.id(), false);
    if (c.status() == v1::CONTACT_STATUS_CANCELLED) {
      ++cancelled_contacts;
      EXPECT_TRUE(live.empty()) << c.id();
    } else {
      EXPECT_EQ(c.status(), v1::CONTACT_STATUS_CLOSED);
      EXPECT_EQ(live.size(), 1u) << c.id();  // what happened stays
    }
    EXPECT_EQ(Appointments(c.id(), true).size(), 1u) << c.id();
  }
  EXPECT_EQ(cancelled_contacts, 4);
}

TEST_F(FollowUpIntegrationTest, TemplatesAndReminderSettings) {
  v1::DeleteFollowUpPlanTemplateRequest remove;
  remove.set_request_id("delete-default");
  remove.set_id("ft-1");
  v1::DeleteFollowUpPlanTemplateResponse removed;
  EXPECT_EQ(Call(*stub_, &Stub::DeleteFollowUpPlanTemplate, remove, &removed)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  v1::GetFollowUpPlanTemplateRequest get;
  get.set_id("ft-1");
  v1::GetFollowUpPlanTemplateResponse got;
  ASSERT_TRUE(Call(*stub_, &Stub::GetFollowUpPlanTemplate, get, &got).ok());
  v1::CreateFollowUpPlanTemplateRequest create;
  create.set_request_id("create-1");
  *create.mutable_follow_up_plan_template() = got.follow_up_plan_template();
  create.mutable_follow_up_plan_template()->set_is_default(false);
  create.mutable_follow_up_plan_template()->set_display_name("Calls only");
  create.mutable_follow_up_plan_template()->mutable_steps(1)->set_window_days(
      40);
  v1::CreateFollowUpPlanTemplateResponse created;
  grpc::Status s =
      Call(*stub_, &Stub::CreateFollowUpPlanTemplate, create, &created);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(),
            "follow_up_plan_template.steps[1].window_days: must be 0-30");
  create.mutable_follow_up_plan_template()->mutable_steps(1)->set_window_days(
      5);
  ASSERT_TRUE(
      Call(*stub_, &Stub::CreateFollowUpPlanTemplate, create, &created).ok());
  EXPECT_EQ(created.follow_up_plan_template().id(), "ft-2");
  remove.set_request_id("delete-2");
  remove.set_id("ft-2");
  EXPECT_TRUE(
      Call(*stub_, &Stub::DeleteFollowUpPlanTemplate, remove, &removed).ok());

  // The reminder policy: the default, then a change, validated by field.
  v1::GetReminderPolicyResponse policy;
  ASSERT_TRUE(Call(*stub_, &Stub::GetReminderPolicy,
                   v1::GetReminderPolicyRequest(), &policy)
                  .ok());
  EXPECT_EQ(policy.reminder_policy().rules_size(), 3);
  EXPECT_EQ(policy.reminder_policy().send_window_end().hours(), 21);
  v1::UpdateReminderPolicyRequest update;
  update.set_request_id("policy-1");
  *update.mutable_reminder_policy() = policy.reminder_policy();
  update.mutable_reminder_policy()->mutable_rules(0)->mutable_lead_times(0)->set_seconds(600);
  update.mutable_update_mask()->add_paths("rules");
  v1::UpdateReminderPolicyResponse updated;
  s = Call(*stub_, &Stub::UpdateReminderPolicy, update, &updated);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("reminder_policy.rules[0].lead_times"),
            std::string::npos)
      << s.error_message();
  update.set_request_id("policy-2");
  update.mutable_reminder_policy()->mutable_send_window_end()->set_hours(20);
  update.mutable_update_mask()->set_paths(0, "send_window_end");
  ASSERT_TRUE(Call(*stub_, &Stub::UpdateReminderPolicy, update, &updated).ok());
  EXPECT_EQ(updated.reminder_policy().send_window_end().hours(), 20);
  EXPECT_EQ(updated.reminder_policy().rules(0).lead_times(0).seconds(),
            72 * 3600);  // not in the mask: unchanged

  // An opt-out is listed for coordinators, with who set it.
  v1::SetOptOutRequest opt_out;
  opt_out.set_request_id("opt-out-1");
  opt_out.mutable_recipient()->mutable_partner()->set_couple_id("cp-1");
  opt_out.mutable_recipient()->mutable_partner()->set_partner(
      v1::PARTNER_ROLE_A);
  opt_out.set_channel(v1::REMINDER_CHANNEL_SMS);
  opt_out.set_opted_out(true);
  v1::SetOptOutResponse opted;
  ASSERT_TRUE(Call(*stub_, &Stub::SetOptOut, opt_out, &opted).ok());
  v1::ListContactPreferencesRequest list;
  list.set_couple_id("cp-1");
  v1::ListContactPreferencesResponse listed;
  ASSERT_TRUE(
      Call(*stub_, &Stub::ListContactPreferences, list, &listed).ok());
  ASSERT_EQ(listed.contact_preferences_size(), 1);
  EXPECT_EQ(listed.contact_preferences(0).opted_out_channels(0),
            v1::REMINDER_CHANNEL_SMS);
  EXPECT_FALSE(listed.contact_preferences(0).update_actor().empty());
  opt_out.set_request_id("opt-in-1");
  opt_out.set_opted_out(false);
  ASSERT_TRUE(Call(*stub_, &Stub::SetOptOut, opt_out, &opted).ok());
  listed.Clear();
  ASSERT_TRUE(
      Call(*stub_, &Stub::ListContactPreferences, list, &listed).ok());
  EXPECT_EQ(listed.contact_preferences_size(), 0);

  v1::ListRemindersRequest reminders;
  reminders.set_couple_id("cp-1");
  v1::ListRemindersResponse none;
  EXPECT_TRUE(Call(*stub_, &Stub::ListReminders, reminders, &none).ok());
  v1::GetReminderRequest missing;
  missing.set_id("rn-404");
  v1::GetReminderResponse got_reminder;
  EXPECT_EQ(
      Call(*stub_, &Stub::GetReminder, missing, &got_reminder).error_code(),
      grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace tandem::followup
