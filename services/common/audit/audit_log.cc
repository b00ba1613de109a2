#include "services/common/audit/audit_log.h"

#include <openssl/evp.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"

namespace tandem::common::audit {

namespace {

// Records and their couple index are append-only for SQL too: the triggers
// stop an UPDATE or DELETE made by mistake (an attacker with the file can
// drop them, which Verify then catches by the hashes).
constexpr absl::string_view kSchemaV1 = R"sql(
CREATE TABLE audit_records (
  seq          INTEGER PRIMARY KEY,  -- 1, 2, 3... assigned by AuditLog
  time_us      INTEGER NOT NULL,     -- unix microseconds
  subject      TEXT NOT NULL,
  roles        TEXT NOT NULL,
  service      TEXT NOT NULL,
  action       TEXT NOT NULL,
  resource_ids TEXT NOT NULL,        -- JSON array of strings
  couple_ids   TEXT NOT NULL,        -- JSON array of strings
  outcome      TEXT NOT NULL,
  prev_hash    TEXT NOT NULL,
  hash         TEXT NOT NULL
);
CREATE INDEX audit_records_by_time ON audit_records(time_us);
CREATE INDEX audit_records_by_subject ON audit_records(subject);
CREATE TABLE audit_couples (
  couple_id TEXT NOT NULL,
  seq       INTEGER NOT NULL,
  PRIMARY KEY (couple_id, seq)
) WITHOUT ROWID;
CREATE INDEX audit_couples_by_seq ON audit_couples(seq, couple_id);
CREATE TABLE chain_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  INTEGER NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO chain_head(id, seq, hash) VALUES
  (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER audit_couples_no_update BEFORE UPDATE ON audit_couples
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER audit_couples_no_delete BEFORE DELETE ON audit_couples
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER chain_head_no_delete BEFORE DELETE ON chain_head
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
)sql";

constexpr Migration kMigrations[] = {{1, kSchemaV1}};
constexpr int kSchemaVersion = 1;

// The schema version and how many of the three tables exist.
constexpr absl::string_view kLooksLikeAuditFile =
    "SELECT (SELECT user_version FROM pragma_user_version), "
    "(SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN "
    "('audit_records', 'audit_couples', 'chain_head'))";

constexpr absl::string_view kSelectHead =
    "SELECT seq, hash FROM chain_head WHERE id = 1";
constexpr absl::string_view kInsertRecord =
    "INSERT INTO audit_records(seq, time_us, subject, roles, service, action, "
    "resource_ids, couple_ids, outcome, prev_hash, hash) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr absl::string_view kInsertCouple =
    "INSERT OR IGNORE INTO audit_couples(couple_id, seq) VALUES (?, ?)";
// Moves the head only if it is still where this object left it.
constexpr absl::string_view kUpdateHead =
    "UPDATE chain_head SET seq = ?, hash = ? "
    "WHERE id = 1 AND seq = ? AND hash = ?";

// The three listings share their columns and their parameters:
// ?1 after_seq, ?2 from (us), ?3 to (us), ?4 subject or '' (unused by
// kListAll), ?5 limit, ?6 couple id (kListByCouple only).
#define TANDEM_AUDIT_COLUMNS                                    \
  "r.seq, r.time_us, r.subject, r.roles, r.service, r.action, " \
  "r.resource_ids, r.couple_ids, r.outcome, r.prev_hash, r.hash "
constexpr absl::string_view kListAll =
    "SELECT " TANDEM_AUDIT_COLUMNS
    "FROM audit_records r "
    "WHERE r.seq > ?1 AND r.time_us >= ?2 AND r.time_us < ?3 "
    "ORDER BY r.seq LIMIT ?5";
constexpr absl::string_view kListBySubject =
    "SELECT " TANDEM_AUDIT_COLUMNS
    "FROM audit_records r "
    "WHERE r.subject = ?4 AND r.seq > ?1 AND r.time_us >= ?2 "
    "AND r.time_us < ?3 "
    "ORDER BY r.seq LIMIT ?5";
constexpr absl::string_view kListByCouple =
    "SELECT " TANDEM_AUDIT_COLUMNS
    "FROM audit_couples c JOIN audit_records r ON r.seq = c.seq "
    "WHERE c.couple_id = ?6 AND c.seq > ?1 AND r.time_us >= ?2 "
    "AND r.time_us < ?3 AND (?4 = '' OR r.subject = ?4) "
    "ORDER BY c.seq LIMIT ?5";
constexpr absl::string_view kWalkRecords =
    "SELECT " TANDEM_AUDIT_COLUMNS "FROM audit_records r ORDER BY r.seq";
#undef TANDEM_AUDIT_COLUMNS
constexpr absl::string_view kWalkCouples =
    "SELECT seq, couple_id FROM audit_couples ORDER BY seq, couple_id";

// ---- hashing ------------------------------------------------------------

void PutInt(std::string* out, int64_t value) {
  const auto bits = static_cast<uint64_t>(value);
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((bits >> shift) & 0xff));
  }
}

