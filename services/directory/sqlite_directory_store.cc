#include "services/directory/sqlite_directory_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/change_log.h"
#include "services/common/idempotency.h"
#include "services/common/proto_time.h"
#include "services/common/resource_rows.h"
#include "services/common/status_macros.h"
#include "services/directory/ids.h"

namespace tandem::directory {

namespace {

using common::Database;
using common::PageCursor;
using common::Statement;

constexpr absl::string_view kSchemaV1 = R"sql(
CREATE TABLE clinic (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  body BLOB NOT NULL
);
CREATE TABLE therapists (
  id     INTEGER PRIMARY KEY AUTOINCREMENT,
  active INTEGER NOT NULL,
  body   BLOB NOT NULL
);
CREATE TABLE rooms (
  id     INTEGER PRIMARY KEY AUTOINCREMENT,
  active INTEGER NOT NULL,
  body   BLOB NOT NULL
);
CREATE TABLE teams (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  male_id   INTEGER NOT NULL REFERENCES therapists(id),
  female_id INTEGER NOT NULL REFERENCES therapists(id),
  body      BLOB NOT NULL,
  UNIQUE (male_id, female_id)
);
CREATE TABLE absences (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  therapist_id INTEGER NOT NULL REFERENCES therapists(id),
  start_time   INTEGER NOT NULL,  -- unix microseconds, inclusive
  end_time     INTEGER NOT NULL CHECK (end_time > start_time),
  body         BLOB NOT NULL
);
CREATE INDEX absences_by_start ON absences(start_time, id);
CREATE INDEX absences_by_therapist ON absences(therapist_id, start_time);
CREATE TABLE room_outages (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  room_id    INTEGER NOT NULL REFERENCES rooms(id),
  start_time INTEGER NOT NULL,
  end_time   INTEGER NOT NULL CHECK (end_time > start_time),
  body       BLOB NOT NULL
);
CREATE INDEX room_outages_by_start ON room_outages(start_time, id);
CREATE TABLE closures (
  id   INTEGER PRIMARY KEY AUTOINCREMENT,
  day  INTEGER NOT NULL UNIQUE,  -- days since 1970-01-01, clinic-local
  body BLOB NOT NULL
);
)sql";

// Migration 1 is the schema plus the shared request log and change log.
const std::string& SchemaV1() {
  static const std::string* const schema = new std::string(absl::StrCat(
      kSchemaV1, common::kRequestLogSchema, common::kChangeLogSchema));
  return *schema;
}

constexpr absl::string_view kSelectClinic =
    "SELECT body FROM clinic WHERE id = 1";
constexpr absl::string_view kUpsertClinic =
    "INSERT INTO clinic(id, body) VALUES (1, ?) "
    "ON CONFLICT(id) DO UPDATE SET body = excluded.body";

// Every SELECT of a resource returns (id, sort_key, body).
constexpr absl::string_view kSelectTherapist =
    "SELECT id, 0, body FROM therapists WHERE id = ?";
constexpr absl::string_view kListTherapists =
    "SELECT id, 0, body FROM therapists WHERE id > ? AND (? OR active = 1) "
    "ORDER BY id LIMIT ?";
constexpr absl::string_view kInsertTherapist =
    "INSERT INTO therapists(active, body) VALUES (?, ?)";
constexpr absl::string_view kUpdateTherapist =
    "UPDATE therapists SET active = ?, body = ? WHERE id = ?";

constexpr absl::string_view kSelectRoom =
    "SELECT id, 0, body FROM rooms WHERE id = ?";
constexpr absl::string_view kListRooms =
    "SELECT id, 0, body FROM rooms WHERE id > ? AND (? OR active = 1) "
    "ORDER BY id LIMIT ?";
constexpr absl::string_view kInsertRoom =
    "INSERT INTO rooms(active, body) VALUES (?, ?)";
constexpr absl::string_view kUpdateRoom =
    "UPDATE rooms SET active = ?, body = ? WHERE id = ?";

constexpr absl::string_view kSelectTeam =
    "SELECT id, 0, body FROM teams WHERE id = ?";
constexpr absl::string_view kListTeams =
    "SELECT id, 0, body FROM teams WHERE id > ? ORDER BY id LIMIT ?";
constexpr absl::string_view kInsertTeam =
    "INSERT INTO teams(male_id, female_id, body) VALUES (?, ?, ?)";
constexpr absl::string_view kDeleteTeam = "DELETE FROM teams WHERE id = ?";

constexpr absl::string_view kSelectAbsence =
    "SELECT id, start_time, body FROM absences WHERE id = ?";
constexpr absl::string_view kListAbsences =
    "SELECT id, start_time, body FROM absences "
    "WHERE (?1 IS NULL OR therapist_id = ?1) AND (?2 IS NULL OR end_time > ?2) "
    "AND (?3 IS NULL OR start_time < ?3) AND (start_time, id) > (?4, ?5) "
    "ORDER BY start_time, id LIMIT ?6";
constexpr absl::string_view kInsertAbsence =
    "INSERT INTO absences(therapist_id, start_time, end_time, body) "
    "VALUES (?, ?, ?, ?)";
constexpr absl::string_view kDeleteAbsence =
    "DELETE FROM absences WHERE id = ?";

constexpr absl::string_view kSelectRoomOutage =
    "SELECT id, start_time, body FROM room_outages WHERE id = ?";
constexpr absl::string_view kListRoomOutages =
    "SELECT id, start_time, body FROM room_outages "
    "WHERE (?1 IS NULL OR room_id = ?1) AND (start_time, id) > (?2, ?3) "
    "ORDER BY start_time, id LIMIT ?4";
constexpr absl::string_view kInsertRoomOutage =
    "INSERT INTO room_outages(room_id, start_time, end_time, body) "
    "VALUES (?, ?, ?, ?)";
constexpr absl::string_view kDeleteRoomOutage =
    "DELETE FROM room_outages WHERE id = ?";

constexpr absl::string_view kSelectClosure =
    "SELECT id, day, body FROM closures WHERE id = ?";
constexpr absl::string_view kClosureExists =
    "SELECT 1 FROM closures WHERE day = ?";
constexpr absl::string_view kListClosures =
    "SELECT id, day, body FROM closures "
    "WHERE (?1 IS NULL OR day >= ?1) AND (?2 IS NULL OR day <= ?2) "
    "AND (day, id) > (?3, ?4) ORDER BY day, id LIMIT ?5";
constexpr absl::string_view kInsertClosure =
    "INSERT INTO closures(day, body) VALUES (?, ?)";
constexpr absl::string_view kDeleteClosure =
    "DELETE FROM closures WHERE id = ?";

int64_t DayNumber(absl::CivilDay day) {
  return day - absl::CivilDay(1970, 1, 1);
}

// Every SELECT of a resource returns (id, sort_key, body).
constexpr int kBodyColumn = 2;

template <typename T>
absl::StatusOr<T> SelectById(Database& db, absl::string_view sql, int64_t id,
                             absl::string_view prefix, absl::string_view noun) {
  return common::SelectResource<T>(db, sql, id, kBodyColumn, prefix, noun);
}

// Reads up to `limit` rows; the statement was asked for limit + 1 so that a
// next page is only announced when it really exists.
template <typename T>
absl::StatusOr<Page<T>> ReadPage(Statement& stmt, absl::string_view prefix,
                                 int limit) {
  Page<T> page;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    if (static_cast<int>(page.items.size()) == limit) {
      page.next = PageCursor{0, 0};
      break;
    }
    ASSIGN_OR_RETURN(T item,
                     common::ResourceFromRow<T>(stmt, kBodyColumn, prefix));
    page.items.push_back(std::move(item));
  }
  return page;
}

