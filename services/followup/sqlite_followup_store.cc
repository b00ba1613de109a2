#include "services/followup/sqlite_followup_store.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/change_log.h"
#include "services/common/idempotency.h"
#include "services/common/proto_time.h"
#include "services/common/resource_rows.h"
#include "services/common/status_macros.h"
#include "services/followup/delivery/outbox.h"
#include "services/followup/ids.h"
#include "services/followup/plan_builder.h"
#include "services/followup/reminder_jobs.h"
#include "services/followup/reminder_quota.h"
#include "services/followup/reminder_settings.h"

namespace tandem::followup {

namespace {

using common::Database;
using common::PageCursor;
using common::Statement;

constexpr absl::string_view kSchemaV1 = R"sql(
CREATE TABLE templates (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  is_default INTEGER NOT NULL,
  body       BLOB NOT NULL
);
CREATE UNIQUE INDEX templates_one_default ON templates(is_default)
  WHERE is_default = 1;
CREATE TABLE plans (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  intensive_id TEXT NOT NULL UNIQUE,
  couple_id    TEXT NOT NULL,
  status       INTEGER NOT NULL,
  body         BLOB NOT NULL  -- without contacts
);
CREATE INDEX plans_by_couple ON plans(couple_id, id);
-- sort_key: the booked start (unix microseconds), or while unbooked the due
-- day's UTC midnight; day: the clinic-local day booked or due, "YYYY-MM-DD".
CREATE TABLE contacts (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  plan_id          INTEGER NOT NULL REFERENCES plans(id),
  therapist_id     TEXT NOT NULL,
  couple_id        TEXT NOT NULL,
  status           INTEGER NOT NULL,
  day              TEXT NOT NULL,
  sort_key         INTEGER NOT NULL,
  duration_minutes INTEGER NOT NULL,
  window_days      INTEGER NOT NULL,
  offset_months    INTEGER NOT NULL,
  offset_days      INTEGER NOT NULL,
  pending          INTEGER NOT NULL,
  version          INTEGER NOT NULL,
  body             BLOB NOT NULL
);
CREATE INDEX contacts_by_plan ON contacts(plan_id, sort_key);
CREATE INDEX contacts_by_sort ON contacts(sort_key, id);
CREATE INDEX contacts_pending ON contacts(pending) WHERE pending != 0;
-- The booking WatchChanges revision whose effects are stored: written in the
-- transaction of those effects, so each change takes effect exactly once.
CREATE TABLE booking_cursor (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  revision INTEGER NOT NULL
);
INSERT INTO booking_cursor(id, revision) VALUES (1, 0);
)sql";

const std::string& SchemaV1() {
  static const std::string* const schema = new std::string(absl::StrCat(
      kSchemaV1, common::kRequestLogSchema, common::kChangeLogSchema));
  return *schema;
}

constexpr absl::string_view kSelectTemplate =
    "SELECT id, body FROM templates WHERE id = ?";
constexpr absl::string_view kSelectDefaultTemplate =
    "SELECT id, body FROM templates WHERE is_default = 1";
constexpr absl::string_view kCountTemplates = "SELECT COUNT(*) FROM templates";
constexpr absl::string_view kListTemplates =
    "SELECT id, body FROM templates WHERE id > ? ORDER BY id LIMIT ?";
constexpr absl::string_view kInsertTemplate =
    "INSERT INTO templates(is_default, body) VALUES (?, ?)";
constexpr absl::string_view kUpdateTemplate =
    "UPDATE templates SET is_default = ?, body = ? WHERE id = ?";
constexpr absl::string_view kDeleteTemplate =
    "DELETE FROM templates WHERE id = ?";

constexpr absl::string_view kSelectPlan =
    "SELECT id, body FROM plans WHERE id = ?";
constexpr absl::string_view kSelectPlanByIntensive =
    "SELECT id, body FROM plans WHERE intensive_id = ?";
// ?4: bit mask of wanted statuses (0: all).
constexpr absl::string_view kListPlans =
    "SELECT id, body FROM plans p WHERE id > ?1 "
    "AND (?2 = '' OR couple_id = ?2) AND (?3 = '' OR intensive_id = ?3) "
    "AND (?4 = 0 OR ((1 << status) & ?4) != 0) "
    "AND (?5 = '' AND ?6 IS NULL AND ?7 IS NULL OR EXISTS ("
    "  SELECT 1 FROM contacts c WHERE c.plan_id = p.id "
    "  AND (?5 = '' OR c.therapist_id = ?5) "
    "  AND (?6 IS NULL OR c.day >= ?6) AND (?7 IS NULL OR c.day <= ?7))) "
    "ORDER BY id LIMIT ?8";
constexpr absl::string_view kInsertPlan =
    "INSERT INTO plans(intensive_id, couple_id, status, body) "
    "VALUES (?, ?, ?, ?)";
constexpr absl::string_view kUpdatePlan =
    "UPDATE plans SET intensive_id = ?, couple_id = ?, status = ?, body = ? "
    "WHERE id = ?";
constexpr absl::string_view kCountOpenContacts =
    "SELECT COUNT(*) FROM contacts WHERE plan_id = ? AND status IN (?, ?, ?)";

constexpr absl::string_view kContactColumns =
    "id, body, sort_key, duration_minutes, window_days, offset_months, "
    "offset_days, pending, version, day";
constexpr absl::string_view kInsertContact =
    "INSERT INTO contacts(plan_id, therapist_id, couple_id, status, day, "
    "sort_key, duration_minutes, window_days, offset_months, offset_days, "
    "pending, version, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr absl::string_view kUpdateContact =
    "UPDATE contacts SET plan_id = ?, therapist_id = ?, couple_id = ?, "
    "status = ?, day = ?, sort_key = ?, duration_minutes = ?, "
    "window_days = ?, offset_months = ?, offset_days = ?, pending = ?, "
    "version = ?, body = ? WHERE id = ?14";
constexpr absl::string_view kDeleteContact =
    "DELETE FROM contacts WHERE id = ?";
constexpr absl::string_view kPendingContacts =
    "SELECT id FROM contacts WHERE pending != 0 ORDER BY id LIMIT ?";

constexpr absl::string_view kSelectCursor =
    "SELECT revision FROM booking_cursor WHERE id = 1";
constexpr absl::string_view kUpdateCursor =
    "UPDATE booking_cursor SET revision = ? WHERE id = 1";

constexpr int kBodyColumn = 1;

std::string SelectContacts(absl::string_view where) {
  return absl::StrCat("SELECT ", kContactColumns, " FROM contacts ", where);
}

// ?5: bit mask of wanted statuses (0: all).
const std::string& ListContactsSql() {
  static const std::string* const sql = new std::string(SelectContacts(
      "WHERE (?1 = '' OR therapist_id = ?1) AND (?2 = '' OR couple_id = ?2) "
      "AND (?3 IS NULL OR plan_id = ?3) "
      "AND (?4 = 0 OR ((1 << status) & ?4) != 0) "
      "AND (?5 IS NULL OR day >= ?5) AND (?6 IS NULL OR day <= ?6) "
      "AND (sort_key > ?7 OR (sort_key = ?7 AND id > ?8)) "
      "ORDER BY sort_key, id LIMIT ?9"));
  return *sql;
}

template <typename Enum>
int64_t StatusMask(const std::vector<Enum>& statuses) {
  int64_t mask = 0;
  for (Enum s : statuses) mask |= int64_t{1} << static_cast<int>(s);
  return mask;
}

void BindOptionalDay(Statement& stmt, int index,
                     const std::optional<absl::CivilDay>& day) {
  if (day) {
    stmt.Bind(index, absl::FormatCivilTime(*day));
  } else {
    stmt.BindNull(index);
  }
}

absl::StatusOr<ContactRow> ContactFromRow(const Statement& row) {
  ContactRow out;
  ASSIGN_OR_RETURN(out.contact, common::ResourceFromRow<v1::FollowUpContact>(
                                    row, kBodyColumn, kContactPrefix));
  out.duration = absl::Minutes(row.ColumnInt64(3));
  out.window_days = static_cast<int>(row.ColumnInt64(4));
  out.offset.months = static_cast<int>(row.ColumnInt64(5));
  out.offset.days = static_cast<int>(row.ColumnInt64(6));
  out.pending = static_cast<Pending>(row.ColumnInt64(7));
  out.version = row.ColumnInt64(8);
  if (!absl::ParseCivilTime(row.ColumnText(9), &out.day)) {
    return absl::InternalError("storage: unreadable contact day");
  }
  return out;
}

// Ordered by booked start, or due day while unbooked.
int64_t SortKey(const v1::FollowUpContact& c) {
  if (c.has_scheduled_start_time()) {
    return absl::ToUnixMicros(common::FromProto(c.scheduled_start_time()));
  }
  const absl::CivilDay due(c.due_date().year(), c.due_date().month(),
                           c.due_date().day());
  return absl::ToUnixMicros(absl::FromCivil(due, absl::UTCTimeZone()));
}

// Reads id-ordered rows into a page; a row past `limit` means a next page.
template <typename T, typename Finish>
absl::StatusOr<Page<T>> ReadPage(Statement& stmt, absl::string_view prefix,
                                 int limit, Finish finish) {
  Page<T> page;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
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
  for (T& item : page.items) RETURN_IF_ERROR(finish(item));
  return page;
}

// Reminders: the delivery outbox, the policy and people's opt-outs.
const std::string& SchemaV2() {
  static const std::string* const schema = new std::string(
      absl::StrCat(delivery::kOutboxSchemaSql, kReminderSettingsSchemaSql));
  return *schema;
}

}  // namespace

