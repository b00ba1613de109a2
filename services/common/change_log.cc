#include "services/common/change_log.h"

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"

namespace tandem::common {

namespace {
constexpr absl::string_view kInsert =
    "INSERT INTO change_log(commit_time, change) VALUES (?, ?)";
constexpr absl::string_view kSelectAfter =
    "SELECT revision, commit_time, change FROM change_log "
    "WHERE revision > ? ORDER BY revision LIMIT ?";
constexpr absl::string_view kSelectPrunedThrough =
    "SELECT pruned_through FROM change_log_meta WHERE id = 1";
// sqlite_sequence survives pruning, so this is right even when every row of
// change_log was deleted.
constexpr absl::string_view kSelectCurrent =
    "SELECT COALESCE((SELECT seq FROM sqlite_sequence "
    "WHERE name = 'change_log'), 0)";
constexpr absl::string_view kDeleteThrough =
    "DELETE FROM change_log WHERE revision <= ?";
constexpr absl::string_view kUpdatePrunedThrough =
    "UPDATE change_log_meta SET pruned_through = ? WHERE id = 1";
}  // namespace

absl::StatusOr<int64_t> AppendChange(Database& db, absl::string_view change,
                                     absl::Time now) {
  ASSIGN_OR_RETURN(Statement stmt, db.Prepare(kInsert));
  stmt.Bind(1, absl::ToUnixMicros(now)).BindBlob(2, change);
  RETURN_IF_ERROR(stmt.Run());
  return db.LastInsertRowId();
}

absl::StatusOr<std::vector<StoredChange>> ReadChangesAfter(Database& db,
                                                           int64_t after,
                                                           int limit) {
  {
    ASSIGN_OR_RETURN(Statement pruned, db.Prepare(kSelectPrunedThrough));
    ASSIGN_OR_RETURN(bool row, pruned.Step());
    if (row && after < pruned.ColumnInt64(0)) {
      return absl::OutOfRangeError(absl::StrCat(
          "after_revision: changes up to revision ", pruned.ColumnInt64(0),
          " are no longer retained; list again and watch from the listed "
          "revision"));
    }
  }
  ASSIGN_OR_RETURN(Statement stmt, db.Prepare(kSelectAfter));
  stmt.Bind(1, after).Bind(2, limit);
  std::vector<StoredChange> changes;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    changes.push_back({stmt.ColumnInt64(0),
                       absl::FromUnixMicros(stmt.ColumnInt64(1)),
                       stmt.ColumnBlob(2)});
  }
  return changes;
}

absl::StatusOr<int64_t> CurrentRevision(Database& db) {
  ASSIGN_OR_RETURN(Statement stmt, db.Prepare(kSelectCurrent));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.ColumnInt64(0) : 0;
}

absl::Status PruneChangeLog(Database& db, int64_t keep) {
  ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(db));
  ASSIGN_OR_RETURN(int64_t current, CurrentRevision(db));
  const int64_t through = current - keep;
  if (through <= 0) return absl::OkStatus();
  {
    ASSIGN_OR_RETURN(Statement del, db.Prepare(kDeleteThrough));
    del.Bind(1, through);
    RETURN_IF_ERROR(del.Run());
  }
  {
    ASSIGN_OR_RETURN(Statement upd, db.Prepare(kUpdatePrunedThrough));
    upd.Bind(1, through);
    RETURN_IF_ERROR(upd.Run());
  }
  return txn.Commit();
}

}  // namespace tandem::common
