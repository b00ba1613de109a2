#include "services/booking/sqlite_booking_store.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "scheduler/programme_template.h"
#include "services/booking/ids.h"
#include "services/booking/proposal_token.h"
#include "services/booking/template_convert.h"
#include "services/booking/therapist_scope_sql.h"
#include "services/common/change_log.h"
#include "services/common/idempotency.h"
#include "services/common/proto_time.h"
#include "services/common/resource_rows.h"
#include "services/common/status_macros.h"

namespace tandem::booking {

namespace {

using common::Database;
using common::PageCursor;
using common::Statement;

constexpr absl::string_view kSchemaV1 = R"sql(
CREATE TABLE couples (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  archived    INTEGER NOT NULL,
  search_key  TEXT NOT NULL,  -- lower-cased names, for name_prefix
  body        BLOB NOT NULL
);
CREATE TABLE referrals (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  couple_id INTEGER NOT NULL REFERENCES couples(id),
  status    INTEGER NOT NULL,
  body      BLOB NOT NULL
);
CREATE INDEX referrals_by_couple ON referrals(couple_id, id);
)sql";

constexpr absl::string_view kSchemaV2 = R"sql(
CREATE TABLE templates (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  kind        INTEGER NOT NULL,
  shipped_key TEXT UNIQUE,  -- the planner's id of a shipped template
  body        BLOB NOT NULL
);
)sql";

// Secrets the service generates for itself (the proposal-signing key).
constexpr absl::string_view kSchemaV3 = R"sql(
CREATE TABLE service_keys (
  name TEXT PRIMARY KEY,
  key  BLOB NOT NULL
) WITHOUT ROWID;
)sql";

// Bookings. Bodies hold the protos without ids (and an intensive's body
// without its sessions); the other columns are what queries filter and sort
// on. Times are unix microseconds, days clinic-local "YYYY-MM-DD".
//
// `commitments` is the single source of truth for "nobody is double-booked":
// one row per (resource, interval) that a live session or appointment
// blocks. Resources are "th-N", "rm-N", and "cp-N/a" / "cp-N/b" for the
// partners (who cannot be in two places either). Rows are rewritten from the
// sessions whenever a booking changes, inside the same transaction.
constexpr absl::string_view kSchemaV4 = R"sql(
CREATE TABLE intensives (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  couple_id   INTEGER NOT NULL REFERENCES couples(id),
  template_id INTEGER NOT NULL,
  status      INTEGER NOT NULL,
  start_day   TEXT NOT NULL,
  end_day     TEXT NOT NULL,
  start_time  INTEGER NOT NULL,  -- first session's start
  end_time    INTEGER NOT NULL,  -- last session's end
  expire_time INTEGER,           -- while HELD
  body        BLOB NOT NULL
);
CREATE INDEX intensives_by_couple ON intensives(couple_id, id);
CREATE INDEX intensives_by_status ON intensives(status, expire_time);
CREATE INDEX intensives_by_start ON intensives(start_day, id);
CREATE TABLE sessions (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  intensive_id INTEGER NOT NULL REFERENCES intensives(id),
  start_time   INTEGER NOT NULL,
  status       INTEGER NOT NULL,
  body         BLOB NOT NULL
);
CREATE INDEX sessions_by_intensive ON sessions(intensive_id, start_time);
-- Who and what a session involves, for ListSessions by therapist, room or
-- couple (cancelled sessions too, unlike commitments).
CREATE TABLE session_parties (
  party      TEXT NOT NULL,     -- "th-N", "rm-N" or "cp-N"
  day        TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  PRIMARY KEY (party, day, start_time, session_id)
) WITHOUT ROWID;
CREATE INDEX session_parties_by_session ON session_parties(session_id);
CREATE TABLE appointments (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  couple_id    INTEGER NOT NULL REFERENCES couples(id),
  therapist_id TEXT NOT NULL,
  room_id      TEXT NOT NULL,
  external_ref TEXT NOT NULL,
  day          TEXT NOT NULL,
  start_time   INTEGER NOT NULL,
  status       INTEGER NOT NULL,
  body         BLOB NOT NULL
);
CREATE INDEX appointments_by_start ON appointments(start_time, id);
CREATE INDEX appointments_by_ref ON appointments(external_ref);
CREATE TABLE commitments (
  resource    TEXT NOT NULL,
  start_time  INTEGER NOT NULL,
  end_time    INTEGER NOT NULL,
  booking     TEXT NOT NULL,  -- "in-N" or "ap-N"
  blocking_id TEXT NOT NULL   -- "se-N" or "ap-N"
);
CREATE INDEX commitments_by_resource ON commitments(resource, start_time);
CREATE INDEX commitments_by_booking ON commitments(booking);
)sql";