SqliteFollowUpStore::SqliteFollowUpStore(
    std::unique_ptr<common::SqliteStoreBackend> backend)
    : backend_(std::move(backend)),
      db_(&backend_->db()),
      reminder_settings_(*db_),
      reminder_charges_(*db_),
      reminder_jobs_(*db_),
      outbox_(*db_) {}

absl::StatusOr<std::unique_ptr<SqliteFollowUpStore>> SqliteFollowUpStore::Open(
    const common::DatabaseOptions& options, absl::Time now) {
  const common::Migration migrations[] = {{1, SchemaV1()},
                                          {2, SchemaV2()},
                                          {3, kReminderJobsSchemaSql},
                                          {4, kReminderQuotaSchemaSql}};
  ASSIGN_OR_RETURN(std::unique_ptr<common::SqliteStoreBackend> backend,
                   common::SqliteStoreBackend::Open(options, migrations));
  std::unique_ptr<SqliteFollowUpStore> store(
      new SqliteFollowUpStore(std::move(backend)));
  RETURN_IF_ERROR(store->InsertDefaultTemplate(now));
  return store;
}

absl::Status SqliteFollowUpStore::InsertDefaultTemplate(absl::Time now) {
  ASSIGN_OR_RETURN(common::Transaction txn, common::Transaction::Begin(*db_));
  {
    ASSIGN_OR_RETURN(Statement count, db_->Prepare(kCountTemplates));
    ASSIGN_OR_RETURN(bool row, count.Step());
    if (row && count.ColumnInt64(0) > 0) return absl::OkStatus();
  }
  RETURN_IF_ERROR(SaveTemplate(DefaultTemplate(), now).status());
  return txn.Commit();
}

