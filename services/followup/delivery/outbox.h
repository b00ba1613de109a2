// The reminder outbox: a transactional queue of reminder messages in the
// follow-up service's database, and the state machine of each message
// (tandem.followup.v1.ReminderStatus):
//
//   QUEUED --MarkSent--> SENT
//   QUEUED | FAILED --MarkFailed(temporary)--> FAILED (retry at backoff)
//   QUEUED | FAILED --MarkFailed(permanent, or attempts exhausted)--> DEAD
//   QUEUED | FAILED --MarkSuppressed / SuppressPendingForSubject--> SUPPRESSED
//
// The service enqueues reminders in the same transaction that changes the
// plan or contact they are about (the "transactional outbox"), so a reminder
// is never lost and never made twice; the Dispatcher (dispatcher.h) sends
// what is due. Outbox is the interface (the follow-up store's outbox());
// SqliteOutbox, below, keeps it in SQLite. Every method runs inside the
// caller's transaction: nothing here begins or commits one.
//
// What is stored: references (recipient, subject), times and delivery state.
// Never an address. The rendered text lives in its own table
// (reminder_messages) so that a Reminder row never carries text, and is
// deleted as soon as the message reaches a final state (SENT, DEAD,
// SUPPRESSED): minimum necessary.
//
// Typical use (in a service mutation, inside its transaction):
//
//   delivery::Outbox& outbox = store->outbox();
//   NewReminder r;
//   *r.recipient.mutable_partner() = partner;          // cp-3 / A
//   r.channel = v1::REMINDER_CHANNEL_EMAIL;
//   r.event = v1::REMINDER_EVENT_FOLLOW_UP_CONTACT;
//   r.subject_ref = "fc-12";
//   r.lead_time = absl::Hours(24);
//   r.event_time = contact_start;
//   r.time_zone = "Europe/Berlin";
//   r.due_time = NextSendTime(contact_start - r.lead_time, zone, window);
//   ASSIGN_OR_RETURN(r.message, RenderMessage(context, {visit}, r.channel));
//   ASSIGN_OR_RETURN(EnqueueResult queued, outbox.Enqueue(r, now));
//   // queued.created is false when this reminder existed already.
#ifndef TANDEM_SERVICES_FOLLOWUP_DELIVERY_OUTBOX_H_
#define TANDEM_SERVICES_FOLLOWUP_DELIVERY_OUTBOX_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "services/common/list_page.h"
#include "services/common/sqlite.h"
#include "services/followup/delivery/message.h"
#include "tandem/followup/v1/followup.pb.h"

namespace tandem::followup::delivery {

namespace v1 = ::tandem::followup::v1;

// The outbox tables. The follow-up service includes this text as one of its
// numbered migrations, e.g.
//   constexpr common::Migration kMigrations[] = {
//       {1, kPlansSchemaSql}, {2, delivery::kOutboxSchemaSql}, ...};
// Times are Unix microseconds. `ready_time` is the instant a pending
// reminder may next be sent (due_time while QUEUED, next_attempt_time while
// FAILED) and NULL once it is final; the dispatcher scans it by index.
inline constexpr absl::string_view kOutboxSchemaSql = R"sql(
CREATE TABLE reminders (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  recipient         TEXT    NOT NULL,  -- RecipientKey(): "cp-3/A", "th-5"
  channel           INTEGER NOT NULL,  -- v1::ReminderChannel
  event             INTEGER NOT NULL,  -- v1::ReminderEvent
  subject_ref       TEXT    NOT NULL,  -- "in-4", "fc-12", "2027-03-28"
  lead_time_seconds INTEGER NOT NULL,
  event_time        INTEGER,           -- start of what is reminded of
  time_zone         TEXT    NOT NULL,  -- recipient's IANA zone
  due_time          INTEGER NOT NULL,
  status            INTEGER NOT NULL,  -- v1::ReminderStatus
  suppress_reason   INTEGER NOT NULL DEFAULT 0,
  attempt_count     INTEGER NOT NULL DEFAULT 0,
  last_error_code   TEXT    NOT NULL DEFAULT '',
  next_attempt_time INTEGER,
  ready_time        INTEGER,
  idempotency_key   TEXT    NOT NULL UNIQUE,
  send_time         INTEGER,
  create_time       INTEGER NOT NULL
);
CREATE INDEX reminders_ready ON reminders(ready_time, id)
  WHERE ready_time IS NOT NULL;
CREATE INDEX reminders_by_subject ON reminders(subject_ref, id);
CREATE INDEX reminders_by_recipient ON reminders(recipient, id);
CREATE INDEX reminders_by_status ON reminders(status, id);
CREATE TABLE reminder_messages (
  reminder_id INTEGER PRIMARY KEY REFERENCES reminders(id) ON DELETE CASCADE,
  subject     TEXT NOT NULL,
  body        TEXT NOT NULL
);
)sql";

