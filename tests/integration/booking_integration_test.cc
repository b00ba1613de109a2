// The booking binary against a real directory binary: health follows the
// directory replica, clients' records work (and stay readable while the
// directory is down), retries are idempotent, and no client name reaches the
// log.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/text_format.h"
#include "tandem/booking/v1/booking_service.grpc.pb.h"
#include "tandem/directory/v1/directory_service.grpc.pb.h"
#include "tests/integration/booking_fixture.h"
#include "tests/integration/health_check.h"
#include "tests/integration/service_process.h"

namespace tandem::booking {
namespace {

namespace v1 = ::tandem::booking::v1;
using ::tandem::testing::CheckHealth;
using ::tandem::testing::ServiceProcess;
using ::tandem::testing::SeedClinic;
using ::tandem::testing::SetDeadline;
using ::tandem::testing::WaitForBookingHealth;

constexpr char kBookingService[] = "tandem.booking.v1.BookingService";
constexpr char kCouple[] = R"pb(
  partner_a {
    given_name: "Oskari"
    family_name: "Vuorinen"
    phone: "+358401112223"
    preferred_channel: CONTACT_CHANNEL_SMS
    sms_consent: true
  }
  partner_b {
    given_name: "Liisa"
    family_name: "Vuorinen"
    preferred_channel: CONTACT_CHANNEL_NONE
  }
  language: "fi"
  notes: "met at the fair")pb";

class BookingIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto port = testing::PickUnusedPort();
    ASSERT_TRUE(port.ok()) << port.status();
    directory_args_ = {absl::StrCat("--listen=127.0.0.1:", *port)};
    directory_target_ = absl::StrCat("127.0.0.1:", *port);
  }

  void StartBooking() {
    auto booking = ServiceProcess::Start(
        TANDEM_BOOKING_BINARY,
        {absl::StrCat("--directory=", directory_target_), "--log_level=debug"});
    ASSERT_TRUE(booking.ok()) << booking.status();
    booking_ = std::move(*booking);
    stub_ = v1::BookingService::NewStub(booking_->channel());
  }
  void StartDirectory() {
    auto directory =
        ServiceProcess::Start(TANDEM_DIRECTORY_BINARY, directory_args_);
    ASSERT_TRUE(directory.ok()) << directory.status();
    directory_ = std::move(*directory);
  }

  grpc::Status CreateCouple(const std::string& request_id, v1::Couple* out) {
    v1::CreateCoupleRequest request;
    request.set_request_id(request_id);
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
        kCouple, request.mutable_couple()));
    v1::CreateCoupleResponse response;
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::Status status = stub_->CreateCouple(&context, request, &response);
    *out = response.couple();
    return status;
  }

  std::vector<std::string> directory_args_;
  std::string directory_target_;
  std::unique_ptr<ServiceProcess> directory_;
  std::unique_ptr<ServiceProcess> booking_;
  std::unique_ptr<v1::BookingService::Stub> stub_;
};

TEST_F(BookingIntegrationTest, NotServingUntilTheDirectoryIsReplicated) {
  StartBooking();
  std::string reply;
  ASSERT_TRUE(CheckHealth(booking_->channel(), kBookingService, &reply).ok());
  EXPECT_EQ(reply, testing::kNotServingReply);
  // Its own data is usable meanwhile.
  v1::Couple couple;
  ASSERT_TRUE(CreateCouple("c-1", &couple).ok());
  EXPECT_EQ(couple.id(), "cp-1");

  StartDirectory();
  EXPECT_TRUE(WaitForBookingHealth(booking_->channel(), testing::kServingReply));
}