// v5: the clinic day lists every session of a day (ListSessions without a
// party), which the (party, day, ...) key cannot serve.
constexpr absl::string_view kSchemaV5 =
    "CREATE INDEX session_parties_by_day ON session_parties(day, start_time)";

// v6: who may see an intensive, and who placed a hold.
// `intensive_therapists` holds the two therapists of each intensive's team,
// rewritten from the body by every SaveIntensive; therapists' reads are
// narrowed through it (see TherapistScope). `held_by` is the actor of the
// intensive's HELD history entry (a Caller::subject), for the per-caller
// hold limit. The body cannot be read in SQL, so intensives saved before v6
// get their team from the therapists of their current sessions (4 is
// SESSION_STATUS_CANCELLED: replaced sessions may name a former team) and
// no holder until they are next saved.
constexpr absl::string_view kSchemaV6 = R"sql(
CREATE TABLE intensive_therapists (
  therapist_id TEXT NOT NULL,  -- "th-N"
  intensive_id INTEGER NOT NULL REFERENCES intensives(id),
  PRIMARY KEY (therapist_id, intensive_id)
) WITHOUT ROWID;
CREATE INDEX intensive_therapists_by_intensive
  ON intensive_therapists(intensive_id);
INSERT OR IGNORE INTO intensive_therapists(therapist_id, intensive_id)
  SELECT p.party, s.intensive_id FROM session_parties p
  JOIN sessions s ON s.id = p.session_id
  WHERE p.party >= 'th-' AND p.party < 'th.' AND s.status != 4;
ALTER TABLE intensives ADD COLUMN held_by TEXT;
CREATE INDEX intensives_by_holder ON intensives(held_by, status, expire_time);
)sql";

constexpr absl::string_view kSelectKey =
    "SELECT key FROM service_keys WHERE name = ?";
constexpr absl::string_view kInsertKey =
    "INSERT INTO service_keys(name, key) VALUES (?, ?)";

const std::string& SchemaV1() {
  static const std::string* const schema = new std::string(absl::StrCat(
      kSchemaV1, common::kRequestLogSchema, common::kChangeLogSchema));
  return *schema;
}

constexpr absl::string_view kSelectCouple =
    "SELECT id, body FROM couples WHERE id = ?";
// name_prefix matches the start of any name word: the key is
// " given family given family " so "' ' || prefix" finds word starts.
constexpr absl::string_view kListCouples =
    "SELECT id, body FROM couples WHERE id > ?1 AND (?2 OR archived = 0) "
    "AND (?3 = '' OR instr(search_key, ' ' || ?3) > 0) "
    "AND (?5 = 0 OR id IN (" TANDEM_SEEN_COUPLES("?6", "?7", "?8") ")) "
    "ORDER BY id LIMIT ?4";
constexpr absl::string_view kCoupleInScope =
    "SELECT 1 FROM intensives i JOIN intensive_therapists t "
    "ON t.intensive_id = i.id WHERE i.couple_id = ?4 "
    "AND " TANDEM_SEEN_BY("?1", "?2", "?3") " LIMIT 1";
