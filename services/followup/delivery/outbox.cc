#include "services/followup/delivery/outbox.h"

#include <openssl/sha.h>

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/proto_time.h"
#include "services/common/resource_id.h"
#include "services/common/status_macros.h"

namespace tandem::followup::delivery {
namespace {

using ::google::protobuf::util::TimeUtil;

constexpr absl::string_view kColumns =
    "id, recipient, channel, event, subject_ref, lead_time_seconds, "
    "event_time, time_zone, due_time, status, suppress_reason, attempt_count, "
    "last_error_code, next_attempt_time, idempotency_key, send_time, "
    "create_time";

// Every query, next to each other. `%COLUMNS%` is kColumns.
constexpr absl::string_view kInsertReminder = R"sql(
INSERT INTO reminders (recipient, channel, event, subject_ref,
  lead_time_seconds, event_time, time_zone, due_time, status,
  suppress_reason, ready_time, idempotency_key, create_time)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (idempotency_key) DO NOTHING)sql";
constexpr absl::string_view kInsertMessage =
    "INSERT INTO reminder_messages (reminder_id, subject, body) VALUES (?, ?, "
    "?)";
// A reminder superseded before it went out, planned again for the same
// time (a contact moved and moved back, a day's call count back where it
// was): queued again with the new due time.
constexpr absl::string_view kRevive = R"sql(
UPDATE reminders SET status = 1, suppress_reason = 0, due_time = ?1,
  ready_time = ?1, next_attempt_time = NULL
WHERE idempotency_key = ?2 AND status = 5 AND suppress_reason = 4)sql";
constexpr absl::string_view kSelectById =
    "SELECT %COLUMNS% FROM reminders WHERE id = ?";
constexpr absl::string_view kSelectByKey =
    "SELECT %COLUMNS% FROM reminders WHERE idempotency_key = ?";
constexpr absl::string_view kSelectDue = R"sql(
SELECT %COLUMNS%, m.subject, m.body FROM reminders
  LEFT JOIN reminder_messages m ON m.reminder_id = reminders.id
WHERE ready_time IS NOT NULL AND ready_time <= ?
ORDER BY ready_time, id LIMIT ?)sql";
constexpr absl::string_view kSelectPendingFor = R"sql(
SELECT %COLUMNS% FROM reminders
WHERE recipient = ?1 AND channel = ?2 AND status IN (1, 3)
  AND ready_time IS NOT NULL AND ready_time <= ?3
ORDER BY ready_time, id)sql";
constexpr absl::string_view kSetSent = R"sql(
UPDATE reminders SET status = 2, suppress_reason = 0, next_attempt_time = NULL,
  ready_time = NULL, send_time = COALESCE(send_time, ?)
WHERE id = ?)sql";
constexpr absl::string_view kSetFailed = R"sql(
UPDATE reminders SET status = 3, attempt_count = ?, last_error_code = ?,
  next_attempt_time = ?, ready_time = ?
WHERE id = ? AND status IN (1, 3))sql";
constexpr absl::string_view kSetDead = R"sql(
UPDATE reminders SET status = 4, attempt_count = ?, last_error_code = ?,
  next_attempt_time = NULL, ready_time = NULL
WHERE id = ? AND status IN (1, 3))sql";
constexpr absl::string_view kSetSuppressed = R"sql(
UPDATE reminders SET status = 5, suppress_reason = ?, next_attempt_time = NULL,
  ready_time = NULL
WHERE id = ? AND status IN (1, 3))sql";
constexpr absl::string_view kDeferQueued = R"sql(
UPDATE reminders SET due_time = ?, ready_time = ? WHERE id = ? AND status = 1)sql";
constexpr absl::string_view kDeferFailed = R"sql(
UPDATE reminders SET next_attempt_time = ?, ready_time = ?
WHERE id = ? AND status = 3)sql";
constexpr absl::string_view kSuppressSubject = R"sql(
UPDATE reminders SET status = 5, suppress_reason = ?1, next_attempt_time = NULL,
  ready_time = NULL