// Public id of a reminder row ("rn-77").
inline constexpr absl::string_view kReminderIdPrefix = "rn";

// A canonical text for a recipient: "cp-3/A", "cp-3/B" or "th-5".
// INVALID_ARGUMENT naming `recipient` if neither oneof member is set (or the
// partner role is unspecified).
absl::StatusOr<std::string> RecipientKey(const v1::RecipientRef& recipient);
// The inverse of RecipientKey(); INVALID_ARGUMENT on a malformed key.
absl::StatusOr<v1::RecipientRef> ParseRecipientKey(absl::string_view key);

// The idempotency key of a reminder: a stable function of (recipient, event,
// subject_ref, lead time, channel, and the event's start when known), the
// same in every process and release, e.g.
// "rk-66152de1ce779ba617d9ad74fc40925b": "rk-" and the hex of the first 16
// bytes of SHA-256("tandem-reminder-v1" + "|<length>:<field>" for each of
// recipient key, event number, subject_ref, lead time in seconds, channel
// number and, if set, the event start in Unix seconds). The event start is
// part of it so that a moved contact gets new reminders while the old ones
// are superseded. A `variant` (THERAPIST_CALLS_DUE: the number of calls, so
// a changed count is a new reminder) is appended as one more field when not
// empty; keys without one are unchanged. Being a hash, the key passed to mail
// and SMS providers reveals nothing of its inputs.
std::string ReminderIdempotencyKey(
    absl::string_view recipient_key, v1::ReminderEvent event,
    absl::string_view subject_ref, absl::Duration lead_time,
    v1::ReminderChannel channel,
    std::optional<absl::Time> event_time = std::nullopt,
    absl::string_view variant = {});

// The idempotency key of one message that stands for several reminders
// (a couple's same-day reminders merged at send time): "rm-" and the hex of
// the first 16 bytes of SHA-256("tandem-merged-v1" + "|<length>:<key>" for
// each member's key in sorted order). Stable for the same set of members,
// so a merged send repeated after a crash carries the same key; another set
// (one of them cancelled meanwhile) is another message with another key.
std::string MergedIdempotencyKey(std::vector<std::string> member_keys);

// When a failed attempt is retried: 1st failure + initial_backoff, then
// doubling (1m, 2m, 4m, ...) up to max_backoff; after max_attempts attempts
// in all the reminder is DEAD. Deterministic (no jitter): every retry time
// can be predicted by tests and coordinators.
struct RetryPolicy {
  int max_attempts = 8;
  absl::Duration initial_backoff = absl::Minutes(1);
  absl::Duration max_backoff = absl::Hours(1);

  // The wait after the `attempt_count`-th failed attempt (1-based).
  absl::Duration BackoffAfter(int attempt_count) const;
};

// What a reminder is about, for whom, and when it is due.
struct ReminderSpec {
  v1::RecipientRef recipient;
  v1::ReminderChannel channel = v1::REMINDER_CHANNEL_UNSPECIFIED;
  v1::ReminderEvent event = v1::REMINDER_EVENT_UNSPECIFIED;
  std::string subject_ref;
  absl::Duration lead_time = absl::ZeroDuration();
  // Start of the contact or programme reminded of; the dispatcher suppresses
  // the reminder (TOO_LATE) when that is too near at send time. Unset: never
  // too late.
  std::optional<absl::Time> event_time;
  // The recipient's IANA time zone (the clinic's when unknown); quiet hours
  // of later retries are computed in it.
  std::string time_zone;
  // When to send, already moved out of quiet hours (quiet_hours.h).
  absl::Time due_time;
};

// What the service asks to send: the spec and its text.
struct NewReminder : ReminderSpec {
  // The rendered text for `channel` (message.h).
  RenderedMessage message;
  // Set to record the reminder as SUPPRESSED from the start (no consent,
  // opted out, disabled, too late once quiet hours end), so coordinators see
  // it; then the channel may be unspecified and the message empty.
  v1::SuppressReason suppress_reason = v1::SUPPRESS_REASON_UNSPECIFIED;
  // Not stored: makes the idempotency key differ between reminders that are
  // otherwise alike (ReminderIdempotencyKey's `variant`), e.g. "3" calls.
  std::string key_variant;
};

