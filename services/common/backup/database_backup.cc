#include "services/common/backup/database_backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/status_macros.h"

namespace tandem::common::backup {
namespace {

namespace fs = std::filesystem;

// Starts the read transaction whose snapshot the copy is taken from.
constexpr absl::string_view kBeginRead = "BEGIN";
constexpr absl::string_view kFirstRead = "SELECT count(*) FROM sqlite_schema";
constexpr absl::string_view kEndRead = "COMMIT";
// The copy as one file, without -wal and -shm beside it.
constexpr absl::string_view kRollbackJournal = "PRAGMA journal_mode=DELETE";
constexpr absl::string_view kIntegrityCheck = "PRAGMA integrity_check";

// A connection closed on scope exit.
class Connection {
 public:
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { Close().IgnoreError(); }

  absl::Status Open(const std::string& path, int flags, absl::string_view role,
                    absl::Duration busy_timeout) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_,
                                   flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      return absl::UnavailableError(absl::StrCat("backup: cannot open the ",
                                                 role, " ", path, ": ",
                                                 sqlite3_errstr(rc)));
    }
    sqlite3_busy_timeout(
        db_, static_cast<int>(absl::ToInt64Milliseconds(busy_timeout)));
    return absl::OkStatus();
  }

  // Runs `sql`, ignoring rows, or returns UNAVAILABLE naming `path`.
  absl::Status Exec(absl::string_view sql, const std::string& path) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()),
                                &stmt, nullptr);
    while (rc == SQLITE_OK || rc == SQLITE_ROW) rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc == SQLITE_DONE) return absl::OkStatus();
    return absl::UnavailableError(
        absl::StrCat("backup: cannot read ", path, ": ", sqlite3_errstr(rc)));
  }

  absl::Status Close() {
    if (db_ == nullptr) return absl::OkStatus();
    const int rc = sqlite3_close(db_);
    db_ = nullptr;
    if (rc == SQLITE_OK) return absl::OkStatus();
    return absl::UnavailableError(absl::StrCat(
        "backup: closing a database failed: ", sqlite3_errstr(rc)));
  }

  sqlite3* raw() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// Copies every page from `from` into `to`. `*pages` is set to the source's
// page count.
absl::Status CopyPages(Connection& from, Connection& to,
                       const std::string& source, const BackupOptions& options,
                       int64_t* pages) {
  sqlite3_backup* backup =
      sqlite3_backup_init(to.raw(), "main", from.raw(), "main");
  if (backup == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("backup: cannot start copying ", source, ": ",
                     sqlite3_errstr(sqlite3_errcode(to.raw()))));
  }
  absl::Time busy_since = absl::InfiniteFuture();
  int rc = SQLITE_OK;
  while (true) {
    rc = sqlite3_backup_step(backup, options.pages_per_step);
    *pages = sqlite3_backup_pagecount(backup);
    if (rc == SQLITE_DONE) break;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      const absl::Time now = absl::Now();
      if (busy_since == absl::InfiniteFuture()) busy_since = now;
      if (now - busy_since > options.busy_timeout) break;
    } else if (rc == SQLITE_OK) {
      busy_since = absl::InfiniteFuture();
    } else {
      break;
    }
    absl::SleepFor(options.pause);
  }
  const int finished = sqlite3_backup_finish(backup);
  if (rc == SQLITE_DONE && finished == SQLITE_OK) return absl::OkStatus();
  if (rc == SQLITE_DONE) rc = finished;
  return absl::UnavailableError(absl::StrCat("backup: copying ", source,
                                             " failed: ", sqlite3_errstr(rc)));
}

// Makes the rename of a file in `dir` durable.
absl::Status SyncDirectory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("backup: cannot open directory ", dir.string()));
  }
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) {
    return absl::UnavailableError(
        absl::StrCat("backup: cannot sync directory ", dir.string()));
  }
  return absl::OkStatus();
}