constexpr absl::string_view kInsertCouple =
    "INSERT INTO couples(archived, search_key, body) VALUES (?, ?, ?)";
constexpr absl::string_view kUpdateCouple =
    "UPDATE couples SET archived = ?, search_key = ?, body = ? WHERE id = ?";

constexpr absl::string_view kSelectTemplate =
    "SELECT id, body FROM templates WHERE id = ?";
constexpr absl::string_view kListTemplates =
    "SELECT id, body FROM templates WHERE id > ?1 AND (?2 = 0 OR kind = ?2) "
    "ORDER BY id LIMIT ?3";
constexpr absl::string_view kShippedTemplateExists =
    "SELECT 1 FROM templates WHERE shipped_key = ?";
constexpr absl::string_view kInsertTemplate =
    "INSERT INTO templates(kind, shipped_key, body) VALUES (?, ?, ?)";
constexpr absl::string_view kUpdateTemplate =
    "UPDATE templates SET kind = ?, body = ? WHERE id = ?";
constexpr absl::string_view kDeleteTemplate =
    "DELETE FROM templates WHERE id = ?";

constexpr absl::string_view kSelectReferral =
    "SELECT id, body FROM referrals WHERE id = ?";
constexpr absl::string_view kListReferrals =
    "SELECT id, body, status FROM referrals WHERE id > ?1 "
    "AND (?2 IS NULL OR couple_id = ?2) "
    "AND (?4 = 0 OR couple_id IN (" TANDEM_SEEN_COUPLES("?5", "?6", "?7") ")) "
    "ORDER BY id LIMIT ?3";
constexpr absl::string_view kReferralInScope =
    "SELECT 1 FROM referrals r JOIN intensives i ON i.couple_id = r.couple_id "
    "JOIN intensive_therapists t ON t.intensive_id = i.id WHERE r.id = ?4 "
    "AND " TANDEM_SEEN_BY("?1", "?2", "?3") " LIMIT 1";
constexpr absl::string_view kInsertReferral =
    "INSERT INTO referrals(couple_id, status, body) VALUES (?, ?, ?)";
constexpr absl::string_view kUpdateReferral =
    "UPDATE referrals SET status = ?, body = ? WHERE id = ?";

std::string SearchKey(const v1::Couple& couple) {
  std::string key = " ";
  for (const v1::Partner* partner :
       {&couple.partner_a(), &couple.partner_b()}) {
    for (const std::string* name :
         {&partner->given_name(), &partner->family_name()}) {
      if (!name->empty())
        absl::StrAppend(&key, absl::AsciiStrToLower(*name), " ");
    }
  }
  return key;
}

// Every SELECT of a resource returns (id, body, ...).
constexpr int kBodyColumn = 1;

template <typename T>
absl::StatusOr<T> SelectById(Database& db, absl::string_view sql, int64_t id,
                             absl::string_view prefix, absl::string_view noun) {
  return common::SelectResource<T>(db, sql, id, kBodyColumn, prefix, noun);
}

// Reads rows until `limit` items passed `keep`; a further passing row means
// there is a next page. Ordered by id, so the cursor is the last id.
template <typename T, typename Keep>
absl::StatusOr<Page<T>> ReadPage(Statement& stmt, absl::string_view prefix,
                                 int limit, Keep keep) {
  Page<T> page;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    if (!keep(stmt)) continue;
    if (static_cast<int>(page.items.size()) == limit) {
      ASSIGN_OR_RETURN(int64_t last,
                       ParseId(prefix, page.items.back().id(), "id"));
      page.next = PageCursor{0, last};
      break;
    }
    ASSIGN_OR_RETURN(T item,
                     common::ResourceFromRow<T>(stmt, kBodyColumn, prefix));
    page.items.push_back(std::move(item));
  }
  return page;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteBookingStore>> SqliteBookingStore::Open(
    const common::DatabaseOptions& options, absl::Time now) {
  const common::Migration migrations[] = {{1, SchemaV1()}, {2, kSchemaV2},
                                          {3, kSchemaV3},  {4, kSchemaV4},
                                          {5, kSchemaV5},  {6, kSchemaV6}};
  ASSIGN_OR_RETURN(std::unique_ptr<common::SqliteStoreBackend> backend,
                   common::SqliteStoreBackend::Open(options, migrations));
  std::unique_ptr<SqliteBookingStore> store(
      new SqliteBookingStore(std::move(backend)));
  RETURN_IF_ERROR(store->InsertShippedTemplates(now));
  ASSIGN_OR_RETURN(store->proposal_key_, store->LoadOrCreateKey("proposals"));
  return store;
}

