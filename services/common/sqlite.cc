#include "services/common/sqlite.h"

#include <sqlite3.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"

namespace tandem::common {

absl::StatusOr<Synchronous> ParseSynchronous(absl::string_view text) {
  if (text == "FULL" || text == "full") return Synchronous::kFull;
  if (text == "NORMAL" || text == "normal") return Synchronous::kNormal;
  return absl::InvalidArgumentError(
      absl::StrCat("synchronous: must be FULL or NORMAL, got '", text, "'"));
}

// ---- Statement ----

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      bind_status_(std::move(other.bind_status_)) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

namespace {
absl::Status BindResult(const Database* db, int rc) {
  if (rc == SQLITE_OK) return absl::OkStatus();
  return db->ErrorStatus(rc, "bind");
}
}  // namespace

Statement& Statement::Bind(int index, int64_t value) {
  if (bind_status_.ok())
    bind_status_ = BindResult(db_, sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::Bind(int index, absl::string_view text) {
  if (bind_status_.ok())
    bind_status_ = BindResult(
        db_, sqlite3_bind_text64(stmt_, index, text.data(), text.size(),
                                 SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::BindBlob(int index, absl::string_view bytes) {
  if (bind_status_.ok())
    bind_status_ =
        BindResult(db_, sqlite3_bind_blob64(stmt_, index, bytes.data(),
                                            bytes.size(), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::BindNull(int index) {
  if (bind_status_.ok())
    bind_status_ = BindResult(db_, sqlite3_bind_null(stmt_, index));
  return *this;
}

Statement& Statement::Bind(int index, std::optional<int64_t> value) {
  return value.has_value() ? Bind(index, *value) : BindNull(index);
}

absl::StatusOr<bool> Statement::Step() {
  RETURN_IF_ERROR(bind_status_);
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // sqlite3_step returns the extended code directly (v2 prepare).
  return db_->ErrorStatus(rc, "step");
}

absl::Status Statement::Run() {
  while (true) {
    ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return absl::OkStatus();
  }
}

int64_t Statement::ColumnInt64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text),
                     sqlite3_column_bytes(stmt_, column));
}

std::string Statement::ColumnBlob(int column) const {
  const void* blob = sqlite3_column_blob(stmt_, column);
  if (blob == nullptr) return std::string();
  return std::string(static_cast<const char*>(blob),
                     sqlite3_column_bytes(stmt_, column));
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

// ---- Database ----

absl::StatusOr<std::unique_ptr<Database>> Database::Open(
    const DatabaseOptions& options, absl::Span<const Migration> migrations) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(
      options.path.c_str(), &raw,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_close_v2(raw);
    return absl::UnavailableError(
        absl::StrCat("cannot open database file (sqlite code ", rc, ")"));
  }
  sqlite3_extended_result_codes(raw, 1);
  std::unique_ptr<Database> db(new Database(raw));
  sqlite3_busy_timeout(
      raw, static_cast<int>(absl::ToInt64Milliseconds(options.busy_timeout)));
  RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode=WAL"));
  RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=ON"));
  RETURN_IF_ERROR(db->Exec(options.synchronous == Synchronous::kFull
                               ? "PRAGMA synchronous=FULL"
                               : "PRAGMA synchronous=NORMAL"));
  RETURN_IF_ERROR(db->ApplyMigrations(migrations));
  return db;
}

Database::~Database() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  // Closing the last connection checkpoints the WAL into the main file.
  sqlite3_close_v2(db_);
}

absl::StatusOr<Statement> Database::Prepare(absl::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return ErrorStatus(rc, "prepare");
    it = statements_.emplace(std::string(sql), stmt).first;
  }
  return Statement(this, it->second);
}

absl::Status Database::Exec(absl::string_view sql) {
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return ErrorStatus(rc, "exec");
  return absl::OkStatus();
}

int64_t Database::Changes() const { return sqlite3_changes64(db_); }

int64_t Database::LastInsertRowId() const {
  return sqlite3_last_insert_rowid(db_);
}

absl::StatusOr<int> Database::SchemaVersion() {
  ASSIGN_OR_RETURN(Statement stmt, Prepare("PRAGMA user_version"));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::InternalError("storage: no schema version");
  return static_cast<int>(stmt.ColumnInt64(0));
}

absl::Status Database::ApplyMigrations(absl::Span<const Migration> migrations) {
  ASSIGN_OR_RETURN(int current, SchemaVersion());
  int expected = 1;
  for (const Migration& migration : migrations) {
    if (migration.version != expected++) {
      return absl::InternalError("storage: migrations are not numbered 1..N");
    }
    if (migration.version <= current) continue;
    ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*this));
    RETURN_IF_ERROR(Exec(migration.sql));
    RETURN_IF_ERROR(
        Exec(absl::StrCat("PRAGMA user_version=", migration.version)));
    RETURN_IF_ERROR(txn.Commit());
  }
  if (current > static_cast<int>(migrations.size())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "storage: database schema version ", current,
        " is newer than this binary knows (", migrations.size(), ")"));
  }
  return absl::OkStatus();
}

absl::Status Database::ErrorStatus(int rc, absl::string_view what) const {
  const int primary = rc & 0xff;
  const std::string detail =
      absl::StrCat("storage ", what, " failed: ", sqlite3_errstr(rc));
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::AbortedError("storage is busy; retry");
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return absl::AlreadyExistsError("already exists");
      return absl::FailedPreconditionError(
          "a referenced or referencing record forbids this change");
    default:
      return absl::InternalError(detail);
  }
}

// ---- Transaction ----

absl::StatusOr<Transaction> Transaction::Begin(Database& db) {
  RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
  if (db_ != nullptr) db_->Exec("ROLLBACK").IgnoreError();
}

absl::Status Transaction::Commit() {
  if (db_ == nullptr)
    return absl::InternalError("storage: transaction already finished");
  absl::Status status = db_->Exec("COMMIT");
  if (status.ok()) db_ = nullptr;
  return status;
}

}  // namespace tandem::common