WHERE subject_ref = ?2 AND status IN (1, 3)
  AND (?3 IS NULL OR event_time IS NULL OR event_time != ?3))sql";
constexpr absl::string_view kPendingForRecipient = R"sql(
SELECT id, idempotency_key FROM reminders
WHERE subject_ref = ?1 AND recipient = ?2 AND status IN (1, 3))sql";
constexpr absl::string_view kDeleteFinishedMessages = R"sql(
DELETE FROM reminder_messages WHERE reminder_id IN (
  SELECT id FROM reminders WHERE subject_ref = ? AND status IN (2, 4, 5)))sql";
constexpr absl::string_view kDeleteMessage =
    "DELETE FROM reminder_messages WHERE reminder_id = ?";
// ?1 status, ?2 recipient, ?3 subject_ref (NULL: any), ?4 after id, ?5 limit.
// Person, subject and due range in SQL (indexed); statuses, events and
// channels (short lists) are filtered while reading.
constexpr absl::string_view kList = R"sql(
SELECT %COLUMNS% FROM reminders
WHERE (?1 = '' OR recipient = ?1 OR recipient LIKE ?1 || '/%')
  AND (?2 IS NULL OR subject_ref = ?2)
  AND (?3 IS NULL OR due_time >= ?3) AND (?4 IS NULL OR due_time < ?4)
  AND (due_time > ?5 OR (due_time = ?5 AND id > ?6))
ORDER BY due_time, id)sql";
constexpr absl::string_view kDepth =
    "SELECT COUNT(*) FROM reminders WHERE ready_time IS NOT NULL";

std::string Sql(absl::string_view query) {
  return absl::StrReplaceAll(query, {{"%COLUMNS%", kColumns}});
}

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

std::optional<absl::Time> OptionalTime(const common::Statement& row, int col) {
  if (row.ColumnIsNull(col)) return std::nullopt;
  return absl::FromUnixMicros(row.ColumnInt64(col));
}

std::optional<int64_t> OptionalMicros(std::optional<absl::Time> t) {
  if (!t) return std::nullopt;
  return Micros(*t);
}

// Reads the kColumns of the current row.
absl::StatusOr<ReminderRecord> ReadRecord(const common::Statement& row) {
  ReminderRecord r;
  r.row_id = row.ColumnInt64(0);
  r.id = common::FormatId(kReminderIdPrefix, r.row_id);
  ASSIGN_OR_RETURN(r.recipient, ParseRecipientKey(row.ColumnText(1)));
  r.channel = static_cast<v1::ReminderChannel>(row.ColumnInt64(2));
  r.event = static_cast<v1::ReminderEvent>(row.ColumnInt64(3));
  r.subject_ref = row.ColumnText(4);
  r.lead_time = absl::Seconds(row.ColumnInt64(5));
  r.event_time = OptionalTime(row, 6);
  r.time_zone = row.ColumnText(7);
  r.due_time = absl::FromUnixMicros(row.ColumnInt64(8));
  r.status = static_cast<v1::ReminderStatus>(row.ColumnInt64(9));
  r.suppress_reason = static_cast<v1::SuppressReason>(row.ColumnInt64(10));
  r.attempt_count = static_cast<int>(row.ColumnInt64(11));
  r.last_error_code = row.ColumnText(12);
  r.next_attempt_time = OptionalTime(row, 13);
  r.idempotency_key = row.ColumnText(14);
  r.send_time = OptionalTime(row, 15);
  r.create_time = absl::FromUnixMicros(row.ColumnInt64(16));
  return r;
}