void PutString(std::string* out, absl::string_view text) {
  PutInt(out, static_cast<int64_t>(text.size()));
  out->append(text.data(), text.size());
}

void PutList(std::string* out, const std::vector<std::string>& items) {
  PutInt(out, static_cast<int64_t>(items.size()));
  for (const std::string& item : items) PutString(out, item);
}

// ---- storage form -------------------------------------------------------

std::string ListToJson(const std::vector<std::string>& items) {
  return nlohmann::json(items).dump(-1, ' ', false,
                                    nlohmann::json::error_handler_t::replace);
}

std::optional<std::vector<std::string>> ListFromJson(const std::string& text) {
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_array()) return std::nullopt;
  std::vector<std::string> items;
  for (const nlohmann::json& item : parsed) {
    if (!item.is_string()) return std::nullopt;
    items.push_back(item.get<std::string>());
  }
  return items;
}

// `text` as valid UTF-8 (invalid bytes become U+FFFD), so that every record
// can be sent in a protobuf string field.
std::string ValidUtf8(const std::string& text) {
  const std::string quoted = nlohmann::json(text).dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  return nlohmann::json::parse(quoted).get<std::string>();
}

// The entry as it will be read back: time cut to microseconds, strings
// made valid UTF-8. The hash is computed over this form.
AuditEntry Canonical(const AuditEntry& in) {
  AuditEntry out;
  out.time = absl::FromUnixMicros(absl::ToUnixMicros(in.time));
  out.subject = ValidUtf8(in.subject);
  out.roles = ValidUtf8(in.roles);
  out.service = ValidUtf8(in.service);
  out.action = ValidUtf8(in.action);
  for (const std::string& id : in.resource_ids) {
    out.resource_ids.push_back(ValidUtf8(id));
  }
  for (const std::string& id : in.couple_ids) {
    out.couple_ids.push_back(ValidUtf8(id));
  }
  out.outcome = ValidUtf8(in.outcome);
  return out;
}

// A row of kList*/kWalkRecords; nullopt when its id lists do not parse.
std::optional<AuditRecord> ReadRecord(const Statement& row) {
  AuditRecord record;
  record.seq = row.ColumnInt64(0);
  record.entry.time = absl::FromUnixMicros(row.ColumnInt64(1));
  record.entry.subject = row.ColumnText(2);
  record.entry.roles = row.ColumnText(3);
  record.entry.service = row.ColumnText(4);
  record.entry.action = row.ColumnText(5);
  std::optional<std::vector<std::string>> resources =
      ListFromJson(row.ColumnText(6));
  std::optional<std::vector<std::string>> couples =
      ListFromJson(row.ColumnText(7));
  if (!resources.has_value() || !couples.has_value()) return std::nullopt;
  record.entry.resource_ids = *std::move(resources);
  record.entry.couple_ids = *std::move(couples);
  record.entry.outcome = row.ColumnText(8);
  record.prev_hash = row.ColumnText(9);
  record.hash = row.ColumnText(10);
  return record;
}

