#include "services/common/sqlite_store_backend.h"

#include <utility>

#include "services/common/change_log.h"
#include "services/common/idempotency.h"
#include "services/common/status_macros.h"

namespace tandem::common {

namespace {

class SqliteTransaction final : public StoreTransaction {
 public:
  explicit SqliteTransaction(Transaction txn) : txn_(std::move(txn)) {}
  absl::Status Commit() override { return txn_.Commit(); }

 private:
  Transaction txn_;  // rolls back on destruction unless committed
};

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteStoreBackend>> SqliteStoreBackend::Open(
    const DatabaseOptions& options, absl::Span<const Migration> migrations) {
  ASSIGN_OR_RETURN(std::unique_ptr<Database> db,
                   Database::Open(options, migrations));
  return std::unique_ptr<SqliteStoreBackend>(
      new SqliteStoreBackend(std::move(db), options.path));
}

absl::StatusOr<std::unique_ptr<StoreTransaction>>
SqliteStoreBackend::BeginTransaction() {
  ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_));
  return std::make_unique<SqliteTransaction>(std::move(txn));
}

absl::StatusOr<std::optional<std::string>>
SqliteStoreBackend::FindStoredResponse(
    absl::string_view request_id, absl::string_view method,
    const google::protobuf::Message& request) {
  return common::FindStoredResponse(*db_, request_id, method, request);
}

absl::Status SqliteStoreBackend::StoreResponse(
    absl::string_view request_id, absl::string_view method,
    const google::protobuf::Message& request,
    const google::protobuf::Message& response, absl::Time now) {
  return common::StoreResponse(*db_, request_id, method, request, response,
                               now);
}

absl::StatusOr<int64_t> SqliteStoreBackend::PruneRequestLog(absl::Time cutoff) {
  return common::PruneRequestLog(*db_, cutoff);
}

absl::StatusOr<std::vector<StoredChange>> SqliteStoreBackend::ReadChangesAfter(
    int64_t after, int limit) {
  return common::ReadChangesAfter(*db_, after, limit);
}

absl::StatusOr<int64_t> SqliteStoreBackend::CurrentRevision() {
  return common::CurrentRevision(*db_);
}

absl::Status SqliteStoreBackend::PruneChangeLog(int64_t keep) {
  return common::PruneChangeLog(*db_, keep);
}

absl::StatusOr<std::string> SqliteStoreBackend::BackupSourceFile() const {
  if (path_ == ":memory:") {
    return absl::UnimplementedError("backup: an in-memory database");
  }
  return path_;
}

}  // namespace tandem::common
