// The per-account reminder limit (reminder_quota.h): the ledger itself, and
// the RPCs that cause reminders against a fake booking service.
#include "services/followup/reminder_quota.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/common/caller.h"
#include "services/common/proto_time.h"
#include "services/common/test_db.h"
#include "services/followup/booking_client.h"
#include "services/followup/followup_handler.h"
#include "services/followup/reminder_settings.h"

namespace tandem::followup {
namespace {

using common::Caller;
using common::Role;

constexpr absl::StatusCode kExhausted = absl::StatusCode::kResourceExhausted;

common::DatabaseOptions TestDb(const common::TempDir& dir) {
  common::DatabaseOptions options;
  options.path = dir.File("followup.db");
  options.synchronous = common::Synchronous::kNormal;
  return options;
}

// ---- RemindersPerContact and the ledger ----

TEST(RemindersPerContactTest, LeadTimesOfTheContactRuleForTwoPartners) {
  v1::ReminderPolicy policy = DefaultReminderPolicy();
  EXPECT_EQ(RemindersPerContact(policy), 2);  // 24 h before, two partners
  for (v1::ReminderRule& rule : *policy.mutable_rules()) {
    if (rule.event() != v1::REMINDER_EVENT_FOLLOW_UP_CONTACT) continue;
    rule.add_lead_times()->set_seconds(72 * 3600);
    rule.add_lead_times()->set_seconds(3 * 3600);
    EXPECT_EQ(RemindersPerContact(policy), 6);
    rule.set_enabled(false);
  }
  EXPECT_EQ(RemindersPerContact(policy), 0);
}

class ReminderQuotaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenFollowUpStore(TestDb(dir_), now_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  absl::Status Charge(absl::string_view actor, int64_t reminders,
                      int limit = 10) {
    ReminderQuota quota(store_->reminder_charges(), limit);
    return quota.Charge(actor, "fc-1", reminders, now_);
  }

  common::TempDir dir_;
  absl::Time now_ = absl::FromUnixSeconds(1800000000);
  std::unique_ptr<FollowUpStore> store_;
};

TEST_F(ReminderQuotaTest, AnAccountGetsItsLimitInAny24Hours) {
  ASSERT_TRUE(Charge("user-a", 6).ok());
  now_ += absl::Hours(12);
  ASSERT_TRUE(Charge("user-a", 4).ok());  // exactly the limit
  const absl::Status refused = Charge("user-a", 1);
  EXPECT_EQ(refused.code(), kExhausted);
  EXPECT_EQ(refused.message(),
            "reminder limit reached for this account: 10 in 24 h");
  EXPECT_EQ(*ReminderQuota(store_->reminder_charges(), 10).Used("user-a", now_),
            10);
  // Other accounts are not affected; the service itself is never limited.
  EXPECT_TRUE(Charge("user-b", 10).ok());
  EXPECT_TRUE(Charge(kSystemActor, 25).ok());
  EXPECT_EQ(
      *ReminderQuota(store_->reminder_charges(), 10).Used(kSystemActor, now_),
      25);
  // Rolling: the first six leave the window 24 h after they were charged.
  now_ += absl::Hours(12);
  EXPECT_EQ(Charge("user-a", 7).code(), kExhausted);
  EXPECT_TRUE(Charge("user-a", 6).ok());
  // No limit at 0.
  EXPECT_TRUE(Charge("user-a", 1000, 0).ok());
}

TEST_F(ReminderQuotaTest, RecordCountsWithoutRefusing) {
  ReminderQuota quota(store_->reminder_charges(), 10);
  ASSERT_TRUE(quota.Record("user-a", "fc-1", 12, now_).ok());
  EXPECT_EQ(*quota.Used("user-a", now_), 12);
  EXPECT_EQ(quota.Check("user-a", 1, now_).code(), kExhausted);
  EXPECT_TRUE(quota.Check("user-b", 10, now_).ok());
}

// ---- Through the RPCs, with booking and the directory faked ----

// Books whatever it is asked to; knows the intensives it is given.
class FakeBooking final : public booking::v1::BookingService::Service {
 public:
  void AddIntensive(const booking::v1::Intensive& intensive) {
    absl::MutexLock lock(&mu_);
    intensives_[intensive.id()] = intensive;
  }
  int booked() {
    absl::MutexLock lock(&mu_);
    return booked_;
  }