// Sets the cursor of a page from the last item read.
template <typename T>
void SetNextCursor(Page<T>& page, int64_t sort_key, int64_t id) {
  if (page.next.has_value()) page.next = PageCursor{sort_key, id};
}

absl::Status ExpectOneRow(Database& db, absl::string_view noun,
                          absl::string_view prefix, int64_t id) {
  if (db.Changes() == 1) return absl::OkStatus();
  return absl::NotFoundError(
      absl::StrCat(noun, " ", FormatId(prefix, id), " not found"));
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteDirectoryStore>>
SqliteDirectoryStore::Open(const common::DatabaseOptions& options) {
  const common::Migration migrations[] = {{1, SchemaV1()}};
  ASSIGN_OR_RETURN(std::unique_ptr<common::SqliteStoreBackend> backend,
                   common::SqliteStoreBackend::Open(options, migrations));
  return std::unique_ptr<SqliteDirectoryStore>(
      new SqliteDirectoryStore(std::move(backend)));
}

absl::Status SqliteDirectoryStore::AppendChange(v1::ChangeKind kind,
                                                v1::Change change,
                                                absl::Time now) {
  change.set_kind(kind);
  return common::AppendChange(*db_, change.SerializeAsString(), now).status();
}

template <typename T>
absl::StatusOr<T> SqliteDirectoryStore::Inserted(T resource,
                                                 absl::string_view prefix,
                                                 ChangeField<T> field,
                                                 absl::Time now) {
  resource.set_id(FormatId(prefix, db_->LastInsertRowId()));
  v1::Change change;
  *(change.*field)() = resource;
  RETURN_IF_ERROR(AppendChange(v1::CHANGE_KIND_UPSERT, std::move(change), now));
  return resource;
}

template <typename T>
absl::Status SqliteDirectoryStore::Deleted(T last_state,
                                           absl::string_view delete_sql,
                                           int64_t id, ChangeField<T> field,
                                           absl::Time now) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(delete_sql));
  stmt.Bind(1, id);
  RETURN_IF_ERROR(stmt.Run());
  v1::Change change;
  *(change.*field)() = std::move(last_state);
  return AppendChange(v1::CHANGE_KIND_DELETE, std::move(change), now);
}