absl::StatusOr<std::string> SqliteBookingStore::LoadOrCreateKey(
    absl::string_view name) {
  ASSIGN_OR_RETURN(common::Transaction txn, common::Transaction::Begin(*db_));
  {
    ASSIGN_OR_RETURN(Statement select, db_->Prepare(kSelectKey));
    select.Bind(1, name);
    ASSIGN_OR_RETURN(bool found, select.Step());
    if (found) return select.ColumnBlob(0);
  }
  std::string key = NewProposalKey();
  ASSIGN_OR_RETURN(Statement insert, db_->Prepare(kInsertKey));
  insert.Bind(1, name).BindBlob(2, key);
  RETURN_IF_ERROR(insert.Run());
  RETURN_IF_ERROR(txn.Commit());
  return key;
}

absl::Status SqliteBookingStore::InsertShippedTemplates(absl::Time now) {
  ASSIGN_OR_RETURN(common::Transaction txn, common::Transaction::Begin(*db_));
  for (const scheduler::ProgrammeTemplate& shipped :
       scheduler::ShippedTemplates()) {
    {
      ASSIGN_OR_RETURN(Statement exists, db_->Prepare(kShippedTemplateExists));
      exists.Bind(1, shipped.id);
      ASSIGN_OR_RETURN(bool found, exists.Step());
      if (found) continue;
    }
    v1::ProgrammeTemplate t = ShippedTemplateToProto(shipped);
    *t.mutable_update_time() = common::ToProto(now);
    ASSIGN_OR_RETURN(Statement insert, db_->Prepare(kInsertTemplate));
    insert.Bind(1, static_cast<int64_t>(t.kind()))
        .Bind(2, shipped.id)
        .BindBlob(3, common::ResourceBody(t));
    RETURN_IF_ERROR(insert.Run());
    t.set_id(FormatId(kTemplatePrefix, db_->LastInsertRowId()));
    RETURN_IF_ERROR(AppendTemplateChange(v1::CHANGE_KIND_UPSERT, t, now));
  }
  return txn.Commit();
}

absl::Status SqliteBookingStore::AppendTemplateChange(
    v1::ChangeKind kind, const v1::ProgrammeTemplate& t, absl::Time now) {
  v1::Change change;
  change.set_kind(kind);
  *change.mutable_programme_template() = t;
  return common::AppendChange(*db_, change.SerializeAsString(), now).status();
}

// ---- Programme templates ----

absl::StatusOr<v1::ProgrammeTemplate> SqliteBookingStore::GetTemplate(
    int64_t id) {
  return SelectById<v1::ProgrammeTemplate>(
      *db_, kSelectTemplate, id, kTemplatePrefix, "programme template");
}

absl::StatusOr<Page<v1::ProgrammeTemplate>> SqliteBookingStore::ListTemplates(
    const TemplateFilter& filter, const PageCursor& after, int limit) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kListTemplates));
  stmt.Bind(1, after.id)
      .Bind(2, static_cast<int64_t>(filter.kind))
      .Bind(3, limit + 1);
  return ReadPage<v1::ProgrammeTemplate>(stmt, kTemplatePrefix, limit,
                                         [](const Statement&) { return true; });
}