absl::Status ValidateNew(const NewReminder& r) {
  const bool suppressed = r.suppress_reason != v1::SUPPRESS_REASON_UNSPECIFIED;
  if (!v1::SuppressReason_IsValid(r.suppress_reason)) {
    return absl::InvalidArgumentError("reminder.suppress_reason: unknown");
  }
  if (!v1::ReminderChannel_IsValid(r.channel) ||
      (!suppressed && r.channel == v1::REMINDER_CHANNEL_UNSPECIFIED)) {
    return absl::InvalidArgumentError("reminder.channel: unspecified");
  }
  if (r.event == v1::REMINDER_EVENT_UNSPECIFIED ||
      !v1::ReminderEvent_IsValid(r.event)) {
    return absl::InvalidArgumentError("reminder.event: unspecified");
  }
  if (r.subject_ref.empty()) {
    return absl::InvalidArgumentError("reminder.subject_ref: empty");
  }
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(r.time_zone, &zone)) {
    return absl::InvalidArgumentError("reminder.time_zone: unknown zone");
  }
  if (r.lead_time < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("reminder.lead_time: negative");
  }
  if (!suppressed && r.message.body.empty()) {
    return absl::InvalidArgumentError("reminder.message.body: empty");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> RecipientKey(const v1::RecipientRef& recipient) {
  if (recipient.has_partner()) {
    const v1::PartnerRef& p = recipient.partner();
    if (p.couple_id().empty() || (p.partner() != v1::PARTNER_ROLE_A &&
                                  p.partner() != v1::PARTNER_ROLE_B)) {
      return absl::InvalidArgumentError("recipient.partner: incomplete");
    }
    return absl::StrCat(p.couple_id(),
                        p.partner() == v1::PARTNER_ROLE_A ? "/A" : "/B");
  }
  if (recipient.has_therapist_id() && !recipient.therapist_id().empty()) {
    return recipient.therapist_id();
  }
  return absl::InvalidArgumentError("recipient: not set");
}

absl::StatusOr<v1::RecipientRef> ParseRecipientKey(absl::string_view key) {
  v1::RecipientRef out;
  const std::vector<absl::string_view> parts = absl::StrSplit(key, '/');
  if (parts.size() == 1 && !key.empty()) {
    out.set_therapist_id(std::string(key));
    return out;
  }
  if (parts.size() == 2 && !parts[0].empty() &&
      (parts[1] == "A" || parts[1] == "B")) {
    out.mutable_partner()->set_couple_id(std::string(parts[0]));
    out.mutable_partner()->set_partner(parts[1] == "A" ? v1::PARTNER_ROLE_A
                                                       : v1::PARTNER_ROLE_B);
    return out;
  }
  return absl::InvalidArgumentError("recipient key: malformed");
}

std::string ReminderIdempotencyKey(absl::string_view recipient_key,
                                   v1::ReminderEvent event,
                                   absl::string_view subject_ref,
                                   absl::Duration lead_time,
                                   v1::ReminderChannel channel,
                                   std::optional<absl::Time> event_time,
                                   absl::string_view variant) {
  // Length-prefixed fields, so no two inputs share a canonical form.
  std::string canonical = "tandem-reminder-v1";
  std::vector<std::string> fields = {
      std::string(recipient_key), absl::StrCat(static_cast<int>(event)),
      std::string(subject_ref), absl::StrCat(absl::ToInt64Seconds(lead_time)),
      absl::StrCat(static_cast<int>(channel))};
  if (event_time) fields.push_back(absl::StrCat(absl::ToUnixSeconds(*event_time)));
  if (!variant.empty()) fields.push_back(std::string(variant));
  for (const std::string& field : fields) {
    absl::StrAppend(&canonical, "|", field.size(), ":", field);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(canonical.data()),
         canonical.size(), digest);
  return absl::StrCat("rk-", absl::BytesToHexString(absl::string_view(
                                 reinterpret_cast<const char*>(digest), 16)));
}

std::string MergedIdempotencyKey(std::vector<std::string> member_keys) {
  std::sort(member_keys.begin(), member_keys.end());
  std::string canonical = "tandem-merged-v1";
  for (const std::string& key : member_keys) {
    absl::StrAppend(&canonical, "|", key.size(), ":", key);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(canonical.data()),
         canonical.size(), digest);
  return absl::StrCat("rm-", absl::BytesToHexString(absl::string_view(
                                 reinterpret_cast<const char*>(digest), 16)));
}

namespace {

bool IsClientEvent(v1::ReminderEvent event) {
  return event == v1::REMINDER_EVENT_INTENSIVE_START ||
         event == v1::REMINDER_EVENT_FOLLOW_UP_CONTACT;
}

}  // namespace

std::vector<ReminderRecord> SameDayCompanions(
    const ReminderRecord& lead, absl::Span<const ReminderRecord> pending) {
  std::vector<ReminderRecord> out;
  if (!IsClientEvent(lead.event) || !lead.event_time) return out;
  absl::TimeZone zone;  // UTC if unknown, as the dispatcher does
  absl::LoadTimeZone(lead.time_zone, &zone);
  const absl::CivilDay day = absl::ToCivilDay(*lead.event_time, zone);
  for (const ReminderRecord& r : pending) {
    if (r.row_id == lead.row_id || !IsClientEvent(r.event) || !r.event_time ||
        r.channel != lead.channel ||
        !google::protobuf::util::MessageDifferencer::Equals(r.recipient,
                                                           lead.recipient) ||
        absl::ToCivilDay(*r.event_time, zone) != day) {
      continue;
    }
    out.push_back(r);
  }
  return out;
}

absl::Duration RetryPolicy::BackoffAfter(int attempt_count) const {
  absl::Duration wait = initial_backoff;
  for (int i = 1; i < attempt_count && wait < max_backoff; ++i) wait *= 2;
  return std::min(wait, max_backoff);
}

v1::Reminder ReminderRecord::ToProto() const {
  v1::Reminder out;
  out.set_id(id);
  *out.mutable_recipient() = recipient;
  out.set_channel(channel);
  out.set_event(event);
  out.set_subject_ref(subject_ref);
  *out.mutable_lead_time() =
      TimeUtil::SecondsToDuration(absl::ToInt64Seconds(lead_time));
  *out.mutable_due_time() = common::ToProto(due_time);
  out.set_status(status);
  out.set_suppress_reason(suppress_reason);
  out.set_attempt_count(attempt_count);
  out.set_last_error_code(last_error_code);
  if (next_attempt_time) {
    *out.mutable_next_attempt_time() = common::ToProto(*next_attempt_time);
  }
  out.set_idempotency_key(idempotency_key);
  if (send_time) *out.mutable_send_time() = common::ToProto(*send_time);
  *out.mutable_create_time() = common::ToProto(create_time);
  return out;
}

absl::StatusOr<EnqueueResult> SqliteOutbox::Enqueue(const NewReminder& reminder,
                                                    absl::Time now) {
  ASSIGN_OR_RETURN(const std::string recipient,
                   RecipientKey(reminder.recipient));
  RETURN_IF_ERROR(ValidateNew(reminder));
  const std::string key =
      ReminderIdempotencyKey(recipient, reminder.event, reminder.subject_ref,
                             reminder.lead_time, reminder.channel,
                             reminder.event_time, reminder.key_variant);
  const bool pending =
      reminder.suppress_reason == v1::SUPPRESS_REASON_UNSPECIFIED;
  ASSIGN_OR_RETURN(common::Statement insert, db_.Prepare(kInsertReminder));
  insert.Bind(1, recipient)
      .Bind(2, static_cast<int>(reminder.channel))
      .Bind(3, static_cast<int>(reminder.event))
      .Bind(4, reminder.subject_ref)
      .Bind(5, absl::ToInt64Seconds(reminder.lead_time))
      .Bind(6, OptionalMicros(reminder.event_time))
      .Bind(7, reminder.time_zone)
      .Bind(8, Micros(reminder.due_time))
      .Bind(9, static_cast<int>(pending ? v1::REMINDER_STATUS_QUEUED
                                        : v1::REMINDER_STATUS_SUPPRESSED))
      .Bind(10, static_cast<int>(reminder.suppress_reason))
      .Bind(11, pending ? std::optional<int64_t>(Micros(reminder.due_time))
                        : std::nullopt)
      .Bind(12, key)
      .Bind(13, Micros(now));
  RETURN_IF_ERROR(insert.Run());
  EnqueueResult result;
  result.created = db_.Changes() == 1;
  if (result.created && pending) {
    const int64_t row_id = db_.LastInsertRowId();
    ASSIGN_OR_RETURN(common::Statement text, db_.Prepare(kInsertMessage));
    text.Bind(1, row_id)
        .Bind(2, reminder.message.subject)
        .Bind(3, reminder.message.body);
    RETURN_IF_ERROR(text.Run());
  }
  if (!result.created && pending) {
    ASSIGN_OR_RETURN(common::Statement revive, db_.Prepare(kRevive));
    revive.Bind(1, Micros(reminder.due_time)).Bind(2, key);
    RETURN_IF_ERROR(revive.Run());
    result.revived = db_.Changes() == 1;
  }
  ASSIGN_OR_RETURN(common::Statement select, db_.Prepare(Sql(kSelectByKey)));
  select.Bind(1, key);
  ASSIGN_OR_RETURN(const bool found, select.Step());
  if (!found) return absl::InternalError("reminder vanished after insert");
  ASSIGN_OR_RETURN(result.record, ReadRecord(select));
  if (result.revived) {
    ASSIGN_OR_RETURN(common::Statement text, db_.Prepare(kInsertMessage));
    text.Bind(1, result.record.row_id)
        .Bind(2, reminder.message.subject)
        .Bind(3, reminder.message.body);
    RETURN_IF_ERROR(text.Run());
  }
  return result;
}

absl::StatusOr<ReminderRecord> SqliteOutbox::Get(int64_t row_id) {
  ASSIGN_OR_RETURN(common::Statement select, db_.Prepare(Sql(kSelectById)));
  select.Bind(1, row_id);
  ASSIGN_OR_RETURN(const bool found, select.Step());
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("reminder ", common::FormatId(kReminderIdPrefix, row_id),
                     " not found"));
  }
  return ReadRecord(select);
}