absl::StatusOr<int64_t> SqliteDirectoryStore::Revision() {
  return backend_->CurrentRevision();
}

// ---- Clinic settings ----

namespace {
v1::ClinicSettings DefaultClinicSettings() {
  v1::ClinicSettings settings;
  // Neutral until the clinic names itself: it appears in reminders.
  settings.set_display_name("Appointments");
  settings.set_time_zone("UTC");
  settings.set_booking_grid_minutes(15);
  for (int weekday = 1; weekday <= 5; ++weekday) {
    auto* hours = settings.add_opening_hours();
    hours->set_weekday(static_cast<tandem::common::v1::Weekday>(weekday));
    hours->mutable_start_time()->set_hours(8);
    hours->mutable_end_time()->set_hours(18);
  }
  return settings;
}
}  // namespace

absl::StatusOr<v1::ClinicSettings> SqliteDirectoryStore::GetClinicSettings() {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kSelectClinic));
  ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return DefaultClinicSettings();
  v1::ClinicSettings settings;
  if (!settings.ParseFromString(stmt.ColumnBlob(0))) {
    return absl::InternalError("storage: unreadable clinic settings");
  }
  return settings;
}

absl::Status SqliteDirectoryStore::PutClinicSettings(
    const v1::ClinicSettings& settings, absl::Time now) {
  v1::ClinicSettings stored = settings;
  *stored.mutable_update_time() = common::ToProto(now);
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kUpsertClinic));
  stmt.BindBlob(1, stored.SerializeAsString());
  RETURN_IF_ERROR(stmt.Run());
  v1::Change change;
  *change.mutable_clinic_settings() = stored;
  return AppendChange(v1::CHANGE_KIND_UPSERT, std::move(change), now);
}

// ---- Therapists ----

absl::StatusOr<v1::Therapist> SqliteDirectoryStore::GetTherapist(int64_t id) {
  return SelectById<v1::Therapist>(*db_, kSelectTherapist, id, kTherapistPrefix,
                                   "therapist");
}

// Therapists and rooms are stored alike: an active flag beside the body,
// never deleted.
template <typename T>
struct SqliteDirectoryStore::ActiveTable {
  absl::string_view list_sql;
  absl::string_view insert_sql;
  absl::string_view update_sql;
  absl::string_view prefix;
  absl::string_view noun;
  ChangeField<T> change_field;
};

namespace {
const SqliteDirectoryStore::ActiveTable<v1::Therapist> kTherapists = {
    kListTherapists,  kInsertTherapist, kUpdateTherapist,
    kTherapistPrefix, "therapist",      &v1::Change::mutable_therapist};
const SqliteDirectoryStore::ActiveTable<v1::Room> kRooms = {
    kListRooms,  kInsertRoom, kUpdateRoom,
    kRoomPrefix, "room",      &v1::Change::mutable_room};
}  // namespace