absl::StatusOr<v1::ProgrammeTemplate> SqliteBookingStore::InsertTemplate(
    v1::ProgrammeTemplate t, absl::Time now) {
  *t.mutable_update_time() = common::ToProto(now);
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kInsertTemplate));
  stmt.Bind(1, static_cast<int64_t>(t.kind()))
      .BindNull(2)
      .BindBlob(3, common::ResourceBody(t));
  RETURN_IF_ERROR(stmt.Run());
  t.set_id(FormatId(kTemplatePrefix, db_->LastInsertRowId()));
  RETURN_IF_ERROR(AppendTemplateChange(v1::CHANGE_KIND_UPSERT, t, now));
  return t;
}

absl::StatusOr<v1::ProgrammeTemplate> SqliteBookingStore::UpdateTemplate(
    int64_t id, v1::ProgrammeTemplate t, absl::Time now) {
  *t.mutable_update_time() = common::ToProto(now);
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kUpdateTemplate));
  stmt.Bind(1, static_cast<int64_t>(t.kind()))
      .BindBlob(2, common::ResourceBody(t))
      .Bind(3, id);
  RETURN_IF_ERROR(stmt.Run());
  t.set_id(FormatId(kTemplatePrefix, id));
  if (db_->Changes() != 1) {
    return absl::NotFoundError(
        absl::StrCat("programme template ", t.id(), " not found"));
  }
  RETURN_IF_ERROR(AppendTemplateChange(v1::CHANGE_KIND_UPSERT, t, now));
  return t;
}

absl::Status SqliteBookingStore::DeleteTemplate(int64_t id, absl::Time now) {
  ASSIGN_OR_RETURN(v1::ProgrammeTemplate t, GetTemplate(id));
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kDeleteTemplate));
  stmt.Bind(1, id);
  RETURN_IF_ERROR(stmt.Run());
  return AppendTemplateChange(v1::CHANGE_KIND_DELETE, t, now);
}

absl::StatusOr<int64_t> SqliteBookingStore::Revision() {
  return backend_->CurrentRevision();
}

absl::Status SqliteBookingStore::AppendCoupleChange(
    const std::string& couple_id, absl::Time now) {
  v1::Change change;
  change.set_kind(v1::CHANGE_KIND_UPSERT);
  change.set_couple_id(couple_id);
  return common::AppendChange(*db_, change.SerializeAsString(), now).status();
}

// ---- Couples ----

absl::StatusOr<v1::Couple> SqliteBookingStore::GetCouple(int64_t id) {
  return SelectById<v1::Couple>(*db_, kSelectCouple, id, kCouplePrefix,
                                "couple");
}

absl::StatusOr<Page<v1::Couple>> SqliteBookingStore::ListCouples(
    const CoupleFilter& filter, const PageCursor& after, int limit) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kListCouples));
  stmt.Bind(1, after.id)
      .Bind(2, filter.include_archived ? 1 : 0)
      .Bind(3, filter.name_prefix)
      .Bind(4, limit + 1);
  BindScope(stmt, 5, filter.seen_by);
  return ReadPage<v1::Couple>(stmt, kCouplePrefix, limit,
                              [](const Statement&) { return true; });
}

absl::StatusOr<bool> SqliteBookingStore::InScopeCouple(
    const TherapistScope& scope, int64_t couple_id) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kCoupleInScope));
  BindSeenBy(stmt, 1, scope);
  stmt.Bind(4, couple_id);
  return stmt.Step();
}