TEST_F(BookingIntegrationTest,
       CouplesAreIdempotentSurviveRestartAndStayOutOfLogs) {
  StartDirectory();
  StartBooking();
  v1::Couple first, retry;
  ASSERT_TRUE(CreateCouple("c-1", &first).ok());
  ASSERT_TRUE(CreateCouple("c-1", &retry).ok());
  EXPECT_EQ(first.id(), retry.id());
  EXPECT_EQ(first.display_label(), "O.V. & L.V.");

  // Bad input: the field is named, the value is not echoed.
  v1::CreateCoupleRequest bad;
  bad.set_request_id("c-2");
  bad.mutable_couple()->set_language("fi");
  bad.mutable_couple()->mutable_partner_a()->set_given_name("Oskari");
  bad.mutable_couple()->mutable_partner_a()->set_email("oskari-at-example");
  bad.mutable_couple()->mutable_partner_a()->set_preferred_channel(
      v1::CONTACT_CHANNEL_EMAIL);
  v1::CreateCoupleResponse ignored;
  grpc::ClientContext context;
  SetDeadline(context);
  grpc::Status status = stub_->CreateCouple(&context, bad, &ignored);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("couple.partner_a.email"),
            std::string::npos);
  EXPECT_EQ(status.error_message().find("oskari-at-example"),
            std::string::npos);

  // The directory goes away: couples stay readable, even after a restart.
  stub_.reset();
  ASSERT_TRUE(directory_->Stop().ok());
  auto stopped = booking_->Stop();
  ASSERT_TRUE(stopped.ok());
  EXPECT_EQ(stopped->exit_code, 0);
  EXPECT_LT(stopped->took, absl::Seconds(2));
  ASSERT_TRUE(booking_->Restart().ok());
  stub_ = v1::BookingService::NewStub(booking_->channel());
  v1::GetCoupleRequest get;
  get.set_id(first.id());
  v1::GetCoupleResponse got;
  grpc::ClientContext get_context;
  SetDeadline(get_context);
  ASSERT_TRUE(stub_->GetCouple(&get_context, get, &got).ok());
  EXPECT_EQ(got.couple().partner_a().given_name(), "Oskari");
  stub_.reset();
  ASSERT_TRUE(booking_->Stop().ok());

  const std::string log = booking_->ReadLog();
  ASSERT_NE(log.find("\"event\":\"rpc\""), std::string::npos);  // real log
  for (const char* secret : {"Oskari", "Vuorinen", "Liisa", "+358401112223",
                             "met at the fair", "oskari-at-example"}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret;
  }
}

TEST_F(BookingIntegrationTest, ProposesFromTheReplicatedDirectory) {
  StartDirectory();
  SeedClinic(directory_->channel());
  StartBooking();
  ASSERT_TRUE(WaitForBookingHealth(booking_->channel(), testing::kServingReply));
  v1::Couple couple;
  ASSERT_TRUE(CreateCouple("c-1", &couple).ok());

  // A window starting a week from now: the services use the real clock.
  const absl::CivilDay start =
      absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + 7;
  v1::ProposeIntensiveRequest request;
  request.set_couple_id(couple.id());
  request.set_template_id("pt-1");  // the shipped ten-day intensive
  request.mutable_earliest_start()->set_year(static_cast<int>(start.year()));
  request.mutable_earliest_start()->set_month(start.month());
  request.mutable_earliest_start()->set_day(start.day());
  const absl::CivilDay end = start + 30;
  request.mutable_latest_start()->set_year(static_cast<int>(end.year()));
  request.mutable_latest_start()->set_month(end.month());
  request.mutable_latest_start()->set_day(end.day());
  v1::ProposeIntensiveResponse response;
  grpc::ClientContext context;
  SetDeadline(context);
  grpc::Status status = stub_->ProposeIntensive(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_GT(response.plans_size(), 0)
      << response.explanation().ShortDebugString();
  const v1::Plan& plan = response.plans(0);
  EXPECT_EQ(plan.team().male_therapist_id(), "th-1");
  EXPECT_EQ(plan.team().female_therapist_id(), "th-2");
  EXPECT_EQ(plan.sessions_size(), 12);

  // Another language: nobody can take it, and the answer says so.
  v1::UpdateCoupleRequest update;
  update.set_request_id("c-2");
  update.mutable_couple()->set_id(couple.id());
  update.mutable_couple()->set_language("ta");
  update.mutable_update_mask()->add_paths("language");
  v1::UpdateCoupleResponse updated;
  grpc::ClientContext update_context;
  SetDeadline(update_context);
  ASSERT_TRUE(stub_->UpdateCouple(&update_context, update, &updated).ok());
  grpc::ClientContext again;
  SetDeadline(again);
  response.Clear();
  ASSERT_TRUE(stub_->ProposeIntensive(&again, request, &response).ok());
  EXPECT_EQ(response.plans_size(), 0);
  ASSERT_GT(response.explanation().reasons_size(), 0);
  EXPECT_EQ(response.explanation().reasons(0).code(),
            v1::PROPOSAL_REASON_CODE_NO_LANGUAGE_MATCH);
}

}  // namespace
}  // namespace tandem::booking