template <typename T>
absl::StatusOr<Page<T>> SqliteDirectoryStore::ListActive(
    const ActiveTable<T>& table, const PageCursor& after, int limit,
    bool include_inactive) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(table.list_sql));
  stmt.Bind(1, after.id).Bind(2, include_inactive ? 1 : 0).Bind(3, limit + 1);
  ASSIGN_OR_RETURN(Page<T> page, ReadPage<T>(stmt, table.prefix, limit));
  if (!page.items.empty()) {
    ASSIGN_OR_RETURN(int64_t last,
                     ParseId(table.prefix, page.items.back().id(), "id"));
    SetNextCursor(page, 0, last);
  }
  return page;
}

template <typename T>
absl::StatusOr<T> SqliteDirectoryStore::InsertActive(
    const ActiveTable<T>& table, T resource, absl::Time now) {
  *resource.mutable_update_time() = common::ToProto(now);
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(table.insert_sql));
  stmt.Bind(1, resource.active() ? 1 : 0)
      .BindBlob(2, common::ResourceBody(resource));
  RETURN_IF_ERROR(stmt.Run());
  return Inserted(std::move(resource), table.prefix, table.change_field, now);
}

template <typename T>
absl::Status SqliteDirectoryStore::UpdateActive(const ActiveTable<T>& table,
                                                int64_t id, T resource,
                                                absl::Time now) {
  *resource.mutable_update_time() = common::ToProto(now);
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(table.update_sql));
  stmt.Bind(1, resource.active() ? 1 : 0)
      .BindBlob(2, common::ResourceBody(resource))
      .Bind(3, id);
  RETURN_IF_ERROR(stmt.Run());
  RETURN_IF_ERROR(ExpectOneRow(*db_, table.noun, table.prefix, id));
  resource.set_id(FormatId(table.prefix, id));
  v1::Change change;
  *(change.*table.change_field)() = std::move(resource);
  return AppendChange(v1::CHANGE_KIND_UPSERT, std::move(change), now);
}

absl::StatusOr<Page<v1::Therapist>> SqliteDirectoryStore::ListTherapists(
    const PageCursor& after, int limit, bool include_inactive) {
  return ListActive(kTherapists, after, limit, include_inactive);
}

absl::StatusOr<v1::Therapist> SqliteDirectoryStore::InsertTherapist(
    v1::Therapist therapist, absl::Time now) {
  return InsertActive(kTherapists, std::move(therapist), now);
}

absl::Status SqliteDirectoryStore::UpdateTherapist(
    int64_t id, const v1::Therapist& therapist, absl::Time now) {
  return UpdateActive(kTherapists, id, therapist, now);
}

// ---- Rooms ----

absl::StatusOr<v1::Room> SqliteDirectoryStore::GetRoom(int64_t id) {
  return SelectById<v1::Room>(*db_, kSelectRoom, id, kRoomPrefix, "room");
}

absl::StatusOr<Page<v1::Room>> SqliteDirectoryStore::ListRooms(
    const PageCursor& after, int limit, bool include_inactive) {
  return ListActive(kRooms, after, limit, include_inactive);
}

absl::StatusOr<v1::Room> SqliteDirectoryStore::InsertRoom(v1::Room room,
                                                          absl::Time now) {
  return InsertActive(kRooms, std::move(room), now);
}

absl::Status SqliteDirectoryStore::UpdateRoom(int64_t id, const v1::Room& room,
                                              absl::Time now) {
  return UpdateActive(kRooms, id, room, now);
}

// ---- Teams ----

absl::StatusOr<v1::Team> SqliteDirectoryStore::GetTeam(int64_t id) {
  return SelectById<v1::Team>(*db_, kSelectTeam, id, kTeamPrefix, "team");
}

absl::StatusOr<Page<v1::Team>> SqliteDirectoryStore::ListTeams(
    const PageCursor& after, int limit) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kListTeams));
  stmt.Bind(1, after.id).Bind(2, limit + 1);
  ASSIGN_OR_RETURN(Page<v1::Team> page,
                   ReadPage<v1::Team>(stmt, kTeamPrefix, limit));
  if (!page.items.empty()) {
    ASSIGN_OR_RETURN(int64_t last,
                     ParseId(kTeamPrefix, page.items.back().id(), "id"));
    SetNextCursor(page, 0, last);
  }
  return page;
}

