// Booking's promises under concurrency and crashes, through the real
// binaries: 32 clients racing for the same time (exactly one wins, and the
// database file shows no double booking), a retried request_id (one
// booking), and SIGKILL in the middle of a burst (every acknowledged booking
// survives; holds too).
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "tests/integration/booking_fixture.h"
#include "tests/integration/health_check.h"
#include "tests/integration/test_security.h"

namespace tandem::booking {
namespace {

namespace v1 = ::tandem::booking::v1;
using ::tandem::testing::Call;
using ::tandem::testing::DateProto;
using ::tandem::testing::OperatorToken;
using ::tandem::testing::SecureChannel;
using ::tandem::testing::UserCredentials;
using ::tandem::testing::ServiceProcess;
using Stub = v1::BookingService::Stub;

// Pairs of commitments of one resource whose times overlap, counted by SQL
// straight on the service's database file (not through the service).
int64_t OverlappingCommitments(const std::string& db_path) {
  return testing::QueryInt64(
      db_path,
      "SELECT count(*) FROM commitments a JOIN commitments b "
      "ON a.resource = b.resource AND a.rowid < b.rowid "
      "AND a.start_time < b.end_time AND b.start_time < a.end_time");
}

int64_t CountRows(const std::string& db_path, const std::string& table) {
  return testing::QueryInt64(db_path,
                             absl::StrCat("SELECT count(*) FROM ", table));
}

class BookingConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::BookingServices services;
    ASSERT_NO_FATAL_FAILURE(testing::StartBookingServices({}, &services));
    directory_ = std::move(services.directory);
    booking_ = std::move(services.booking);
    Connect();
    first_day_ = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + 7;
  }

  void Connect() {
    stub_ = v1::BookingService::NewStub(booking_->channel());
    ASSERT_TRUE(testing::WaitForBookingHealth(booking_->channel(),
                                              testing::kServingReply));
  }

  std::string NewCouple(int n) {
    v1::CreateCoupleRequest request;
    request.set_request_id(absl::StrCat("couple-", n));
    *request.mutable_couple() = testing::TestCouple(absl::StrCat("F", n));
    v1::CreateCoupleResponse response;
    EXPECT_TRUE(Call(*stub_, &Stub::CreateCouple, request, &response).ok());
    return response.couple().id();
  }

  v1::Plan BestPlan(const std::string& couple_id) {
    v1::ProposeIntensiveRequest request;
    request.set_couple_id(couple_id);
    request.set_template_id("pt-1");
    *request.mutable_earliest_start() = DateProto(first_day_);
    *request.mutable_latest_start() = DateProto(first_day_ + 30);
    request.set_max_plans(1);
    v1::ProposeIntensiveResponse response;
    EXPECT_TRUE(Call(*stub_, &Stub::ProposeIntensive, request, &response).ok());
    return response.plans_size() > 0 ? response.plans(0) : v1::Plan();
  }

  std::unique_ptr<ServiceProcess> directory_;
  std::unique_ptr<ServiceProcess> booking_;
  std::unique_ptr<Stub> stub_;
  absl::CivilDay first_day_;
};

TEST_F(BookingConcurrencyTest, ThirtyTwoClientsRaceExactlyOneWins) {
  constexpr int kClients = 32;
  std::vector<std::string> couples;
  std::vector<v1::Plan> plans;
  for (int i = 0; i < kClients; ++i) {
    couples.push_back(NewCouple(i));
    plans.push_back(BestPlan(couples.back()));  // all before anyone holds
    ASSERT_FALSE(plans.back().sessions().empty());
  }
  std::atomic<int> won{0}, aborted{0}, other{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      // Each client has its own channel, as separate coordinators would.
      auto stub = v1::BookingService::NewStub(SecureChannel(
          booking_->target(), UserCredentials(OperatorToken())));
      v1::HoldIntensiveRequest request;
      request.set_request_id(absl::StrCat("race-", i));
      request.set_couple_id(couples[i]);
      *request.mutable_plan() = plans[i];
      v1::HoldIntensiveResponse response;
      while (!go.load()) std::this_thread::yield();
      grpc::Status status =
          Call(*stub, &Stub::HoldIntensive, request, &response);
      if (status.ok()) {
        ++won;
      } else if (status.error_code() == grpc::StatusCode::ABORTED) {
        ++aborted;
      } else {
        ++other;
      }
    });
  }
  go.store(true);
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(aborted.load(), kClients - 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(CountRows(booking_->db_path(), "intensives"), 1);
  EXPECT_GT(CountRows(booking_->db_path(), "commitments"), 0);
  EXPECT_EQ(OverlappingCommitments(booking_->db_path()), 0);
}