// ---- Templates ----

absl::StatusOr<v1::FollowUpPlanTemplate> SqliteFollowUpStore::GetTemplate(
    int64_t id) {
  return common::SelectResource<v1::FollowUpPlanTemplate>(
      *db_, kSelectTemplate, id, kBodyColumn, kTemplatePrefix,
      "follow-up plan template");
}

absl::StatusOr<v1::FollowUpPlanTemplate>
SqliteFollowUpStore::GetDefaultTemplate() {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kSelectDefaultTemplate));
  ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) {
    return absl::FailedPreconditionError("no default follow-up plan template");
  }
  return common::ResourceFromRow<v1::FollowUpPlanTemplate>(stmt, kBodyColumn,
                                                           kTemplatePrefix);
}

absl::StatusOr<Page<v1::FollowUpPlanTemplate>>
SqliteFollowUpStore::ListTemplates(const PageCursor& after, int limit) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kListTemplates));
  stmt.Bind(1, after.id).Bind(2, limit + 1);
  return ReadPage<v1::FollowUpPlanTemplate>(
      stmt, kTemplatePrefix, limit,
      [](v1::FollowUpPlanTemplate&) { return absl::OkStatus(); });
}

absl::StatusOr<v1::FollowUpPlanTemplate> SqliteFollowUpStore::SaveTemplate(
    v1::FollowUpPlanTemplate t, absl::Time now) {
  *t.mutable_update_time() = common::ToProto(now);
  int64_t id = 0;
  if (!t.id().empty()) {
    ASSIGN_OR_RETURN(id, ParseId(kTemplatePrefix, t.id(), "id"));
  }
  if (t.is_default()) {
    // The previous default stops being one (column and body).
    absl::StatusOr<v1::FollowUpPlanTemplate> previous = GetDefaultTemplate();
    if (previous.ok() && previous->id() != t.id()) {
      previous->set_is_default(false);
      RETURN_IF_ERROR(SaveTemplate(*std::move(previous), now).status());
    }
  }
  if (id == 0) {
    ASSIGN_OR_RETURN(Statement insert, db_->Prepare(kInsertTemplate));
    insert.Bind(1, t.is_default() ? 1 : 0).BindBlob(2, common::ResourceBody(t));
    RETURN_IF_ERROR(insert.Run());
    t.set_id(FormatId(kTemplatePrefix, db_->LastInsertRowId()));
    return t;
  }
  ASSIGN_OR_RETURN(Statement update, db_->Prepare(kUpdateTemplate));
  update.Bind(1, t.is_default() ? 1 : 0)
      .BindBlob(2, common::ResourceBody(t))
      .Bind(3, id);
  RETURN_IF_ERROR(update.Run());
  return t;
}