absl::StatusOr<v1::Team> SqliteDirectoryStore::InsertTeam(v1::Team team,
                                                          int64_t male_id,
                                                          int64_t female_id,
                                                          absl::Time now) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kInsertTeam));
  stmt.Bind(1, male_id)
      .Bind(2, female_id)
      .BindBlob(3, common::ResourceBody(team));
  absl::Status inserted = stmt.Run();
  if (absl::IsAlreadyExists(inserted)) {
    return absl::AlreadyExistsError(
        "team: these two therapists already form a standing team");
  }
  RETURN_IF_ERROR(inserted);
  return Inserted(std::move(team), kTeamPrefix, &v1::Change::mutable_team, now);
}

absl::Status SqliteDirectoryStore::DeleteTeam(int64_t id, absl::Time now) {
  ASSIGN_OR_RETURN(v1::Team team, GetTeam(id));
  return Deleted(std::move(team), kDeleteTeam, id, &v1::Change::mutable_team,
                 now);
}

// ---- Absences ----

absl::StatusOr<v1::Absence> SqliteDirectoryStore::GetAbsence(int64_t id) {
  return SelectById<v1::Absence>(*db_, kSelectAbsence, id, kAbsencePrefix,
                                 "absence");
}

namespace {
std::optional<int64_t> Micros(std::optional<absl::Time> time) {
  if (!time.has_value()) return std::nullopt;
  return absl::ToUnixMicros(*time);
}

// Cursor for lists ordered by (start_time, id).
template <typename T>
absl::Status SetIntervalCursor(Page<T>& page, absl::string_view prefix) {
  if (page.items.empty()) return absl::OkStatus();
  const T& last = page.items.back();
  ASSIGN_OR_RETURN(int64_t id, ParseId(prefix, last.id(), "id"));
  SetNextCursor(page, absl::ToUnixMicros(common::FromProto(last.start_time())),
                id);
  return absl::OkStatus();
}
}  // namespace

absl::StatusOr<Page<v1::Absence>> SqliteDirectoryStore::ListAbsences(
    const AbsenceFilter& filter, const PageCursor& after, int limit) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kListAbsences));
  stmt.Bind(1, filter.therapist_id)
      .Bind(2, Micros(filter.end_after))
      .Bind(3, Micros(filter.start_before))
      .Bind(4, after.sort_key)
      .Bind(5, after.id)
      .Bind(6, limit + 1);
  ASSIGN_OR_RETURN(Page<v1::Absence> page,
                   ReadPage<v1::Absence>(stmt, kAbsencePrefix, limit));
  RETURN_IF_ERROR(SetIntervalCursor(page, kAbsencePrefix));
  return page;
}

absl::StatusOr<v1::Absence> SqliteDirectoryStore::InsertAbsence(
    v1::Absence absence, int64_t therapist_id, absl::Time start, absl::Time end,
    absl::Time now) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kInsertAbsence));
  stmt.Bind(1, therapist_id)
      .Bind(2, absl::ToUnixMicros(start))
      .Bind(3, absl::ToUnixMicros(end))
      .BindBlob(4, common::ResourceBody(absence));
  RETURN_IF_ERROR(stmt.Run());
  return Inserted(std::move(absence), kAbsencePrefix,
                  &v1::Change::mutable_absence, now);
}

absl::Status SqliteDirectoryStore::DeleteAbsence(int64_t id, absl::Time now) {
  ASSIGN_OR_RETURN(v1::Absence absence, GetAbsence(id));
  return Deleted(std::move(absence), kDeleteAbsence, id,
                 &v1::Change::mutable_absence, now);
}

// ---- Room outages ----

absl::StatusOr<v1::RoomOutage> SqliteDirectoryStore::GetRoomOutage(int64_t id) {
  return SelectById<v1::RoomOutage>(*db_, kSelectRoomOutage, id,
                                    kRoomOutagePrefix, "room outage");
}

