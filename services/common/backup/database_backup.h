// A consistent copy of a live SQLite database, taken while its service keeps
// writing, with SQLite's online backup API.
//
// The copy is read through a connection of its own that holds one read
// transaction from the first page to the last: in WAL mode that is a
// snapshot of the database as of the moment the transaction began, and the
// service's writers are not blocked (their commits go to the WAL, which the
// snapshot does not see). Pages are copied in chunks with a short pause in
// between, so the disk is shared with the service.
//
//   ASSIGN_OR_RETURN(BackupResult copy,
//                    BackupDatabaseFile("/var/lib/tandem/booking.db",
//                                       "/var/lib/tandem/backups/b.db"));
//
// The copy is written to "<destination>.partial", made durable, checked with
// PRAGMA integrity_check and only then renamed to `destination`: a file with
// the final name is always complete and checked. The copy is in rollback
// journal mode (one self-contained file); a service opening it switches it
// back to WAL.
#ifndef TANDEM_SERVICES_COMMON_BACKUP_DATABASE_BACKUP_H_
#define TANDEM_SERVICES_COMMON_BACKUP_DATABASE_BACKUP_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace tandem::common::backup {

struct BackupOptions {
  // Pages copied per sqlite3_backup_step (4 KiB each by default).
  int pages_per_step = 256;
  // Pause after each step, so the service's own I/O goes first.
  absl::Duration pause = absl::Milliseconds(2);
  // How long a step that finds the source or the copy locked is retried.
  absl::Duration busy_timeout = absl::Seconds(30);
};

struct BackupResult {
  std::string path;        // the destination
  int64_t size_bytes = 0;  // of the copy
  int64_t pages = 0;       // copied
};

// Copies the database file `source` (which a service may hold open and be
// writing) into `destination`, as described above. `source` is opened read
// only.
//
// Errors name the files, never their contents: INVALID_ARGUMENT for an
// empty or ":memory:" path; ALREADY_EXISTS when `destination` exists;
// NOT_FOUND when `source` does not; UNAVAILABLE when a file cannot be
// opened or written, or the source stayed locked for busy_timeout;
// DATA_LOSS when the copy fails its integrity check. On failure no file is
// left at `destination` or at the partial name.
absl::StatusOr<BackupResult> BackupDatabaseFile(
    const std::string& source, const std::string& destination,
    const BackupOptions& options = {});

// Runs PRAGMA integrity_check on the database file at `path`, opened read
// only. OK when SQLite answers "ok"; DATA_LOSS naming the file (and how
// many problems it found, not what) otherwise; UNAVAILABLE when the file
// cannot be opened or read.
absl::Status CheckIntegrity(const std::string& path);

// "<stem>-20261124T010544.123Z.db": the UTC time to the millisecond, so
// names sort by time.
std::string BackupFileName(absl::string_view stem, absl::Time time);

}  // namespace tandem::common::backup

#endif  // TANDEM_SERVICES_COMMON_BACKUP_DATABASE_BACKUP_H_