  grpc::Status GetIntensive(
      grpc::ServerContext*, const booking::v1::GetIntensiveRequest* request,
      booking::v1::GetIntensiveResponse* response) override {
    absl::MutexLock lock(&mu_);
    auto it = intensives_.find(request->id());
    if (it == intensives_.end()) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such intensive");
    }
    *response->mutable_intensive() = it->second;
    return grpc::Status::OK;
  }
  grpc::Status ListAppointments(
      grpc::ServerContext*, const booking::v1::ListAppointmentsRequest*,
      booking::v1::ListAppointmentsResponse*) override {
    return grpc::Status::OK;  // nothing booked under any contact's id yet
  }
  grpc::Status CreateAppointment(
      grpc::ServerContext*,
      const booking::v1::CreateAppointmentRequest* request,
      booking::v1::CreateAppointmentResponse* response) override {
    absl::MutexLock lock(&mu_);
    ++booked_;
    *response->mutable_appointment() = request->appointment();
    response->mutable_appointment()->set_id(absl::StrCat("ap-", booked_));
    response->mutable_appointment()->set_status(
        booking::v1::APPOINTMENT_STATUS_SCHEDULED);
    return grpc::Status::OK;
  }
  grpc::Status UpdateAppointment(
      grpc::ServerContext*,
      const booking::v1::UpdateAppointmentRequest* request,
      booking::v1::UpdateAppointmentResponse* response) override {
    absl::MutexLock lock(&mu_);
    ++booked_;
    *response->mutable_appointment() = request->appointment();
    return grpc::Status::OK;
  }
  grpc::Status CancelAppointment(
      grpc::ServerContext*,
      const booking::v1::CancelAppointmentRequest* request,
      booking::v1::CancelAppointmentResponse* response) override {
    response->mutable_appointment()->set_id(request->id());
    response->mutable_appointment()->set_status(
        booking::v1::APPOINTMENT_STATUS_CANCELLED);
    return grpc::Status::OK;
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, booking::v1::Intensive> intensives_
      ABSL_GUARDED_BY(mu_);
  int booked_ ABSL_GUARDED_BY(mu_) = 0;
};

// A clinic in UTC.
class FakeDirectory final : public directory::v1::DirectoryService::Service {
 public:
  grpc::Status GetClinicSettings(
      grpc::ServerContext*, const directory::v1::GetClinicSettingsRequest*,
      directory::v1::GetClinicSettingsResponse* response) override {
    response->mutable_settings()->set_time_zone("UTC");
    return grpc::Status::OK;
  }
};

Caller Coordinator(const std::string& subject) {
  Caller caller;
  caller.subject = subject;
  caller.roles = {Role::kCoordinator};
  return caller;
}

booking::v1::Intensive Booked(const std::string& id) {
  booking::v1::Intensive intensive;
  intensive.set_id(id);
  intensive.set_couple_id("cp-1");
  intensive.set_status(booking::v1::INTENSIVE_STATUS_BOOKED);
  intensive.mutable_end_date()->set_year(2027);
  intensive.mutable_end_date()->set_month(3);
  intensive.mutable_end_date()->set_day(12);
  intensive.mutable_team()->set_male_therapist_id("th-1");
  intensive.mutable_team()->set_female_therapist_id("th-2");
  return intensive;
}

// The default policy: two reminders per contact, ten per plan of five.
class ReminderLimitTest : public ::testing::Test {
 protected:
  void Start(int limit) {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&booking_);
    builder.RegisterService(&directory_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port, 0);
    auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                       grpc::InsecureChannelCredentials());
    client_ = std::make_unique<BookingClient>(channel, channel);
    auto store = OpenFollowUpStore(TestDb(dir_), now_);
    ASSERT_TRUE(store.ok()) << store.status();
    FollowUpOptions options;
    options.max_reminders_per_caller_per_day = limit;
    handler_ = std::make_unique<FollowUpHandler>(
        std::move(*store), [this] { return now_; }, client_.get(), options);
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  absl::Status CreatePlan(const Caller& caller,
                          const std::string& intensive_id) {
    booking_.AddIntensive(Booked(intensive_id));
    v1::CreateFollowUpPlanRequest request;
    request.set_request_id(absl::StrCat("create-", ++requests_));
    request.set_intensive_id(intensive_id);
    v1::CreateFollowUpPlanResponse response;
    return handler_->CreateFollowUpPlan(caller, request, &response);
  }

  // The plan booking's change stream makes by itself.
  void BookedInBooking(const std::string& intensive_id) {
    booking::v1::Change change;
    change.set_revision(++revision_);
    change.set_intensive_event(booking::v1::INTENSIVE_EVENT_CONFIRMED);
    *change.mutable_intensive() = Booked(intensive_id);
    ASSERT_TRUE(handler_->ApplyBookingChange(change).ok());
  }

  // Whether the intensive has a plan, as a coordinator sees it.
  bool HasPlan(const std::string& intensive_id) {
    v1::ListFollowUpPlansRequest request;
    request.set_intensive_id(intensive_id);
    v1::ListFollowUpPlansResponse response;
    EXPECT_TRUE(
        handler_->ListFollowUpPlans(Coordinator("c"), request, &response).ok());
    return response.follow_up_plans_size() == 1;
  }

