// StoreBackend on one SQLite file (services/common/sqlite.h): the embedded
// default. A service's SQLite store owns one, runs its own SQL on db() and
// returns it as its backend().
//
//   ASSIGN_OR_RETURN(std::unique_ptr<SqliteStoreBackend> backend,
//                    SqliteStoreBackend::Open(options, kMigrations));
//   ASSIGN_OR_RETURN(Statement stmt, backend->db().Prepare(kSelectRoom));
//
// The request log and change log tables come from kRequestLogSchema and
// kChangeLogSchema, which each service's first migration includes.
#ifndef TANDEM_SERVICES_COMMON_SQLITE_STORE_BACKEND_H_
#define TANDEM_SERVICES_COMMON_SQLITE_STORE_BACKEND_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "services/common/sqlite.h"
#include "services/common/store_backend.h"

namespace tandem::common {

class SqliteStoreBackend final : public StoreBackend {
 public:
  // Database::Open with `migrations`.
  static absl::StatusOr<std::unique_ptr<SqliteStoreBackend>> Open(
      const DatabaseOptions& options, absl::Span<const Migration> migrations);

  // The connection, for the owning store's SQL.
  Database& db() { return *db_; }

  absl::StatusOr<std::unique_ptr<StoreTransaction>> BeginTransaction() override;
  absl::StatusOr<std::optional<std::string>> FindStoredResponse(
      absl::string_view request_id, absl::string_view method,
      const google::protobuf::Message& request) override;
  absl::Status StoreResponse(absl::string_view request_id,
                             absl::string_view method,
                             const google::protobuf::Message& request,
                             const google::protobuf::Message& response,
                             absl::Time now) override;
  absl::StatusOr<int64_t> PruneRequestLog(absl::Time cutoff) override;
  absl::StatusOr<std::vector<StoredChange>> ReadChangesAfter(
      int64_t after, int limit) override;
  absl::StatusOr<int64_t> CurrentRevision() override;
  absl::Status PruneChangeLog(int64_t keep) override;
  // The database file; UNIMPLEMENTED for ":memory:".
  absl::StatusOr<std::string> BackupSourceFile() const override;

 private:
  SqliteStoreBackend(std::unique_ptr<Database> db, std::string path)
      : db_(std::move(db)), path_(std::move(path)) {}

  const std::unique_ptr<Database> db_;
  const std::string path_;
};

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_SQLITE_STORE_BACKEND_H_