absl::StatusOr<std::vector<DueReminder>> SqliteOutbox::ClaimDue(absl::Time now,
                                                                int limit) {
  ASSIGN_OR_RETURN(common::Statement select, db_.Prepare(Sql(kSelectDue)));
  select.Bind(1, Micros(now)).Bind(2, std::max(limit, 0));
  std::vector<DueReminder> due;
  const int subject_column = 17;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, select.Step());
    if (!row) break;
    DueReminder item;
    ASSIGN_OR_RETURN(item.record, ReadRecord(select));
    item.message.subject = select.ColumnText(subject_column);
    item.message.body = select.ColumnText(subject_column + 1);
    due.push_back(std::move(item));
  }
  return due;
}

absl::StatusOr<std::vector<ReminderRecord>> SqliteOutbox::PendingFor(
    absl::string_view recipient_key, v1::ReminderChannel channel,
    absl::Time ready_before) {
  ASSIGN_OR_RETURN(common::Statement select,
                   db_.Prepare(Sql(kSelectPendingFor)));
  select.Bind(1, recipient_key)
      .Bind(2, static_cast<int>(channel))
      .Bind(3, Micros(ready_before));
  std::vector<ReminderRecord> records;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, select.Step());
    if (!row) return records;
    ASSIGN_OR_RETURN(ReminderRecord record, ReadRecord(select));
    records.push_back(std::move(record));
  }
}