absl::StatusOr<Page<v1::RoomOutage>> SqliteDirectoryStore::ListRoomOutages(
    std::optional<int64_t> room_id, const PageCursor& after, int limit) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kListRoomOutages));
  stmt.Bind(1, room_id)
      .Bind(2, after.sort_key)
      .Bind(3, after.id)
      .Bind(4, limit + 1);
  ASSIGN_OR_RETURN(Page<v1::RoomOutage> page,
                   ReadPage<v1::RoomOutage>(stmt, kRoomOutagePrefix, limit));
  RETURN_IF_ERROR(SetIntervalCursor(page, kRoomOutagePrefix));
  return page;
}

absl::StatusOr<v1::RoomOutage> SqliteDirectoryStore::InsertRoomOutage(
    v1::RoomOutage outage, int64_t room_id, absl::Time start, absl::Time end,
    absl::Time now) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kInsertRoomOutage));
  stmt.Bind(1, room_id)
      .Bind(2, absl::ToUnixMicros(start))
      .Bind(3, absl::ToUnixMicros(end))
      .BindBlob(4, common::ResourceBody(outage));
  RETURN_IF_ERROR(stmt.Run());
  return Inserted(std::move(outage), kRoomOutagePrefix,
                  &v1::Change::mutable_room_outage, now);
}

absl::Status SqliteDirectoryStore::DeleteRoomOutage(int64_t id,
                                                    absl::Time now) {
  ASSIGN_OR_RETURN(v1::RoomOutage outage, GetRoomOutage(id));
  return Deleted(std::move(outage), kDeleteRoomOutage, id,
                 &v1::Change::mutable_room_outage, now);
}

// ---- Closures ----

absl::StatusOr<v1::Closure> SqliteDirectoryStore::GetClosure(int64_t id) {
  return SelectById<v1::Closure>(*db_, kSelectClosure, id, kClosurePrefix,
                                 "closure");
}

absl::StatusOr<bool> SqliteDirectoryStore::ClosureExists(absl::CivilDay day) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kClosureExists));
  stmt.Bind(1, DayNumber(day));
  return stmt.Step();
}

absl::StatusOr<Page<v1::Closure>> SqliteDirectoryStore::ListClosures(
    std::optional<absl::CivilDay> first, std::optional<absl::CivilDay> last,
    const PageCursor& after, int limit) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kListClosures));
  stmt.Bind(1, first.has_value() ? std::optional<int64_t>(DayNumber(*first))
                                 : std::nullopt)
      .Bind(2, last.has_value() ? std::optional<int64_t>(DayNumber(*last))
                                : std::nullopt)
      .Bind(3, after.sort_key)
      .Bind(4, after.id)
      .Bind(5, limit + 1);
  ASSIGN_OR_RETURN(Page<v1::Closure> page,
                   ReadPage<v1::Closure>(stmt, kClosurePrefix, limit));
  if (!page.items.empty()) {
    const v1::Closure& closure = page.items.back();
    ASSIGN_OR_RETURN(int64_t id, ParseId(kClosurePrefix, closure.id(), "id"));
    absl::CivilDay day(closure.date().year(), closure.date().month(),
                       closure.date().day());
    SetNextCursor(page, DayNumber(day), id);
  }
  return page;
}

absl::StatusOr<v1::Closure> SqliteDirectoryStore::InsertClosure(
    v1::Closure closure, absl::CivilDay day, absl::Time now) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kInsertClosure));
  stmt.Bind(1, DayNumber(day)).BindBlob(2, common::ResourceBody(closure));
  absl::Status inserted = stmt.Run();
  if (absl::IsAlreadyExists(inserted)) {
    return absl::AlreadyExistsError(
        absl::StrCat("closure: the clinic is already closed on ",
                     absl::FormatCivilTime(day)));
  }
  RETURN_IF_ERROR(inserted);
  return Inserted(std::move(closure), kClosurePrefix,
                  &v1::Change::mutable_closure, now);
}

absl::Status SqliteDirectoryStore::DeleteClosure(int64_t id, absl::Time now) {
  ASSIGN_OR_RETURN(v1::Closure closure, GetClosure(id));
  return Deleted(std::move(closure), kDeleteClosure, id,
                 &v1::Change::mutable_closure, now);
}

}  // namespace tandem::directory