absl::StatusOr<std::pair<int64_t, std::string>> ReadHead(Database& db) {
  ASSIGN_OR_RETURN(Statement stmt, db.Prepare(kSelectHead));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::DataLossError("audit log: the chain head is missing");
  return std::make_pair(stmt.ColumnInt64(0), stmt.ColumnText(1));
}

VerifyReport Broken(int64_t checked, int64_t seq, std::string problem) {
  VerifyReport report;
  report.records_checked = checked;
  report.intact = false;
  report.first_bad_seq = seq;
  report.problem = std::move(problem);
  return report;
}

// Walks `db` inside one read transaction (a consistent snapshot).
absl::StatusOr<VerifyReport> VerifyChain(Database& db) {
  RETURN_IF_ERROR(db.Exec("BEGIN"));
  absl::Cleanup end_read = [&db] { db.Exec("ROLLBACK").IgnoreError(); };

  std::optional<std::pair<int64_t, std::string>> head;
  {
    ASSIGN_OR_RETURN(Statement stmt, db.Prepare(kSelectHead));
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (row) head.emplace(stmt.ColumnInt64(0), stmt.ColumnText(1));
  }
  if (!head.has_value()) return Broken(0, 1, "the chain head is missing");

  ASSIGN_OR_RETURN(Statement records, db.Prepare(kWalkRecords));
  ASSIGN_OR_RETURN(Statement couples, db.Prepare(kWalkCouples));
  ASSIGN_OR_RETURN(bool couple_row, couples.Step());

  int64_t checked = 0;
  int64_t last_seq = 0;
  std::string last_hash(kGenesisHash);
  while (true) {
    ASSIGN_OR_RETURN(bool row, records.Step());
    if (!row) break;
    const int64_t seq = records.ColumnInt64(0);
    ++checked;
    if (seq != last_seq + 1) {
      return Broken(checked, last_seq + 1,
                    absl::StrCat("record ", last_seq + 1,
                                 " missing (the sequence jumps from ", last_seq,
                                 " to ", seq, ")"));
    }
    std::optional<AuditRecord> record = ReadRecord(records);
    if (!record.has_value() ||
        RecordHash(seq, record->entry, record->prev_hash) != record->hash) {
      return Broken(checked, seq,
                    absl::StrCat("record ", seq,
                                 " edited (its hash does not match its "
                                 "contents)"));
    }
    if (record->prev_hash != last_hash) {
      // This record is as it was written, so the previous one's hash
      // changed: it was rewritten with a recomputed hash.
      if (seq == 1) {
        return Broken(checked, 1,
                      "record 1 rewritten (it does not start the chain)");
      }
      return Broken(checked, last_seq,
                    absl::StrCat("record ", last_seq, " rewritten (record ",
                                 seq, " no longer chains to it)"));
    }
    // The couple index must list exactly the record's couples.
    std::vector<std::string> expected = record->entry.couple_ids;
    std::sort(expected.begin(), expected.end());
    expected.erase(std::unique(expected.begin(), expected.end()),
                   expected.end());
    std::vector<std::string> indexed;
    bool orphan = false;
    while (couple_row && couples.ColumnInt64(0) <= seq) {
      if (couples.ColumnInt64(0) < seq) orphan = true;
      if (couples.ColumnInt64(0) == seq) {
        indexed.push_back(couples.ColumnText(1));
      }
      ASSIGN_OR_RETURN(couple_row, couples.Step());
    }
    if (orphan || indexed != expected) {
      return Broken(checked, seq,
                    absl::StrCat("couple index of record ", seq, " altered"));
    }
    last_seq = seq;
    last_hash = record->hash;
  }
  const auto& [head_seq, head_hash] = *head;
  if (head_seq > last_seq) {
    return Broken(checked, last_seq + 1,
                  absl::StrCat("records ", last_seq + 1, " to ", head_seq,
                               " missing (deleted from the end)"));
  }
  if (head_seq < last_seq) {
    return Broken(checked, head_seq + 1,
                  absl::StrCat("record ", head_seq + 1,
                               " is past the chain head (added outside the "
                               "service)"));
  }
  if (head_hash != last_hash) {
    return Broken(checked, last_seq,
                  absl::StrCat("record ", last_seq,
                               " does not match the chain head (rewritten)"));
  }
  if (couple_row) {
    return Broken(checked, couples.ColumnInt64(0),
                  absl::StrCat("couple index of record ",
                               couples.ColumnInt64(0), " altered"));
  }
  VerifyReport report;
  report.records_checked = checked;
  return report;
}

}  // namespace

