// A service's change log: every committed change gets the next revision
// (gap-free, monotonically increasing, persisted), so other services can
// keep a replica by list-then-watch and resume after a restart.
//
// Rows hold the serialized Change message without its revision and commit
// time; readers fill those from the row. Old rows are pruned to bound the
// file; a reader asking for revisions that were pruned gets OUT_OF_RANGE and
// must re-list.
#ifndef TANDEM_SERVICES_COMMON_CHANGE_LOG_H_
#define TANDEM_SERVICES_COMMON_CHANGE_LOG_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/sqlite.h"

namespace tandem::common {

inline constexpr absl::string_view kChangeLogSchema = R"sql(
CREATE TABLE change_log (
  revision    INTEGER PRIMARY KEY AUTOINCREMENT,
  commit_time INTEGER NOT NULL,  -- unix microseconds
  change      BLOB NOT NULL      -- serialized Change, revision unset
);
CREATE TABLE change_log_meta (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  pruned_through INTEGER NOT NULL  -- revisions <= this are gone
);
INSERT INTO change_log_meta(id, pruned_through) VALUES (1, 0);
)sql";

struct StoredChange {
  int64_t revision;
  absl::Time commit_time;
  std::string change;  // serialized, revision and commit_time unset
};

// A thread-safe read of a service's change log (the owner takes its lock);
// how WatchChanges streams read.
using ChangeReader = std::function<absl::StatusOr<std::vector<StoredChange>>(
    int64_t after, int limit)>;

// Inside the mutation's transaction. Returns the new revision.
absl::StatusOr<int64_t> AppendChange(Database& db, absl::string_view change,
                                     absl::Time now);

// Up to `limit` changes with revision > `after`, in order. OUT_OF_RANGE if
// some of them were pruned.
absl::StatusOr<std::vector<StoredChange>> ReadChangesAfter(Database& db,
                                                           int64_t after,
                                                           int limit);

// The newest revision (0 for an empty log).
absl::StatusOr<int64_t> CurrentRevision(Database& db);

// Keeps the newest `keep` changes, deleting older ones, in one transaction.
absl::Status PruneChangeLog(Database& db, int64_t keep);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_CHANGE_LOG_H_