  absl::StatusOr<v1::FollowUpContact> Contact(const std::string& id) {
    v1::GetFollowUpContactRequest request;
    request.set_id(id);
    v1::GetFollowUpContactResponse response;
    RETURN_IF_ERROR(
        handler_->GetFollowUpContact(Coordinator("c"), request, &response));
    return response.follow_up_contact();
  }

  // Books a contact two days from now at 10:00 UTC.
  absl::Status Reschedule(const Caller& caller, const std::string& id) {
    v1::RescheduleContactRequest request;
    request.set_request_id(absl::StrCat("reschedule-", ++requests_));
    request.set_id(id);
    *request.mutable_start_time() = common::ToProto(
        absl::FromCivil(absl::ToCivilDay(now_, absl::UTCTimeZone()) + 2,
                        absl::UTCTimeZone()) +
        absl::Hours(10));
    v1::RescheduleContactResponse response;
    return handler_->RescheduleContact(caller, request, &response);
  }

  absl::Status Rebook(const Caller& caller, const std::string& id) {
    v1::RebookContactRequest request;
    request.set_request_id(absl::StrCat("rebook-", ++requests_));
    request.set_id(id);
    *request.mutable_start_time() = common::ToProto(
        absl::FromCivil(absl::ToCivilDay(now_, absl::UTCTimeZone()) + 3,
                        absl::UTCTimeZone()) +
        absl::Hours(10));
    v1::RebookContactResponse response;
    return handler_->RebookContact(caller, request, &response);
  }

  common::TempDir dir_;
  absl::Time now_ = absl::FromUnixSeconds(1800000000);
  FakeBooking booking_;
  FakeDirectory directory_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<BookingClient> client_;
  std::unique_ptr<FollowUpHandler> handler_;
  int requests_ = 0;
  int64_t revision_ = 0;
};

TEST_F(ReminderLimitTest, PlansPastTheLimitAreRefusedForThatAccountOnly) {
  Start(25);
  const Caller alice = Coordinator("user-alice");
  ASSERT_TRUE(CreatePlan(alice, "in-1").ok());  // 10
  ASSERT_TRUE(CreatePlan(alice, "in-2").ok());  // 20
  const absl::Status refused = CreatePlan(alice, "in-3");
  EXPECT_EQ(refused.code(), kExhausted) << refused;
  EXPECT_EQ(refused.message(),
            "reminder limit reached for this account: 25 in 24 h");
  EXPECT_FALSE(HasPlan("in-3"));  // nothing was written

  // Another coordinator is not affected.
  EXPECT_TRUE(CreatePlan(Coordinator("user-bob"), "in-3").ok());
  EXPECT_TRUE(HasPlan("in-3"));
  // Nor is the service's own work: 40 reminders, all planned.
  for (const char* id : {"in-4", "in-5", "in-6", "in-7"}) {
    BookedInBooking(id);
    EXPECT_TRUE(HasPlan(id)) << id;
  }
  // A day later Alice has her full allowance again.
  now_ += absl::Hours(24);
  EXPECT_TRUE(CreatePlan(alice, "in-8").ok());
}

TEST_F(ReminderLimitTest, ARefusedRescheduleNeverReachesBooking) {
  Start(3);
  BookedInBooking("in-1");  // five unscheduled contacts, fc-1 .. fc-5
  const Caller alice = Coordinator("user-alice");
  // fc-1 and fc-3 are calls (no room to find).
  ASSERT_TRUE(Reschedule(alice, "fc-1").ok());  // 2 of 3
  ASSERT_EQ(booking_.booked(), 1);
  EXPECT_EQ(Contact("fc-1")->status(), v1::CONTACT_STATUS_SCHEDULED);

  const absl::Status refused = Reschedule(alice, "fc-3");
  EXPECT_EQ(refused.code(), kExhausted) << refused;
  EXPECT_EQ(booking_.booked(), 1);
  EXPECT_EQ(Contact("fc-3")->status(), v1::CONTACT_STATUS_UNSCHEDULED);
  // Rebooking makes new reminders too: refused before anything is made.
  EXPECT_EQ(Rebook(alice, "fc-1").code(), kExhausted);
  EXPECT_EQ(booking_.booked(), 1);
  EXPECT_FALSE(Contact("fc-6").ok());  // no placeholder left behind

  const Caller bob = Coordinator("user-bob");
  EXPECT_TRUE(Reschedule(bob, "fc-3").ok());
  EXPECT_EQ(booking_.booked(), 2);
  now_ += absl::Hours(24);
  EXPECT_TRUE(Rebook(alice, "fc-1").ok());
}

}  // namespace
}  // namespace tandem::followup
