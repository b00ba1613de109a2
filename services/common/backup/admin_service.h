// The gRPC face of a service's storage operations (tandem.admin.v1.
// AdminService), served by each service that keeps a database, beside its
// own API and its AuditService.
//
// Administrators only, checked after authentication like AuditService:
// no valid credentials -> UNAUTHENTICATED; any other role ->
// PERMISSION_DENIED. Every call that authenticates is appended to the
// service's audit trail (action "BackupDatabase", the copy's file name as
// resource id, the outcome), denied calls included; a call whose record
// cannot be written is answered UNAVAILABLE.
//
// BackupDatabase copies the database, then the audit trail, into the backup
// directory (see database_backup.h) as "<service>-<UTC time>.db" and
// "<service>.audit-<UTC time>.db", then deletes the oldest copies of each
// kind beyond the newest --backup_keep (a failure to delete is logged, not
// the call's failure: the new copy is good). Backups run one at a time; the call
// blocks its gRPC thread while it copies (a small clinic's database takes
// well under a second). The answers to the last few request_ids are kept in
// memory, so a retried call returns the same copy.
#ifndef TANDEM_SERVICES_COMMON_BACKUP_ADMIN_SERVICE_H_
#define TANDEM_SERVICES_COMMON_BACKUP_ADMIN_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "absl/flags/declare.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/audit/audit_log.h"
#include "services/common/backup/database_backup.h"
#include "services/common/caller.h"
#include "services/common/sqlite.h"
#include "services/common/store_backend.h"
#include "tandem/admin/v1/admin_service.grpc.pb.h"

ABSL_DECLARE_FLAG(std::string, backup_dir);
ABSL_DECLARE_FLAG(int, backup_keep);

namespace tandem::common {
struct ServiceSecurity;
}

namespace tandem::common::backup {

struct AdminOptions {
  std::string service_name;   // "booking": file names and audit records
  // The file to copy: the store's StoreBackend::BackupSourceFile(). Empty
  // for a backend that is not a file (a database server, backed up with its
  // own tools): BackupDatabase then answers UNIMPLEMENTED.
  std::string database_path;
  std::string audit_path;     // its audit trail; empty: not copied
  std::string backup_dir;     // created on the first backup if missing
  // Copies of each kind kept after a backup (oldest deleted); <= 0: all.
  int keep = 14;
  BackupOptions backup;
};

class AdminService final
    : public tandem::admin::v1::AdminService::CallbackService {
 public:
  using Clock = std::function<absl::Time()>;

  // Neither pointer is owned; both must outlive the service.
  AdminService(
      AdminOptions options, audit::AuditLog* log,
      const Authenticator* authenticator,
      Clock clock = [] { return absl::Now(); });

  grpc::ServerUnaryReactor* BackupDatabase(
      grpc::CallbackServerContext* context,
      const tandem::admin::v1::BackupDatabaseRequest* request,
      tandem::admin::v1::BackupDatabaseResponse* response) override;

  // The same for an already authenticated caller, without gRPC: the admin
  // check, the copy and the call's own record. On failure `response` is
  // left empty. INVALID_ARGUMENT for a request_id over 128 characters;
  // UNIMPLEMENTED when there is no database file to copy (see
  // AdminOptions::database_path); otherwise the codes of BackupDatabaseFile.
  absl::Status Backup(const Caller& caller,
                      const tandem::admin::v1::BackupDatabaseRequest& request,
                      tandem::admin::v1::BackupDatabaseResponse* response);

  const AdminOptions& options() const { return options_; }

 private:
  absl::Status Copy(tandem::admin::v1::BackupDatabaseResponse* response)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Deletes copies beyond options_.keep; returns how many went.
  int Prune() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Record(const Caller& caller, const std::string& resource_id,
                      absl::Status outcome);

  const AdminOptions options_;
  audit::AuditLog* const log_;
  const Authenticator* const authenticator_;
  const Clock clock_;

  absl::Mutex mu_;  // one backup at a time
  // Answers of the last request_ids, oldest first.
  std::deque<std::pair<std::string, tandem::admin::v1::BackupDatabaseResponse>>
      answered_ ABSL_GUARDED_BY(mu_);
};

// "<directory of database_path>/backups".
std::string DefaultBackupDir(const std::string& database_path);

// The service's AdminService from --backup_dir (default: DefaultBackupDir)
// and --audit_db (default: DefaultAuditDb), over the audit trail and
// authenticator of `security`. What it copies is `store`'s
// BackupSourceFile(), asked once here (the service's store backend: the
// SQLite file, or none for a backend that is not a file).
std::unique_ptr<AdminService> AdminServiceFromFlags(
    absl::string_view service_name, const DatabaseOptions& database,
    const StoreBackend& store, const ServiceSecurity& security);

}  // namespace tandem::common::backup

#endif  // TANDEM_SERVICES_COMMON_BACKUP_ADMIN_SERVICE_H_