absl::StatusOr<ReminderRecord> SqliteOutbox::MarkSent(int64_t row_id,
                                                      absl::Time now) {
  ASSIGN_OR_RETURN(const ReminderRecord before, Get(row_id));
  ASSIGN_OR_RETURN(common::Statement update, db_.Prepare(kSetSent));
  update.Bind(1, Micros(now)).Bind(2, before.row_id);
  RETURN_IF_ERROR(update.Run());
  RETURN_IF_ERROR(DeleteText(row_id));
  return Get(row_id);
}

absl::StatusOr<ReminderRecord> SqliteOutbox::MarkFailed(
    int64_t row_id, absl::string_view error_code, bool permanent,
    const RetryPolicy& policy, absl::Time now) {
  ASSIGN_OR_RETURN(const ReminderRecord before, Get(row_id));
  if (before.status != v1::REMINDER_STATUS_QUEUED &&
      before.status != v1::REMINDER_STATUS_FAILED) {
    return before;
  }
  const int attempts = before.attempt_count + 1;
  if (permanent || attempts >= policy.max_attempts) {
    ASSIGN_OR_RETURN(common::Statement update, db_.Prepare(kSetDead));
    update.Bind(1, attempts).Bind(2, error_code).Bind(3, row_id);
    RETURN_IF_ERROR(update.Run());
    RETURN_IF_ERROR(DeleteText(row_id));
  } else {
    const int64_t next = Micros(now + policy.BackoffAfter(attempts));
    ASSIGN_OR_RETURN(common::Statement update, db_.Prepare(kSetFailed));
    update.Bind(1, attempts)
        .Bind(2, error_code)
        .Bind(3, next)
        .Bind(4, next)
        .Bind(5, row_id);
    RETURN_IF_ERROR(update.Run());
  }
  return Get(row_id);
}

