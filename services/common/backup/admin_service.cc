#include "services/common/backup/admin_service.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <system_error>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "services/common/backup/backup_retention.h"
#include "services/common/grpc_status.h"
#include "services/common/logging.h"
#include "services/common/proto_time.h"
#include "services/common/server_flags.h"
#include "services/common/service_security.h"
#include "services/common/status_macros.h"

ABSL_FLAG(std::string, backup_dir, "",
          "where AdminService.BackupDatabase writes its copies (default: "
          "'backups' beside --db)");
ABSL_FLAG(int, backup_keep, 14,
          "copies of the database (and of the audit trail) kept in "
          "--backup_dir: after each backup the oldest beyond this many are "
          "deleted; 0 keeps every copy");

namespace tandem::common::backup {

namespace v1 = tandem::admin::v1;

namespace {

constexpr absl::string_view kAction = "BackupDatabase";
constexpr size_t kMaxRequestIdLength = 128;
// request_ids whose answers are kept for retries.
constexpr size_t kAnswersKept = 16;

absl::Status RequireAdmin(const Caller& caller) {
  if (caller.Has(Role::kAdmin)) return absl::OkStatus();
  return absl::PermissionDeniedError("backups are for administrators");
}

}  // namespace

std::string DefaultBackupDir(const std::string& database_path) {
  return (std::filesystem::path(database_path).parent_path() / "backups")
      .string();
}

std::unique_ptr<AdminService> AdminServiceFromFlags(
    absl::string_view service_name, const DatabaseOptions& database,
    const StoreBackend& store, const ServiceSecurity& security) {
  AdminOptions options;
  options.service_name = std::string(service_name);
  absl::StatusOr<std::string> source = store.BackupSourceFile();
  if (source.ok()) options.database_path = *std::move(source);
  options.audit_path = absl::GetFlag(FLAGS_audit_db);
  if (options.audit_path.empty()) {
    options.audit_path = DefaultAuditDb(database, service_name);
  }
  options.backup_dir = absl::GetFlag(FLAGS_backup_dir);
  if (options.backup_dir.empty()) {
    options.backup_dir = DefaultBackupDir(database.path);
  }
  options.keep = absl::GetFlag(FLAGS_backup_keep);
  return std::make_unique<AdminService>(
      std::move(options), security.audit.get(), security.authenticator.get());
}

AdminService::AdminService(AdminOptions options, audit::AuditLog* log,
                           const Authenticator* authenticator, Clock clock)
    : options_(std::move(options)),
      log_(log),
      authenticator_(authenticator),
      clock_(std::move(clock)) {}

grpc::ServerUnaryReactor* AdminService::BackupDatabase(
    grpc::CallbackServerContext* context,
    const v1::BackupDatabaseRequest* request,
    v1::BackupDatabaseResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Caller> caller = authenticator_->Authenticate(*context);
  reactor->Finish(ToGrpcStatus(caller.ok() ? Backup(*caller, *request, response)
                                           : caller.status()));
  return reactor;
}

absl::Status AdminService::Backup(const Caller& caller,
                                  const v1::BackupDatabaseRequest& request,
                                  v1::BackupDatabaseResponse* response) {
  absl::Status outcome = [&]() -> absl::Status {
    RETURN_IF_ERROR(RequireAdmin(caller));
    if (request.request_id().size() > kMaxRequestIdLength) {
      return absl::InvalidArgumentError(absl::StrCat(
          "request_id: at most ", kMaxRequestIdLength, " characters"));
    }
    absl::MutexLock lock(&mu_);
    if (!request.request_id().empty()) {
      for (const auto& [id, answer] : answered_) {
        if (id == request.request_id()) {
          *response = answer;
          return absl::OkStatus();
        }
      }
    }
    RETURN_IF_ERROR(Copy(response));
    if (!request.request_id().empty()) {
      answered_.emplace_back(request.request_id(), *response);
      if (answered_.size() > kAnswersKept) answered_.pop_front();
    }
    return absl::OkStatus();
  }();
  const std::string file =
      response->path().empty()
          ? std::string()
          : std::filesystem::path(response->path()).filename().string();
  outcome = Record(caller, file, std::move(outcome));
  if (!outcome.ok()) response->Clear();
  return outcome;
}

absl::Status AdminService::Copy(v1::BackupDatabaseResponse* response) {
  if (options_.database_path.empty()) {
    return absl::UnimplementedError(
        "backup: this service's storage is not a file; back it up with the "
        "database server's own tools");
  }
  const absl::Time started = clock_();
  std::error_code error;
  std::filesystem::create_directories(options_.backup_dir, error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "backup: cannot create the backup directory ", options_.backup_dir));
  }
  const std::filesystem::path dir(options_.backup_dir);
  const std::string path =
      (dir / BackupFileName(options_.service_name, started)).string();
  ASSIGN_OR_RETURN(
      BackupResult copy,
      BackupDatabaseFile(options_.database_path, path, options_.backup));
  if (!options_.audit_path.empty()) {
    const std::string audit_path =
        (dir /
         BackupFileName(absl::StrCat(options_.service_name, ".audit"), started))
            .string();
    ASSIGN_OR_RETURN(
        BackupResult audit_copy,
        BackupDatabaseFile(options_.audit_path, audit_path, options_.backup));
    response->set_audit_path(audit_copy.path);
    response->set_audit_size_bytes(audit_copy.size_bytes);
  }
  const absl::Time completed = clock_();
  response->set_pruned(Prune());
  response->set_path(copy.path);
  response->set_size_bytes(copy.size_bytes);
  response->set_pages(copy.pages);
  *response->mutable_started_at() = ToProto(started);
  *response->mutable_completed_at() = ToProto(completed);
  spdlog::info(
      R"("event":"backup","path":"{}","bytes":{},"pages":{},"ms":{},"pruned":{})",
      JsonEscape(copy.path), copy.size_bytes, copy.pages,
      absl::ToInt64Milliseconds(completed - started), response->pruned());
  return absl::OkStatus();
}

int AdminService::Prune() {
  int pruned = 0;
  for (const std::string& stem :
       {options_.service_name, absl::StrCat(options_.service_name, ".audit")}) {
    absl::StatusOr<int> removed =
        PruneBackups(options_.backup_dir, stem, options_.keep);
    if (!removed.ok()) {
      spdlog::warn(R"("event":"backup_prune_failed","error":"{}")",
                   JsonEscape(removed.status().message()));
      continue;
    }
    pruned += *removed;
  }
  return pruned;
}

absl::Status AdminService::Record(const Caller& caller,
                                  const std::string& resource_id,
                                  absl::Status outcome) {
  audit::AuditEntry entry;
  entry.time = clock_();
  entry.subject = caller.subject;
  entry.roles = caller.roles.ToString();
  entry.service = options_.service_name;
  entry.action = std::string(kAction);
  if (!resource_id.empty()) entry.resource_ids.push_back(resource_id);
  entry.outcome = absl::StatusCodeToString(outcome.code());
  absl::Status recorded = log_->Append(entry);
  if (recorded.ok()) return outcome;
  spdlog::error(R"("event":"audit_append_failed","method":"{}","error":"{}")",
                JsonEscape(kAction), JsonEscape(recorded.message()));
  if (!outcome.ok()) return outcome;
  return absl::UnavailableError(
      "the audit trail cannot be written; the copy was made but is not "
      "reported");
}

}  // namespace tandem::common::backup