absl::Status CheckPath(const std::string& path, absl::string_view role) {
  if (path.empty() || path == ":memory:" ||
      absl::StartsWith(path, "file::memory:")) {
    return absl::InvalidArgumentError(
        absl::StrCat("backup: the ", role, " must be a file"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string BackupFileName(absl::string_view stem, absl::Time time) {
  return absl::StrCat(
      stem, "-",
      absl::FormatTime("%Y%m%dT%H%M%E3SZ", time, absl::UTCTimeZone()), ".db");
}

absl::Status CheckIntegrity(const std::string& path) {
  RETURN_IF_ERROR(CheckPath(path, "file to check"));
  Connection db;
  RETURN_IF_ERROR(
      db.Open(path, SQLITE_OPEN_READONLY, "copy", absl::Seconds(5)));
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db.raw(), kIntegrityCheck.data(),
                              static_cast<int>(kIntegrityCheck.size()), &stmt,
                              nullptr);
  int problems = 0;
  bool ok = false;
  while (rc == SQLITE_OK || rc == SQLITE_ROW) {
    rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) break;
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    if (text != nullptr &&
        absl::string_view(reinterpret_cast<const char*>(text)) == "ok") {
      ok = true;
    } else {
      ++problems;
    }
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) {
    // A file that is not a database at all ends here (SQLITE_NOTADB).
    if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) {
      return absl::DataLossError(
          absl::StrCat("backup: ", path,
                       " fails its integrity check: ", sqlite3_errstr(rc)));
    }
    return absl::UnavailableError(
        absl::StrCat("backup: cannot check ", path, ": ", sqlite3_errstr(rc)));
  }
  if (ok && problems == 0) return absl::OkStatus();
  return absl::DataLossError(absl::StrCat("backup: ", path,
                                          " fails its integrity check (",
                                          problems, " problems)"));
}

absl::StatusOr<BackupResult> BackupDatabaseFile(const std::string& source,
                                                const std::string& destination,
                                                const BackupOptions& options) {
  RETURN_IF_ERROR(CheckPath(source, "source"));
  RETURN_IF_ERROR(CheckPath(destination, "destination"));
  if (options.pages_per_step < 1) {
    return absl::InvalidArgumentError("backup: pages_per_step: at least 1");
  }
  std::error_code error;
  if (!fs::exists(source, error)) {
    return absl::NotFoundError(absl::StrCat("backup: no database at ", source));
  }
  if (fs::exists(destination, error)) {
    return absl::AlreadyExistsError(
        absl::StrCat("backup: ", destination, " exists already"));
  }
  const std::string partial = absl::StrCat(destination, ".partial");
  absl::Cleanup remove_partial = [&partial] {
    std::error_code ignored;
    fs::remove(partial, ignored);
    fs::remove(partial + "-journal", ignored);
  };
  fs::remove(partial, error);  // left by a crash during an earlier copy

  BackupResult result;
  result.path = destination;
  {
    Connection from;
    RETURN_IF_ERROR(from.Open(source, SQLITE_OPEN_READONLY, "database",
                              options.busy_timeout));
    Connection to;
    RETURN_IF_ERROR(to.Open(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                            "copy", options.busy_timeout));
    // The snapshot: from here to the last page, one read transaction.
    RETURN_IF_ERROR(from.Exec(kBeginRead, source));
    RETURN_IF_ERROR(from.Exec(kFirstRead, source));
    RETURN_IF_ERROR(CopyPages(from, to, source, options, &result.pages));
    RETURN_IF_ERROR(from.Exec(kEndRead, source));
    RETURN_IF_ERROR(to.Exec(kRollbackJournal, partial));
    RETURN_IF_ERROR(to.Close());
  }
  RETURN_IF_ERROR(CheckIntegrity(partial));
  if (fs::exists(destination, error)) {
    return absl::AlreadyExistsError(
        absl::StrCat("backup: ", destination, " exists already"));
  }
  fs::rename(partial, destination, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("backup: cannot rename the copy to ", destination, ": ",
                     error.message()));
  }
  std::move(remove_partial).Cancel();
  RETURN_IF_ERROR(SyncDirectory(fs::path(destination).parent_path().empty()
                                    ? fs::path(".")
                                    : fs::path(destination).parent_path()));
  result.size_bytes = static_cast<int64_t>(fs::file_size(destination, error));
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("backup: cannot read the size of ", destination));
  }
  return result;
}

}  // namespace tandem::common::backup