TEST_F(BookingConcurrencyTest, ARetriedRequestIdReturnsTheSameBooking) {
  const std::string couple = NewCouple(1);
  v1::HoldIntensiveRequest request;
  request.set_request_id("hold-once");
  request.set_couple_id(couple);
  *request.mutable_plan() = BestPlan(couple);
  v1::HoldIntensiveResponse first, retry;
  ASSERT_TRUE(Call(*stub_, &Stub::HoldIntensive, request, &first).ok());
  // As after a client timeout: the same request again, even after a restart.
  ASSERT_TRUE(Call(*stub_, &Stub::HoldIntensive, request, &retry).ok());
  EXPECT_EQ(retry.intensive().id(), first.intensive().id());
  stub_.reset();
  ASSERT_TRUE(booking_->Stop().ok());
  ASSERT_TRUE(booking_->Restart().ok());
  Connect();
  ASSERT_TRUE(Call(*stub_, &Stub::HoldIntensive, request, &retry).ok());
  EXPECT_EQ(retry.intensive().id(), first.intensive().id());
  EXPECT_EQ(CountRows(booking_->db_path(), "intensives"), 1);
  // The same id with a different body is a client bug, not a replay.
  request.set_couple_id(NewCouple(2));
  EXPECT_EQ(Call(*stub_, &Stub::HoldIntensive, request, &retry).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(BookingConcurrencyTest, SigkillMidBurstLosesNothingAcknowledged) {
  // A hold placed before the burst must survive the crash as a hold.
  const std::string couple = NewCouple(1);
  v1::HoldIntensiveRequest hold;
  hold.set_request_id("hold-before-crash");
  hold.set_couple_id(couple);
  *hold.mutable_plan() = BestPlan(couple);
  v1::HoldIntensiveResponse held;
  ASSERT_TRUE(Call(*stub_, &Stub::HoldIntensive, hold, &held).ok());

  // Four clients book 15-minute calls for th-1 on distinct slots of days
  // after the intensive; the service is killed while they run.
  absl::Mutex mu;
  std::vector<std::string> acknowledged;
  std::atomic<bool> stop{false};
  const absl::Time base = absl::FromCivil(
      absl::CivilMinute(first_day_ + 60) + 9 * 60, absl::UTCTimeZone());
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      auto stub = v1::BookingService::NewStub(SecureChannel(
          booking_->target(), UserCredentials(OperatorToken())));
      for (int n = 0; !stop.load() && n < 2000; ++n) {
        const int slot = n * 4 + c;
        // 32 slots a day (08:00-16:00), weekdays and weekends alike: a
        // weekend call is refused (outside hours), which is fine here.
        const absl::Time start = base + absl::Hours(24) * (slot / 32) +
                                 absl::Minutes(15) * (slot % 32);
        v1::CreateAppointmentRequest request;
        request.set_request_id(absl::StrCat("burst-", slot));
        v1::Appointment* a = request.mutable_appointment();
        a->set_kind(v1::APPOINTMENT_KIND_PHONE_CALL);
        a->set_therapist_id("th-1");
        a->set_couple_id(couple);
        a->mutable_start_time()->set_seconds(absl::ToUnixSeconds(start));
        a->mutable_end_time()->set_seconds(
            absl::ToUnixSeconds(start + absl::Minutes(15)));
        v1::CreateAppointmentResponse response;
        if (Call(*stub, &Stub::CreateAppointment, request, &response).ok()) {
          absl::MutexLock lock(&mu);
          acknowledged.push_back(response.appointment().id());
        }
      }
    });
  }
  // Kill once a good number were acknowledged (bounded wait).
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (absl::Now() < give_up) {
    {
      absl::MutexLock lock(&mu);
      if (acknowledged.size() >= 40) break;
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  auto killed = booking_->Kill();
  ASSERT_TRUE(killed.ok());
  stop.store(true);
  for (std::thread& t : clients) t.join();
  ASSERT_GE(acknowledged.size(), 40u);

  ASSERT_TRUE(booking_->Restart().ok());
  Connect();
  for (const std::string& id : acknowledged) {
    v1::GetAppointmentRequest get;
    get.set_id(id);
    v1::GetAppointmentResponse got;
    grpc::Status status = Call(*stub_, &Stub::GetAppointment, get, &got);
    ASSERT_TRUE(status.ok()) << id << ": " << status.error_message();
    EXPECT_EQ(got.appointment().status(), v1::APPOINTMENT_STATUS_SCHEDULED);
  }
  v1::GetIntensiveRequest get;
  get.set_id(held.intensive().id());
  v1::GetIntensiveResponse still;
  ASSERT_TRUE(Call(*stub_, &Stub::GetIntensive, get, &still).ok());
  EXPECT_EQ(still.intensive().status(), v1::INTENSIVE_STATUS_HELD);
  EXPECT_EQ(OverlappingCommitments(booking_->db_path()), 0);
}

}  // namespace
}  // namespace tandem::booking