absl::Status SqliteFollowUpStore::DeleteTemplate(int64_t id) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kDeleteTemplate));
  stmt.Bind(1, id);
  return stmt.Run();
}

// ---- Plans ----

absl::Status SqliteFollowUpStore::AttachContacts(v1::FollowUpPlan& plan) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kPlanPrefix, plan.id(), "id"));
  ASSIGN_OR_RETURN(std::vector<ContactRow> rows, PlanContacts(id));
  plan.clear_contacts();
  for (ContactRow& row : rows) *plan.add_contacts() = std::move(row.contact);
  return absl::OkStatus();
}

absl::StatusOr<v1::FollowUpPlan> SqliteFollowUpStore::GetPlan(int64_t id) {
  ASSIGN_OR_RETURN(
      v1::FollowUpPlan plan,
      common::SelectResource<v1::FollowUpPlan>(
          *db_, kSelectPlan, id, kBodyColumn, kPlanPrefix, "follow-up plan"));
  RETURN_IF_ERROR(AttachContacts(plan));
  return plan;
}

absl::StatusOr<std::optional<v1::FollowUpPlan>>
SqliteFollowUpStore::FindPlanByIntensive(const std::string& intensive_id) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kSelectPlanByIntensive));
  stmt.Bind(1, intensive_id);
  ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  ASSIGN_OR_RETURN(v1::FollowUpPlan plan,
                   common::ResourceFromRow<v1::FollowUpPlan>(stmt, kBodyColumn,
                                                             kPlanPrefix));
  RETURN_IF_ERROR(AttachContacts(plan));
  return plan;
}

absl::StatusOr<Page<v1::FollowUpPlan>> SqliteFollowUpStore::ListPlans(
    const PlanFilter& filter, const PageCursor& after, int limit) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kListPlans));
  stmt.Bind(1, after.id)
      .Bind(2, filter.couple_id)
      .Bind(3, filter.intensive_id)
      .Bind(4, StatusMask(filter.statuses))
      .Bind(5, filter.therapist_id);
  BindOptionalDay(stmt, 6, filter.first_day);
  BindOptionalDay(stmt, 7, filter.last_day);
  stmt.Bind(8, limit + 1);
  return ReadPage<v1::FollowUpPlan>(
      stmt, kPlanPrefix, limit,
      [this](v1::FollowUpPlan& plan) { return AttachContacts(plan); });
}