// One row of the outbox, without its text: the spec (due_time moves when the
// dispatcher defers it) and the delivery state.
struct ReminderRecord : ReminderSpec {
  int64_t row_id = 0;
  std::string id;  // "rn-<row_id>"
  v1::ReminderStatus status = v1::REMINDER_STATUS_UNSPECIFIED;
  v1::SuppressReason suppress_reason = v1::SUPPRESS_REASON_UNSPECIFIED;
  int attempt_count = 0;
  std::string last_error_code;
  std::optional<absl::Time> next_attempt_time;
  std::string idempotency_key;
  std::optional<absl::Time> send_time;
  absl::Time create_time;

  // The API resource (tandem.followup.v1.Reminder).
  v1::Reminder ToProto() const;
};

// Reminders that may go in one message with `lead`: of the same recipient
// and channel (the caller's query), about a client event (programme start,
// follow-up contact) with a known start on the same local day as lead's in
// lead's time zone, other than lead itself. Empty when lead is not such a
// reminder (therapists' calls due are never merged). Keeps the order.
std::vector<ReminderRecord> SameDayCompanions(
    const ReminderRecord& lead, absl::Span<const ReminderRecord> pending);

// A pending reminder handed to the dispatcher, with its text.
struct DueReminder {
  ReminderRecord record;
  RenderedMessage message;
};

struct EnqueueResult {
  ReminderRecord record;
  bool created = false;  // false: the idempotency key existed already
  // The key existed as a reminder SUPPRESSED SUPERSEDED (never sent) and
  // this one is to be sent: it is QUEUED again, due at the new due_time,
  // with the new text (the subject came back to the same time or count).
  bool revived = false;
};

// Filters of List(); empty or unset fields match everything.
struct ReminderFilter {
  std::vector<v1::ReminderStatus> statuses;
  std::vector<v1::ReminderEvent> events;
  std::vector<v1::ReminderChannel> channels;
  // Whose reminders: a couple ("cp-3": both partners) or a therapist
  // ("th-5").
  std::string person;
  std::optional<std::string> subject_ref;
  // Due at or after / before.
  std::optional<absl::Time> due_after, due_before;
};

// The outbox's storage: part of the follow-up store
// (FollowUpStore::outbox()), used inside its transactions. Not thread-safe.
class Outbox {
 public:
  virtual ~Outbox() = default;

  // The scope of List page tokens.
  static constexpr absl::string_view kListScope = "reminders";

  // Adds a QUEUED reminder and its text (or a SUPPRESSED one without text,
  // see NewReminder::suppress_reason), or, when a reminder with the same
  // idempotency key exists, changes nothing and returns the existing one
  // with created=false; except a SUPERSEDED one, which is queued again
  // (revived=true, see EnqueueResult). INVALID_ARGUMENT naming the field when
  // the recipient, event, subject_ref or time_zone is missing, or, for a
  // reminder to send, the channel or message body.
  virtual absl::StatusOr<EnqueueResult> Enqueue(const NewReminder& reminder,
                                                absl::Time now) = 0;

  // NOT_FOUND if there is no such reminder.
  virtual absl::StatusOr<ReminderRecord> Get(int64_t row_id) = 0;

  // Up to `limit` QUEUED or FAILED reminders whose due_time (QUEUED) or
  // next_attempt_time (FAILED) is <= now, earliest first (ties by id), with
  // their texts. Reading is claiming: exactly one Dispatcher may run per
  // database (see dispatcher.h).
  virtual absl::StatusOr<std::vector<DueReminder>> ClaimDue(absl::Time now,
                                                            int limit) = 0;

  // The pending (QUEUED or FAILED) reminders of `recipient_key` on
  // `channel` that are ready at or before `ready_before`, earliest first,
  // without their texts: the candidates for merging with one being sent.
  virtual absl::StatusOr<std::vector<ReminderRecord>> PendingFor(
      absl::string_view recipient_key, v1::ReminderChannel channel,
      absl::Time ready_before) = 0;

  // Records a successful send: SENT, send_time = now, text deleted. Sending
  // is a fact, so this also wins over a suppression that happened while the
  // message was on its way. A reminder already SENT keeps its first
  // send_time (a re-send after a crash). NOT_FOUND if there is no such row.
  virtual absl::StatusOr<ReminderRecord> MarkSent(int64_t row_id,
                                                  absl::Time now) = 0;

  // Records a failed attempt with a short error code ("smtp-421"): counts
  // the attempt and either plans the next one (FAILED, next_attempt_time =
  // now + policy.BackoffAfter(attempt_count)) or, when `permanent` or the
  // attempts are exhausted, gives up (DEAD, text deleted). A reminder that is
  // no longer QUEUED or FAILED (suppressed meanwhile) is returned unchanged.
  virtual absl::StatusOr<ReminderRecord> MarkFailed(
      int64_t row_id, absl::string_view error_code, bool permanent,
      const RetryPolicy& policy, absl::Time now) = 0;

