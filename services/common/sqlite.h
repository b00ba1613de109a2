// A thin RAII layer over SQLite: one connection, cached prepared statements
// with bound parameters, a transaction guard and numbered schema migrations.
//
// Thread safety: a Database is NOT thread-safe. Each service owns one
// Database and serializes access to it (see the service's store), which is
// also what gives Tandem its single writer per database file.
//
// Errors map to absl::Status codes that callers can pass to the client:
//   SQLITE_BUSY / SQLITE_LOCKED          -> ABORTED (lost a race; retry)
//   UNIQUE / PRIMARY KEY constraint      -> ALREADY_EXISTS
//   other constraints (FOREIGN KEY, ...) -> FAILED_PRECONDITION
//   anything else                        -> INTERNAL
// Messages never contain SQL text or bound values; the SQLite detail is
// logged by the caller if needed.
#ifndef TANDEM_SERVICES_COMMON_SQLITE_H_
#define TANDEM_SERVICES_COMMON_SQLITE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

struct sqlite3;
struct sqlite3_stmt;

namespace tandem::common {

// PRAGMA synchronous levels we allow. FULL fsyncs every commit: an
// acknowledged booking survives a power cut. NORMAL is ~8x faster in WAL mode
// and survives a process crash but may lose the last commits on power loss.
enum class Synchronous { kNormal, kFull };

absl::StatusOr<Synchronous> ParseSynchronous(absl::string_view text);

struct DatabaseOptions {
  std::string path;  // file path; ":memory:" for tests of pure SQL logic
  Synchronous synchronous = Synchronous::kFull;
  absl::Duration busy_timeout = absl::Seconds(5);
};

// One numbered schema step. Versions start at 1 and are contiguous; a
// database at version N gets every migration > N applied at open, each in
// its own transaction, and PRAGMA user_version records the result.
struct Migration {
  int version;
  absl::string_view sql;
};

class Database;

// A prepared statement borrowed from the Database's cache. Bind parameters
// are 1-based, as in SQLite. On destruction the statement is reset and its
// bindings cleared so the next user starts clean.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, int64_t{value}); }
  Statement& Bind(int index, absl::string_view text);
  Statement& Bind(int index, const char* text) {
    return Bind(index, absl::string_view(text));
  }
  Statement& Bind(int index, const std::string& text) {
    return Bind(index, absl::string_view(text));
  }
  Statement& BindBlob(int index, absl::string_view bytes);
  Statement& BindNull(int index);
  // Binds `value` when set, NULL otherwise.
  Statement& Bind(int index, std::optional<int64_t> value);

  // Advances to the next row: true if a row is available, false when done.
  absl::StatusOr<bool> Step();
  // Steps to completion, ignoring rows (for INSERT/UPDATE/DELETE).
  absl::Status Run();

  int64_t ColumnInt64(int column) const;
  std::string ColumnText(int column) const;
  std::string ColumnBlob(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  friend class Database;
  Statement(Database* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}

  Database* db_;
  sqlite3_stmt* stmt_;
  absl::Status bind_status_;  // first binding error, reported by Step()
};

class Database {
 public:
  // Opens (creating if needed) the file, sets WAL, foreign_keys=ON,
  // busy_timeout and synchronous, then applies `migrations`.
  static absl::StatusOr<std::unique_ptr<Database>> Open(
      const DatabaseOptions& options, absl::Span<const Migration> migrations);

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Prepares `sql` once and reuses it on later calls with the same text.
  absl::StatusOr<Statement> Prepare(absl::string_view sql);

  // Runs SQL without parameters (pragmas, DDL, BEGIN/COMMIT).
  absl::Status Exec(absl::string_view sql);

  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t Changes() const;
  int64_t LastInsertRowId() const;

  // The schema version recorded by migrations.
  absl::StatusOr<int> SchemaVersion();

  // Maps a SQLite result code to an absl::Status (see file comment).
  absl::Status ErrorStatus(int rc, absl::string_view what) const;

  sqlite3* raw() { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  absl::Status ApplyMigrations(absl::Span<const Migration> migrations);

  sqlite3* db_;
  absl::flat_hash_map<std::string, sqlite3_stmt*> statements_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back on destruction unless committed.
// IMMEDIATE takes the write lock up front so a transaction never fails
// half-way with SQLITE_BUSY after it has read.
class Transaction {
 public:
  static absl::StatusOr<Transaction> Begin(Database& db);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  absl::Status Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;  // null once committed, rolled back or moved from
};

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_SQLITE_H_