std::string RecordHash(int64_t seq, const AuditEntry& entry,
                       absl::string_view prev_hash) {
  std::string data;
  PutString(&data, "tandem.audit.v1");
  PutInt(&data, seq);
  PutInt(&data, absl::ToUnixMicros(entry.time));
  PutString(&data, entry.subject);
  PutString(&data, entry.roles);
  PutString(&data, entry.service);
  PutString(&data, entry.action);
  PutList(&data, entry.resource_ids);
  PutList(&data, entry.couple_ids);
  PutString(&data, entry.outcome);
  PutString(&data, prev_hash);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(),
                 nullptr) != 1) {
    return std::string();  // never equal to a stored hash
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), size));
}

AuditLog::AuditLog(DatabaseOptions options, std::unique_ptr<Database> db,
                   int64_t head_seq, std::string head_hash)
    : options_(std::move(options)),
      db_(std::move(db)),
      head_seq_(head_seq),
      head_hash_(std::move(head_hash)) {}

absl::StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(
    const std::string& path) {
  DatabaseOptions options;
  options.path = path;
  options.synchronous = Synchronous::kNormal;
  return Open(options);
}

absl::StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(
    const DatabaseOptions& options) {
  if (options.path.empty() || options.path == ":memory:") {
    return absl::InvalidArgumentError("audit log: needs a file path");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Database> db,
                   Database::Open(options, kMigrations));
  ASSIGN_OR_RETURN(auto head, ReadHead(*db));
  return std::unique_ptr<AuditLog>(
      new AuditLog(options, std::move(db), head.first, std::move(head.second)));
}

