#include "services/common/backup/admin_service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/common/proto_time.h"
#include "services/common/sqlite.h"
#include "services/common/test_db.h"

namespace tandem::common::backup {
namespace {

namespace fs = std::filesystem;
namespace v1 = tandem::admin::v1;

const absl::Time kNow = absl::FromCivil(
    absl::CivilSecond(2026, 11, 24, 1, 5, 44), absl::UTCTimeZone());

constexpr Migration kSchema[] = {
    {1,
     "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL);"
     "INSERT INTO t (v) VALUES ('a'), ('b');"}};

// Never called: Backup() takes the caller directly.
class NoAuthenticator final : public Authenticator {
 public:
  absl::StatusOr<Caller> Authenticate(
      const grpc::ServerContextBase& /*context*/) const override {
    return absl::UnauthenticatedError("no credentials");
  }
};

class AdminServiceTest : public testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Database>> db =
        Database::Open({.path = dir_.File("booking.db")}, kSchema);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    absl::StatusOr<std::unique_ptr<audit::AuditLog>> log =
        audit::AuditLog::Open(dir_.File("booking.audit.db"));
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
    AdminOptions options;
    options.service_name = "booking";
    options.database_path = dir_.File("booking.db");
    options.audit_path = dir_.File("booking.audit.db");
    options.backup_dir = DefaultBackupDir(options.database_path);
    service_ = std::make_unique<AdminService>(std::move(options), log_.get(),
                                              &authenticator_,
                                              [this] { return now_; });
  }

  std::vector<audit::AuditRecord> Trail() {
    absl::StatusOr<std::vector<audit::AuditRecord>> records =
        log_->List(audit::AuditFilter{});
    EXPECT_TRUE(records.ok()) << records.status();
    return records.ok() ? *records : std::vector<audit::AuditRecord>{};
  }

  TempDir dir_;
  absl::Time now_ = kNow;
  std::unique_ptr<Database> db_;
  std::unique_ptr<audit::AuditLog> log_;
  NoAuthenticator authenticator_;
  std::unique_ptr<AdminService> service_;
};

const Caller kAdmin{"dev:ada", {Role::kAdmin}, ""};
const Caller kCoordinator{"dev:cora", {Role::kCoordinator}, ""};

TEST_F(AdminServiceTest, AdminGetsCheckedCopiesOfDatabaseAndAuditTrail) {
  v1::BackupDatabaseResponse response;
  ASSERT_TRUE(service_->Backup(kAdmin, {}, &response).ok());
  EXPECT_EQ(response.path(),
            dir_.File("backups/booking-20261124T010544.000Z.db"));
  EXPECT_EQ(response.audit_path(),
            dir_.File("backups/booking.audit-20261124T010544.000Z.db"));
  EXPECT_EQ(response.size_bytes(),
            static_cast<int64_t>(fs::file_size(response.path())));
  EXPECT_EQ(response.audit_size_bytes(),
            static_cast<int64_t>(fs::file_size(response.audit_path())));
  EXPECT_GT(response.pages(), 0);
  EXPECT_EQ(FromProto(response.started_at()), kNow);
  EXPECT_TRUE(CheckIntegrity(response.path()).ok());

  const std::vector<audit::AuditRecord> trail = Trail();
  ASSERT_EQ(trail.size(), 1u);
  EXPECT_EQ(trail[0].entry.action, "BackupDatabase");
  EXPECT_EQ(trail[0].entry.subject, "dev:ada");
  EXPECT_EQ(trail[0].entry.outcome, "OK");
  EXPECT_EQ(trail[0].entry.resource_ids,
            std::vector<std::string>{"booking-20261124T010544.000Z.db"});
}

TEST_F(AdminServiceTest, OthersAreDeniedAndAudited) {
  v1::BackupDatabaseResponse response;
  EXPECT_EQ(service_->Backup(kCoordinator, {}, &response).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_FALSE(fs::exists(dir_.File("backups")));
  const std::vector<audit::AuditRecord> trail = Trail();
  ASSERT_EQ(trail.size(), 1u);
  EXPECT_EQ(trail[0].entry.subject, "dev:cora");
  EXPECT_EQ(trail[0].entry.outcome, "PERMISSION_DENIED");
}

TEST_F(AdminServiceTest, RepeatedRequestIdReturnsTheSameCopy) {
  v1::BackupDatabaseRequest request;
  request.set_request_id("r-1");
  v1::BackupDatabaseResponse first;
  ASSERT_TRUE(service_->Backup(kAdmin, request, &first).ok());
  now_ += absl::Seconds(1);
  v1::BackupDatabaseResponse again;
  ASSERT_TRUE(service_->Backup(kAdmin, request, &again).ok());
  EXPECT_EQ(again.path(), first.path());
  request.set_request_id("r-2");
  v1::BackupDatabaseResponse second;
  ASSERT_TRUE(service_->Backup(kAdmin, request, &second).ok());
  EXPECT_NE(second.path(), first.path());

  request.set_request_id(std::string(129, 'x'));
  EXPECT_EQ(service_->Backup(kAdmin, request, &second).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(second.path().empty());
}

TEST_F(AdminServiceTest, SameMillisecondIsAlreadyExists) {
  v1::BackupDatabaseResponse response;
  ASSERT_TRUE(service_->Backup(kAdmin, {}, &response).ok());
  EXPECT_EQ(service_->Backup(kAdmin, {}, &response).code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(AdminServiceTest, KeepsOnlyTheNewestCopiesOfEachKind) {
  AdminOptions options = service_->options();
  options.keep = 2;
  AdminService service(std::move(options), log_.get(), &authenticator_,
                       [this] { return now_; });
  std::vector<v1::BackupDatabaseResponse> responses(3);
  for (v1::BackupDatabaseResponse& response : responses) {
    ASSERT_TRUE(service.Backup(kAdmin, {}, &response).ok());
    now_ += absl::Hours(24);
  }
  EXPECT_EQ(responses[0].pruned(), 0);
  EXPECT_EQ(responses[1].pruned(), 0);
  EXPECT_EQ(responses[2].pruned(), 2);  // the first database and audit copies
  EXPECT_FALSE(fs::exists(responses[0].path()));
  EXPECT_FALSE(fs::exists(responses[0].audit_path()));
  for (int i : {1, 2}) {
    EXPECT_TRUE(fs::exists(responses[i].path())) << i;
    EXPECT_TRUE(fs::exists(responses[i].audit_path())) << i;
  }
}

TEST_F(AdminServiceTest, ABackendThatIsNotAFileIsUnimplementedAndAudited) {
  AdminOptions options = service_->options();
  options.database_path.clear();  // what a server backend's store yields
  AdminService service(std::move(options), log_.get(), &authenticator_,
                       [this] { return now_; });
  v1::BackupDatabaseResponse response;
  EXPECT_EQ(service.Backup(kAdmin, {}, &response).code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_TRUE(response.path().empty());
  ASSERT_EQ(Trail().size(), 1u);
  EXPECT_FALSE(fs::exists(DefaultBackupDir(dir_.File("booking.db"))));
}

}  // namespace
}  // namespace tandem::common::backup