absl::StatusOr<v1::Couple> SqliteBookingStore::InsertCouple(v1::Couple couple,
                                                            absl::Time now) {
  *couple.mutable_create_time() = common::ToProto(now);
  *couple.mutable_update_time() = common::ToProto(now);
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kInsertCouple));
  stmt.Bind(1, couple.archived() ? 1 : 0)
      .Bind(2, SearchKey(couple))
      .BindBlob(3, common::ResourceBody(couple));
  RETURN_IF_ERROR(stmt.Run());
  couple.set_id(FormatId(kCouplePrefix, db_->LastInsertRowId()));
  RETURN_IF_ERROR(AppendCoupleChange(couple.id(), now));
  return couple;
}

absl::StatusOr<v1::Couple> SqliteBookingStore::UpdateCouple(int64_t id,
                                                            v1::Couple couple,
                                                            absl::Time now) {
  *couple.mutable_update_time() = common::ToProto(now);
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kUpdateCouple));
  stmt.Bind(1, couple.archived() ? 1 : 0)
      .Bind(2, SearchKey(couple))
      .BindBlob(3, common::ResourceBody(couple))
      .Bind(4, id);
  RETURN_IF_ERROR(stmt.Run());
  couple.set_id(FormatId(kCouplePrefix, id));
  if (db_->Changes() != 1) {
    return absl::NotFoundError(
        absl::StrCat("couple ", couple.id(), " not found"));
  }
  RETURN_IF_ERROR(AppendCoupleChange(couple.id(), now));
  return couple;
}

// ---- Referrals (not on the change stream: they say too much) ----

absl::StatusOr<v1::Referral> SqliteBookingStore::GetReferral(int64_t id) {
  return SelectById<v1::Referral>(*db_, kSelectReferral, id, kReferralPrefix,
                                  "referral");
}

absl::StatusOr<Page<v1::Referral>> SqliteBookingStore::ListReferrals(
    const ReferralFilter& filter, const PageCursor& after, int limit) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kListReferrals));
  // No SQL limit: rows are read lazily until the page is full, and status
  // filtering happens here (the list of wanted statuses is short).
  stmt.Bind(1, after.id).Bind(2, filter.couple_id).Bind(3, int64_t{-1});
  BindScope(stmt, 4, filter.seen_by);
  return ReadPage<v1::Referral>(
      stmt, kReferralPrefix, limit, [&](const Statement& row) {
        if (filter.statuses.empty()) return true;
        const auto status = static_cast<v1::ReferralStatus>(row.ColumnInt64(2));
        for (v1::ReferralStatus wanted : filter.statuses) {
          if (wanted == status) return true;
        }
        return false;
      });
}

absl::StatusOr<bool> SqliteBookingStore::InScopeReferral(
    const TherapistScope& scope, int64_t referral_id) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kReferralInScope));
  BindSeenBy(stmt, 1, scope);
  stmt.Bind(4, referral_id);
  return stmt.Step();
}

absl::StatusOr<v1::Referral> SqliteBookingStore::InsertReferral(
    v1::Referral referral, int64_t couple_id, absl::Time now) {
  *referral.mutable_update_time() = common::ToProto(now);
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kInsertReferral));
  stmt.Bind(1, couple_id)
      .Bind(2, static_cast<int64_t>(referral.status()))
      .BindBlob(3, common::ResourceBody(referral));
  RETURN_IF_ERROR(stmt.Run());
  referral.set_id(FormatId(kReferralPrefix, db_->LastInsertRowId()));
  return referral;
}

absl::StatusOr<v1::Referral> SqliteBookingStore::UpdateReferral(
    int64_t id, v1::Referral referral, absl::Time now) {
  *referral.mutable_update_time() = common::ToProto(now);
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kUpdateReferral));
  stmt.Bind(1, static_cast<int64_t>(referral.status()))
      .BindBlob(2, common::ResourceBody(referral))
      .Bind(3, id);
  RETURN_IF_ERROR(stmt.Run());
  referral.set_id(FormatId(kReferralPrefix, id));
  if (db_->Changes() != 1) {
    return absl::NotFoundError(
        absl::StrCat("referral ", referral.id(), " not found"));
  }
  return referral;
}

}  // namespace tandem::booking
