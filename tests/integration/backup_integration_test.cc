// Online backups through the real binaries: a booking service is copied
// (AdminService.BackupDatabase) while a client keeps booking intensives; a
// fresh booking process started on the copy, the way deploy/RESTORE.md
// restores one, answers every intensive acknowledged before the copy began.
// Only administrators may take copies; the refusals are what the API says.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "services/common/caller.h"
#include "services/common/proto_time.h"
#include "tandem/admin/v1/admin_service.grpc.pb.h"
#include "tests/integration/booking_fixture.h"
#include "tests/integration/health_check.h"
#include "tests/integration/test_security.h"

namespace tandem::booking {
namespace {

namespace fs = std::filesystem;
namespace v1 = ::tandem::booking::v1;
namespace ad = ::tandem::admin::v1;
using ::tandem::common::Role;
using ::tandem::testing::Call;
using ::tandem::testing::DateProto;
using ::tandem::testing::MintTestToken;
using ::tandem::testing::OperatorToken;
using ::tandem::testing::SecureChannel;
using ::tandem::testing::ServiceProcess;
using ::tandem::testing::UserCredentials;
using Stub = v1::BookingService::Stub;

// An intensive the service answered BOOKED, and when the answer arrived.
struct Acknowledged {
  std::string id;
  absl::Time at;
};

// The single text row of PRAGMA integrity_check on `path` ("ok" when
// sound), read directly with SQLite.
std::string IntegrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    sqlite3_close(db);
    return "cannot open";
  }
  sqlite3_stmt* stmt = nullptr;
  std::string result = "no answer";
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) ==
          SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    result = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return result;
}

class BackupIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(testing::StartBookingServices({}, &services_));
    booking_ = services_.booking.get();
    first_day_ = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + 7;
  }

  std::unique_ptr<ad::AdminService::Stub> Admin(const std::string& token) {
    return ad::AdminService::NewStub(
        SecureChannel(booking_->target(), UserCredentials(token)));
  }

  // Creates a couple and books a ten-day intensive for it starting within
  // 30 days of *window; when nothing fits there the window moves on. The
  // BOOKED intensive's id, or "" when none was booked.
  std::string BookOne(Stub& stub, int n, absl::CivilDay* window) {
    v1::CreateCoupleRequest create;
    create.set_request_id(absl::StrCat("couple-", n));
    *create.mutable_couple() = testing::TestCouple(absl::StrCat("Load", n));
    v1::CreateCoupleResponse created;
    if (!Call(stub, &Stub::CreateCouple, create, &created).ok()) return "";
    for (int tries = 0; tries < 20; ++tries) {
      v1::ProposeIntensiveRequest propose;
      propose.set_couple_id(created.couple().id());
      propose.set_template_id("pt-1");
      *propose.mutable_earliest_start() = DateProto(*window);
      *propose.mutable_latest_start() = DateProto(*window + 30);
      v1::ProposeIntensiveResponse proposed;
      if (!Call(stub, &Stub::ProposeIntensive, propose, &proposed).ok() ||
          proposed.plans_size() == 0) {
        *window += 10;
        continue;
      }
      v1::HoldIntensiveRequest hold;
      hold.set_request_id(absl::StrCat("hold-", n, "-", tries));
      hold.set_couple_id(created.couple().id());
      *hold.mutable_plan() = proposed.plans(0);
      v1::HoldIntensiveResponse held;
      if (!Call(stub, &Stub::HoldIntensive, hold, &held).ok()) continue;
      v1::ConfirmIntensiveRequest confirm;
      confirm.set_request_id(absl::StrCat("confirm-", n, "-", tries));
      confirm.set_id(held.intensive().id());
      v1::ConfirmIntensiveResponse confirmed;
      if (Call(stub, &Stub::ConfirmIntensive, confirm, &confirmed).ok() &&
          confirmed.intensive().status() == v1::INTENSIVE_STATUS_BOOKED) {
        return confirmed.intensive().id();
      }
    }
    return "";
  }

  testing::BookingServices services_;
  ServiceProcess* booking_ = nullptr;
  absl::CivilDay first_day_;
};