absl::StatusOr<v1::FollowUpPlan> SqliteFollowUpStore::SavePlan(
    v1::FollowUpPlan plan, absl::Time now) {
  plan.clear_contacts();
  *plan.mutable_update_time() = common::ToProto(now);
  if (plan.id().empty()) *plan.mutable_create_time() = common::ToProto(now);
  auto bind = [&](Statement& stmt) {
    stmt.Bind(1, plan.intensive_id())
        .Bind(2, plan.couple_id())
        .Bind(3, static_cast<int64_t>(plan.status()))
        .BindBlob(4, common::ResourceBody(plan));
  };
  if (plan.id().empty()) {
    ASSIGN_OR_RETURN(Statement insert, db_->Prepare(kInsertPlan));
    bind(insert);
    if (absl::Status s = insert.Run(); !s.ok()) {
      if (absl::IsAlreadyExists(s)) {
        return absl::AlreadyExistsError(absl::StrCat(
            "intensive ", plan.intensive_id(), " already has a plan"));
      }
      return s;
    }
    plan.set_id(FormatId(kPlanPrefix, db_->LastInsertRowId()));
    return plan;
  }
  ASSIGN_OR_RETURN(int64_t id, ParseId(kPlanPrefix, plan.id(), "id"));
  ASSIGN_OR_RETURN(Statement update, db_->Prepare(kUpdatePlan));
  bind(update);
  update.Bind(5, id);
  RETURN_IF_ERROR(update.Run());
  return plan;
}

absl::Status SqliteFollowUpStore::RefreshPlanStatus(int64_t plan_id,
                                                    absl::Time now) {
  ASSIGN_OR_RETURN(v1::FollowUpPlan plan, GetPlan(plan_id));
  if (plan.status() == v1::FOLLOW_UP_PLAN_STATUS_CANCELLED) {
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(Statement count, db_->Prepare(kCountOpenContacts));
  count.Bind(1, plan_id)
      .Bind(2, static_cast<int64_t>(v1::CONTACT_STATUS_UNSCHEDULED))
      .Bind(3, static_cast<int64_t>(v1::CONTACT_STATUS_SCHEDULED))
      .Bind(4, static_cast<int64_t>(v1::CONTACT_STATUS_NEEDS_ATTENTION));
  ASSIGN_OR_RETURN(bool row, count.Step());
  const auto status = row && count.ColumnInt64(0) > 0
                          ? v1::FOLLOW_UP_PLAN_STATUS_ACTIVE
                          : v1::FOLLOW_UP_PLAN_STATUS_COMPLETED;
  if (status == plan.status()) return absl::OkStatus();
  plan.set_status(status);
  return SavePlan(std::move(plan), now).status();
}

// ---- Contacts ----

absl::StatusOr<ContactRow> SqliteFollowUpStore::GetContact(int64_t id) {
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare(SelectContacts("WHERE id = ?")));
  stmt.Bind(1, id);
  ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) {
    return absl::NotFoundError(absl::StrCat(
        "follow-up contact ", FormatId(kContactPrefix, id), " not found"));
  }
  return ContactFromRow(stmt);
}

absl::StatusOr<std::vector<ContactRow>> SqliteFollowUpStore::PlanContacts(
    int64_t plan_id) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare(SelectContacts("WHERE plan_id = ? ORDER BY sort_key, id")));
  stmt.Bind(1, plan_id);
  std::vector<ContactRow> rows;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return rows;
    ASSIGN_OR_RETURN(ContactRow contact, ContactFromRow(stmt));
    rows.push_back(std::move(contact));
  }
}

absl::StatusOr<Page<v1::FollowUpContact>> SqliteFollowUpStore::ListContacts(
    const ContactFilter& filter, const PageCursor& after, int limit) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(ListContactsSql()));
  stmt.Bind(1, filter.therapist_id)
      .Bind(2, filter.couple_id)
      .Bind(3, filter.plan_id)
      .Bind(4, StatusMask(filter.statuses));
  BindOptionalDay(stmt, 5, filter.first_day);
  BindOptionalDay(stmt, 6, filter.last_day);
  stmt.Bind(7, after.sort_key).Bind(8, after.id).Bind(9, limit + 1);
  Page<v1::FollowUpContact> page;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return page;
    if (static_cast<int>(page.items.size()) == limit) {
      page.next = PageCursor{
          SortKey(page.items.back()),
          ParseId(kContactPrefix, page.items.back().id(), "id").value_or(0)};
      return page;
    }
    ASSIGN_OR_RETURN(ContactRow contact, ContactFromRow(stmt));
    page.items.push_back(std::move(contact.contact));
  }
}

namespace {

// A scheduled follow-up call with a therapist: what THERAPIST_CALLS_DUE
// counts.
bool CountsAsCall(const v1::FollowUpContact& c) {
  return c.kind() == v1::CONTACT_KIND_PHONE_CALL &&
         c.status() == v1::CONTACT_STATUS_SCHEDULED &&
         !c.therapist_id().empty();
}

}  // namespace