absl::StatusOr<ReminderRecord> SqliteOutbox::MarkSuppressed(
    int64_t row_id, v1::SuppressReason reason) {
  if (reason == v1::SUPPRESS_REASON_UNSPECIFIED ||
      !v1::SuppressReason_IsValid(reason)) {
    return absl::InvalidArgumentError("suppress_reason: unspecified");
  }
  ASSIGN_OR_RETURN(const ReminderRecord before, Get(row_id));
  ASSIGN_OR_RETURN(common::Statement update, db_.Prepare(kSetSuppressed));
  update.Bind(1, static_cast<int>(reason)).Bind(2, row_id);
  RETURN_IF_ERROR(update.Run());
  if (db_.Changes() == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("reminder ", before.id, " is no longer pending"));
  }
  RETURN_IF_ERROR(DeleteText(row_id));
  return Get(row_id);
}

absl::StatusOr<ReminderRecord> SqliteOutbox::Defer(int64_t row_id,
                                                   absl::Time until) {
  ASSIGN_OR_RETURN(const ReminderRecord before, Get(row_id));
  const bool queued = before.status == v1::REMINDER_STATUS_QUEUED;
  if (!queued && before.status != v1::REMINDER_STATUS_FAILED) return before;
  ASSIGN_OR_RETURN(common::Statement update,
                   db_.Prepare(queued ? kDeferQueued : kDeferFailed));
  update.Bind(1, Micros(until)).Bind(2, Micros(until)).Bind(3, row_id);
  RETURN_IF_ERROR(update.Run());
  return Get(row_id);
}