absl::Status AuditLog::Append(const AuditEntry& input) {
  const AuditEntry entry = Canonical(input);
  const std::string resource_ids = ListToJson(entry.resource_ids);
  const std::string couple_ids = ListToJson(entry.couple_ids);

  absl::MutexLock lock(&mu_);
  const absl::Status lost = absl::FailedPreconditionError(
      "audit log: the file's chain head moved outside this service "
      "(another writer or tampering); verify the file and restart");
  if (head_lost_) return lost;
  const int64_t seq = head_seq_ + 1;
  const std::string hash = RecordHash(seq, entry, head_hash_);

  ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_));
  {
    ASSIGN_OR_RETURN(Statement insert, db_->Prepare(kInsertRecord));
    insert.Bind(1, seq)
        .Bind(2, absl::ToUnixMicros(entry.time))
        .Bind(3, entry.subject)
        .Bind(4, entry.roles)
        .Bind(5, entry.service)
        .Bind(6, entry.action)
        .Bind(7, resource_ids)
        .Bind(8, couple_ids)
        .Bind(9, entry.outcome)
        .Bind(10, head_hash_)
        .Bind(11, hash);
    absl::Status inserted = insert.Run();
    if (inserted.code() == absl::StatusCode::kAlreadyExists) {
      head_lost_ = true;
      return lost;
    }
    RETURN_IF_ERROR(inserted);
  }
  for (const std::string& couple_id : entry.couple_ids) {
    ASSIGN_OR_RETURN(Statement insert, db_->Prepare(kInsertCouple));
    insert.Bind(1, couple_id).Bind(2, seq);
    RETURN_IF_ERROR(insert.Run());
  }
  {
    ASSIGN_OR_RETURN(Statement update, db_->Prepare(kUpdateHead));
    update.Bind(1, seq).Bind(2, hash).Bind(3, head_seq_).Bind(4, head_hash_);
    RETURN_IF_ERROR(update.Run());
    if (db_->Changes() != 1) {
      head_lost_ = true;
      return lost;
    }
  }
  RETURN_IF_ERROR(txn.Commit());
  head_seq_ = seq;
  head_hash_ = hash;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<AuditRecord>> AuditLog::List(
    const AuditFilter& filter) const {
  if (filter.limit <= 0) {
    return absl::InvalidArgumentError("limit: must be positive");
  }
  absl::string_view sql = kListAll;
  if (!filter.couple_id.empty()) {
    sql = kListByCouple;
  } else if (!filter.subject.empty()) {
    sql = kListBySubject;
  }
  absl::MutexLock lock(&mu_);
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(sql));
  stmt.Bind(1, filter.after_seq)
      .Bind(2, absl::ToUnixMicros(filter.from))
      .Bind(3, absl::ToUnixMicros(filter.to))
      .Bind(4, filter.subject)
      .Bind(5, filter.limit);
  if (!filter.couple_id.empty()) stmt.Bind(6, filter.couple_id);
  std::vector<AuditRecord> records;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    std::optional<AuditRecord> record = ReadRecord(stmt);
    if (!record.has_value()) {
      return absl::DataLossError(
          absl::StrCat("audit record ", stmt.ColumnInt64(0),
                       " cannot be read; verify the audit log"));
    }
    records.push_back(*std::move(record));
  }
  return records;
}

absl::StatusOr<VerifyReport> AuditLog::Verify() const {
  // A connection of its own: WAL lets it read a snapshot while appends go
  // on through db_.
  ASSIGN_OR_RETURN(std::unique_ptr<Database> reader,
                   Database::Open(options_, kMigrations));
  return VerifyChain(*reader);
}

absl::StatusOr<VerifyReport> AuditLog::VerifyFile(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return absl::NotFoundError("no such file");
  }
  // Look before opening for real: Database::Open would create the schema
  // in any SQLite file.
  {
    sqlite3* raw = nullptr;
    const int rc =
        sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    absl::Cleanup close = [raw] { sqlite3_close_v2(raw); };
    if (rc != SQLITE_OK) {
      return absl::UnavailableError("cannot be opened");
    }
    sqlite3_stmt* stmt = nullptr;
    bool audit_file = false;
    if (sqlite3_prepare_v2(raw, kLooksLikeAuditFile.data(),
                           static_cast<int>(kLooksLikeAuditFile.size()), &stmt,
                           nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      audit_file = sqlite3_column_int64(stmt, 0) == kSchemaVersion &&
                   sqlite3_column_int64(stmt, 1) == 3;
    }
    sqlite3_finalize(stmt);
    if (!audit_file) {
      return absl::FailedPreconditionError(
          "not an audit file (or of another schema version)");
    }
  }
  DatabaseOptions options;
  options.path = path;
  ASSIGN_OR_RETURN(std::unique_ptr<Database> db,
                   Database::Open(options, kMigrations));
  return VerifyChain(*db);
}

int64_t AuditLog::head_seq() const {
  absl::MutexLock lock(&mu_);
  return head_seq_;
}

std::string AuditLog::head_hash() const {
  absl::MutexLock lock(&mu_);
  return head_hash_;
}

}  // namespace tandem::common::audit