TEST_F(BackupIntegrationTest, CopyTakenUnderLoadRestoresEveryAcknowledged) {
  absl::Mutex mu;
  std::vector<Acknowledged> acknowledged;  // guarded by mu
  std::atomic<bool> stop{false};
  std::thread load([&] {
    auto stub = v1::BookingService::NewStub(
        SecureChannel(booking_->target(), UserCredentials(OperatorToken())));
    absl::CivilDay window = first_day_;
    for (int n = 0; !stop.load() && n < 400; ++n) {
      const std::string id = BookOne(*stub, n, &window);
      if (id.empty()) continue;
      absl::MutexLock lock(&mu);
      acknowledged.push_back({id, absl::Now()});
    }
  });
  auto count = [&] {
    absl::MutexLock lock(&mu);
    return acknowledged.size();
  };
  auto wait_for = [&](size_t n) {
    const absl::Time give_up = absl::Now() + absl::Seconds(60);
    while (count() < n && absl::Now() < give_up) {
      absl::SleepFor(absl::Milliseconds(10));
    }
    return count() >= n;
  };

  // Mid-load: a copy while the client keeps booking.
  const bool loaded = wait_for(10);
  ad::BackupDatabaseRequest request;
  request.set_request_id("backup-under-load");
  ad::BackupDatabaseResponse copy;
  const absl::Time asked = absl::Now();
  const grpc::Status backed_up =
      Call(*Admin(MintTestToken({Role::kAdmin}, "", "test:admin")),
           &ad::AdminService::Stub::BackupDatabase, request, &copy);
  const size_t at_backup = count();
  // ...and a little after it.
  const bool kept_on = wait_for(at_backup + 5);
  stop.store(true);
  load.join();
  ASSERT_TRUE(loaded) << "the load client booked too few intensives";
  ASSERT_TRUE(backed_up.ok()) << backed_up.error_message();
  EXPECT_TRUE(kept_on) << "booking stalled after the backup";

  const absl::Time started = common::FromProto(copy.started_at());
  const absl::Duration took = common::FromProto(copy.completed_at()) - started;
  EXPECT_GE(started, asked);
  EXPECT_GE(took, absl::ZeroDuration());
  EXPECT_EQ(fs::path(copy.path()).parent_path(),
            fs::path(booking_->dir()) / "backups");
  EXPECT_EQ(copy.size_bytes(),
            static_cast<int64_t>(fs::file_size(copy.path())));
  EXPECT_GT(copy.pages(), 0);
  EXPECT_EQ(IntegrityCheck(copy.path()), "ok");
  EXPECT_EQ(IntegrityCheck(copy.audit_path()), "ok");
  std::cout << "backup: " << copy.size_bytes() << " bytes, " << copy.pages()
            << " pages, " << absl::FormatDuration(took) << ", " << at_backup
            << " intensives booked when asked\n";
  RecordProperty("backup_bytes", static_cast<int>(copy.size_bytes()));
  RecordProperty("backup_us",
                 static_cast<int>(absl::ToInt64Microseconds(took)));

  // Restore as deploy/RESTORE.md says: a fresh service, stopped, its
  // database replaced by the copy (without -wal/-shm), started.
  auto restored = ServiceProcess::Start(
      TANDEM_BOOKING_BINARY,
      {absl::StrCat("--directory=", services_.directory->target())});
  ASSERT_TRUE(restored.ok()) << restored.status();
  ASSERT_TRUE((*restored)->Stop().ok());
  const std::string db = (*restored)->db_path();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
  fs::copy_file(copy.path(), db);
  ASSERT_TRUE((*restored)->Restart().ok());
  ASSERT_TRUE(testing::WaitForBookingHealth((*restored)->channel(),
                                            testing::kServingReply));
  auto stub = v1::BookingService::NewStub((*restored)->channel());

  int before = 0;
  int after = 0;
  absl::MutexLock lock(&mu);
  for (const Acknowledged& booked : acknowledged) {
    if (booked.at >= started) {
      ++after;
      continue;
    }
    ++before;
    v1::GetIntensiveRequest get;
    get.set_id(booked.id);
    v1::GetIntensiveResponse got;
    const grpc::Status status = Call(*stub, &Stub::GetIntensive, get, &got);
    ASSERT_TRUE(status.ok()) << booked.id << " acknowledged before the copy "
                             << "began is missing: " << status.error_message();
    EXPECT_EQ(got.intensive().status(), v1::INTENSIVE_STATUS_BOOKED)
        << booked.id;
  }
  EXPECT_GE(before, 10);
  EXPECT_GE(after, 1) << "no booking was acknowledged after the copy began";
}

TEST_F(BackupIntegrationTest, OnlyAdministratorsMayCopy) {
  ad::BackupDatabaseResponse copy;
  grpc::Status status =
      Call(*Admin(MintTestToken({Role::kCoordinator}, "", "test:cora")),
           &ad::AdminService::Stub::BackupDatabase, ad::BackupDatabaseRequest(),
           &copy);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  auto anonymous = ad::AdminService::NewStub(
      SecureChannel(booking_->target(), testing::AnonymousTlsCredentials()));
  status = Call(*anonymous, &ad::AdminService::Stub::BackupDatabase,
                ad::BackupDatabaseRequest(), &copy);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_FALSE(fs::exists(fs::path(booking_->dir()) / "backups"));

  // The refusal is in the trail, with who was refused.
  EXPECT_EQ(testing::QueryInt64(
                booking_->audit_db_path(),
                "SELECT count(*) FROM audit_records WHERE action = "
                "'BackupDatabase' AND outcome = 'PERMISSION_DENIED' AND "
                "subject = 'test:cora'"),
            1);
}

}  // namespace
}  // namespace tandem::booking