absl::StatusOr<int64_t> SqliteOutbox::SuppressPendingForSubject(
    absl::string_view subject_ref, v1::SuppressReason reason,
    std::optional<absl::Time> keep_event_time) {
  if (reason == v1::SUPPRESS_REASON_UNSPECIFIED ||
      !v1::SuppressReason_IsValid(reason)) {
    return absl::InvalidArgumentError("suppress_reason: unspecified");
  }
  ASSIGN_OR_RETURN(common::Statement update, db_.Prepare(kSuppressSubject));
  update.Bind(1, static_cast<int>(reason))
      .Bind(2, subject_ref)
      .Bind(3, OptionalMicros(keep_event_time));
  RETURN_IF_ERROR(update.Run());
  const int64_t suppressed = db_.Changes();
  ASSIGN_OR_RETURN(common::Statement cleanup,
                   db_.Prepare(kDeleteFinishedMessages));
  cleanup.Bind(1, subject_ref);
  RETURN_IF_ERROR(cleanup.Run());
  return suppressed;
}

absl::StatusOr<int64_t> SqliteOutbox::SuppressPendingForRecipient(
    absl::string_view recipient_key, absl::string_view subject_ref,
    v1::SuppressReason reason, absl::Span<const std::string> keep_keys) {
  if (reason == v1::SUPPRESS_REASON_UNSPECIFIED ||
      !v1::SuppressReason_IsValid(reason)) {
    return absl::InvalidArgumentError("suppress_reason: unspecified");
  }
  std::vector<int64_t> ids;
  {
    ASSIGN_OR_RETURN(common::Statement select,
                     db_.Prepare(kPendingForRecipient));
    select.Bind(1, subject_ref).Bind(2, recipient_key);
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      const std::string key = select.ColumnText(1);
      if (std::find(keep_keys.begin(), keep_keys.end(), key) ==
          keep_keys.end()) {
        ids.push_back(select.ColumnInt64(0));
      }
    }
  }
  for (int64_t id : ids) RETURN_IF_ERROR(MarkSuppressed(id, reason).status());
  return static_cast<int64_t>(ids.size());
}

absl::StatusOr<common::Page<ReminderRecord>> SqliteOutbox::List(
    const ReminderFilter& filter, int page_size,
    const common::PageCursor& after) {
  ASSIGN_OR_RETURN(common::Statement select, db_.Prepare(Sql(kList)));
  select.Bind(1, filter.person);
  if (filter.subject_ref) {
    select.Bind(2, *filter.subject_ref);
  } else {
    select.BindNull(2);
  }
  for (int i = 0; i < 2; ++i) {
    const std::optional<absl::Time>& bound =
        i == 0 ? filter.due_after : filter.due_before;
    if (bound) {
      select.Bind(3 + i, Micros(*bound));
    } else {
      select.BindNull(3 + i);
    }
  }
  const bool first_page = after.sort_key == 0 && after.id == 0;
  select.Bind(5, first_page ? std::numeric_limits<int64_t>::min()
                            : after.sort_key)
      .Bind(6, after.id);
  auto wanted = [](const auto& list, auto value) {
    return list.empty() ||
           std::find(list.begin(), list.end(), value) != list.end();
  };
  common::Page<ReminderRecord> page;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, select.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(ReminderRecord record, ReadRecord(select));
    if (!wanted(filter.statuses, record.status) ||
        !wanted(filter.events, record.event) ||
        !wanted(filter.channels, record.channel)) {
      continue;
    }
    if (static_cast<int>(page.items.size()) == page_size) {
      const ReminderRecord& last = page.items.back();
      page.next = common::PageCursor{Micros(last.due_time), last.row_id};
      break;
    }
    page.items.push_back(std::move(record));
  }
  return page;
}

absl::StatusOr<int64_t> SqliteOutbox::Depth() {
  ASSIGN_OR_RETURN(common::Statement count, db_.Prepare(kDepth));
  ASSIGN_OR_RETURN(const bool row, count.Step());
  return row ? count.ColumnInt64(0) : 0;
}

absl::Status SqliteOutbox::DeleteText(int64_t row_id) {
  ASSIGN_OR_RETURN(common::Statement remove, db_.Prepare(kDeleteMessage));
  remove.Bind(1, row_id);
  return remove.Run();
}

}  // namespace tandem::followup::delivery