absl::Status SqliteFollowUpStore::SaveContact(ContactRow& row, absl::Time now) {
  v1::FollowUpContact& c = row.contact;
  *c.mutable_update_time() = common::ToProto(now);
  ++row.version;
  ASSIGN_OR_RETURN(int64_t plan_id,
                   ParseId(kPlanPrefix, c.plan_id(), "plan_id"));
  const bool insert = c.id().empty();
  // The therapist-day this call counted on before the change (a move or a
  // reassignment leaves a day with one call less to re-plan).
  std::optional<std::pair<std::string, absl::CivilDay>> previous_call_day;
  if (!insert) {
    ASSIGN_OR_RETURN(int64_t id, ParseId(kContactPrefix, c.id(), "id"));
    ASSIGN_OR_RETURN(ContactRow before, GetContact(id));
    if (CountsAsCall(before.contact)) {
      previous_call_day.emplace(before.contact.therapist_id(), before.day);
    }
  }
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare(insert ? kInsertContact : kUpdateContact));
  stmt.Bind(1, plan_id)
      .Bind(2, c.therapist_id())
      .Bind(3, c.couple_id())
      .Bind(4, static_cast<int64_t>(c.status()))
      .Bind(5, absl::FormatCivilTime(row.day))
      .Bind(6, SortKey(c))
      .Bind(7, absl::ToInt64Minutes(row.duration))
      .Bind(8, row.window_days)
      .Bind(9, row.offset.months)
      .Bind(10, row.offset.days)
      .Bind(11, static_cast<int>(row.pending))
      .Bind(12, row.version)
      .BindBlob(13, common::ResourceBody(c));
  if (!insert) {
    ASSIGN_OR_RETURN(int64_t id, ParseId(kContactPrefix, c.id(), "id"));
    stmt.Bind(14, id);
  }
  RETURN_IF_ERROR(stmt.Run());
  if (insert) c.set_id(FormatId(kContactPrefix, db_->LastInsertRowId()));
  // The contact's reminders follow its every change: for its time while
  // SCHEDULED, none otherwise.
  ReminderJob job;
  job.subject_ref = c.id();
  job.event = v1::REMINDER_EVENT_FOLLOW_UP_CONTACT;
  job.couple_id = c.couple_id();
  job.phone_call = c.kind() == v1::CONTACT_KIND_PHONE_CALL;
  if (c.status() == v1::CONTACT_STATUS_SCHEDULED) {
    job.event_time = common::FromProto(c.scheduled_start_time());
  }
  RETURN_IF_ERROR(RequestReminders(*db_, job));
  // The therapist's "calls due" of the day it was and the day it is.
  std::vector<std::pair<std::string, absl::CivilDay>> call_days;
  if (previous_call_day) call_days.push_back(*previous_call_day);
  if (CountsAsCall(c)) call_days.emplace_back(c.therapist_id(), row.day);
  if (call_days.size() == 2 && call_days[0] == call_days[1]) {
    call_days.pop_back();
  }
  for (const auto& [therapist, day] : call_days) {
    ReminderJob calls;
    calls.subject_ref = CallsDueJobSubject(therapist, day);
    calls.event = v1::REMINDER_EVENT_THERAPIST_CALLS_DUE;
    RETURN_IF_ERROR(RequestReminders(*db_, calls));
  }
  return common::AppendChange(*db_, c.SerializeAsString(), now).status();
}

absl::Status SqliteFollowUpStore::DeleteContact(int64_t id) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kDeleteContact));
  stmt.Bind(1, id);
  return stmt.Run();
}

absl::StatusOr<std::vector<int64_t>> SqliteFollowUpStore::PendingContacts(
    int limit) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kPendingContacts));
  stmt.Bind(1, limit);
  std::vector<int64_t> ids;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return ids;
    ids.push_back(stmt.ColumnInt64(0));
  }
}

// ---- Booking cursor ----

absl::StatusOr<int64_t> SqliteFollowUpStore::BookingRevision() {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kSelectCursor));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::InternalError("storage: booking cursor missing");
  return stmt.ColumnInt64(0);
}

absl::Status SqliteFollowUpStore::SetBookingRevision(int64_t revision) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kUpdateCursor));
  stmt.Bind(1, revision);
  return stmt.Run();
}

}  // namespace tandem::followup