  // QUEUED | FAILED -> SUPPRESSED with `reason`, text deleted.
  // FAILED_PRECONDITION if the reminder is already SENT, DEAD or SUPPRESSED;
  // INVALID_ARGUMENT for an unspecified reason.
  virtual absl::StatusOr<ReminderRecord> MarkSuppressed(
      int64_t row_id, v1::SuppressReason reason) = 0;

  // Moves a pending reminder's next send to `until` without counting an
  // attempt (quiet hours began, or the address lookup was unavailable):
  // due_time while QUEUED, next_attempt_time while FAILED. A reminder no
  // longer pending is returned unchanged.
  virtual absl::StatusOr<ReminderRecord> Defer(int64_t row_id,
                                               absl::Time until) = 0;

  // Suppresses every QUEUED or FAILED reminder about `subject_ref` (an
  // intensive or contact that was cancelled or moved; reason usually
  // SUPERSEDED), except those for an event at `keep_event_time` when given
  // (the subject's current time: its reminders stand). Returns how many
  // were suppressed.
  virtual absl::StatusOr<int64_t> SuppressPendingForSubject(
      absl::string_view subject_ref, v1::SuppressReason reason,
      std::optional<absl::Time> keep_event_time = std::nullopt) = 0;

  // Like SuppressPendingForSubject, but only the reminders of one recipient
  // (RecipientKey(): "th-5") about `subject_ref`, keeping those whose
  // idempotency key is in `keep_keys` (the ones just planned). Subjects
  // shared by several people (a day "2027-03-28" of THERAPIST_CALLS_DUE)
  // need it: superseding by subject alone would hit everyone's reminders.
  virtual absl::StatusOr<int64_t> SuppressPendingForRecipient(
      absl::string_view recipient_key, absl::string_view subject_ref,
      v1::SuppressReason reason,
      absl::Span<const std::string> keep_keys = {}) = 0;

  // Reminders matching `filter`, by id, `page_size` at a time (already
  // validated by common::EffectivePageSize); `after` is the cursor of the
  // previous page (common::DecodePageToken with kListScope), default: start.
  // Ordered by due time, then id (the cursor holds both).
  virtual absl::StatusOr<common::Page<ReminderRecord>> List(
      const ReminderFilter& filter, int page_size,
      const common::PageCursor& after = {}) = 0;

  // Pending reminders (QUEUED + FAILED), for the outbox-depth metric.
  virtual absl::StatusOr<int64_t> Depth() = 0;
};

// The Outbox in a SQLite database (the tables of kOutboxSchemaSql). Not
// thread-safe, like the Database; cheap to make per transaction.
class SqliteOutbox final : public Outbox {
 public:
  explicit SqliteOutbox(common::Database& db) : db_(db) {}

  absl::StatusOr<EnqueueResult> Enqueue(const NewReminder& reminder,
                                        absl::Time now) override;

  absl::StatusOr<ReminderRecord> Get(int64_t row_id) override;

  absl::StatusOr<std::vector<DueReminder>> ClaimDue(absl::Time now,
                                                    int limit) override;

  absl::StatusOr<std::vector<ReminderRecord>> PendingFor(
      absl::string_view recipient_key, v1::ReminderChannel channel,
      absl::Time ready_before) override;

  absl::StatusOr<ReminderRecord> MarkSent(int64_t row_id,
                                          absl::Time now) override;

  absl::StatusOr<ReminderRecord> MarkFailed(int64_t row_id,
                                            absl::string_view error_code,
                                            bool permanent,
                                            const RetryPolicy& policy,
                                            absl::Time now) override;

  absl::StatusOr<ReminderRecord> MarkSuppressed(
      int64_t row_id, v1::SuppressReason reason) override;

  absl::StatusOr<ReminderRecord> Defer(int64_t row_id,
                                       absl::Time until) override;

  absl::StatusOr<int64_t> SuppressPendingForSubject(
      absl::string_view subject_ref, v1::SuppressReason reason,
      std::optional<absl::Time> keep_event_time = std::nullopt) override;

  absl::StatusOr<int64_t> SuppressPendingForRecipient(
      absl::string_view recipient_key, absl::string_view subject_ref,
      v1::SuppressReason reason,
      absl::Span<const std::string> keep_keys = {}) override;

  absl::StatusOr<common::Page<ReminderRecord>> List(
      const ReminderFilter& filter, int page_size,
      const common::PageCursor& after = {}) override;

  absl::StatusOr<int64_t> Depth() override;

 private:
  // Deletes the text of a reminder that reached a final status.
  absl::Status DeleteText(int64_t row_id);

  common::Database& db_;
};

}  // namespace tandem::followup::delivery

#endif  // TANDEM_SERVICES_FOLLOWUP_DELIVERY_OUTBOX_H_
