// The dispatcher: the loop that sends what the outbox says is due.
//
// Each Tick():
//   1. claims up to batch_size due reminders in one short transaction;
//   2. for each, outside any transaction or lock:
//      - outside the recipient's send window: defers it to the window's next
//        start, or suppresses it TOO_LATE if the event would then be less
//        than too_late_margin away (quiet_hours.h);
//      - asks the AddressLookup for the address (addresses are never stored
//        in the outbox; the service looks them up in booking at send time).
//        A suppress reason (opted out since, no address) suppresses it; an
//        error (booking unavailable) defers it by lookup_retry without
//        counting an attempt;
//      - sends it through the Channel registered for its channel;
//   3. records each outcome in its own short transaction (sent, failed with
//      backoff, dead, suppressed).
//
// Delivery is at-least-once: if the process dies between a send and its
// record, the reminder is still pending after a restart and is sent again
// with the same idempotency key, which the providers use to drop the
// duplicate. Nothing due is lost: a reminder leaves QUEUED/FAILED only in a
// committed transaction.
//
// Exactly one Dispatcher may run per database (claiming is reading).
//
// Logs carry reminder ids, statuses and error codes only: never an address,
// a name or a text.
//
// Wiring in the follow-up service (its store behind a GuardedStore):
//
//   OutboxTransaction txn = [&guarded](auto body) {
//     auto store = guarded.Lock();
//     return RunInOutboxTransaction(store->backend(), store->outbox(), body);
//   };
//   Dispatcher::Channels channels;
//   channels[v1::REMINDER_CHANNEL_FILE] = *FileChannel::Create(dir);
//   channels[v1::REMINDER_CHANNEL_EMAIL] = *SmtpChannel::Create(smtp, clock);
//   AddressLookup lookup = [&booking](const ReminderRecord& r)
//       -> absl::StatusOr<Destination> {
//     // GetCouple / directory lookup by r.recipient, consent and opt-out
//     // for r.channel; Destination::Suppress(NO_ADDRESS) if there is none.
//   };
//   Dispatcher dispatcher(txn, std::move(channels), lookup, clock, options);
//   std::thread loop([&] { dispatcher.Run(); });
//   ...  // after enqueueing something due now: dispatcher.Wake();
//   dispatcher.Stop();
//   loop.join();
#ifndef TANDEM_SERVICES_FOLLOWUP_DELIVERY_DISPATCHER_H_
#define TANDEM_SERVICES_FOLLOWUP_DELIVERY_DISPATCHER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "services/common/guarded_store.h"
#include "services/common/sqlite.h"
#include "services/common/store_backend.h"
#include "services/followup/delivery/channel.h"
#include "services/followup/delivery/outbox.h"
#include "services/followup/delivery/quiet_hours.h"

namespace tandem::followup::delivery {

// Runs `body` in one transaction on the database that holds the outbox,
// serialized with the service's other users of that database: commits when
// `body` returns OK, rolls back otherwise, and returns the first error.
using OutboxTransaction =
    std::function<absl::Status(absl::FunctionRef<absl::Status(Outbox&)>)>;

// Begins a transaction of `backend`, runs `body` on `outbox` (which writes
// through the same backend: the follow-up store's) and commits. The caller
// holds whatever lock guards the store.
absl::Status RunInOutboxTransaction(
    common::StoreBackend& backend, Outbox& outbox,
    absl::FunctionRef<absl::Status(Outbox&)> body);

// The same on a SQLite database alone, with a SqliteOutbox over `db`: for
// tests, benchmarks and tools. The caller holds whatever lock guards `db`.
absl::Status RunInOutboxTransaction(
    common::Database& db, absl::FunctionRef<absl::Status(Outbox&)> body);

// An OutboxTransaction over `db` guarded by `mu` (for a database used by no
// one else than the holders of `mu`: tests, benchmarks, tools). Both must
// outlive it.
OutboxTransaction LockedOutboxTransaction(common::Database& db,
                                          absl::Mutex& mu);

// Where to send a reminder, or why not to.
struct Destination {
  std::string address;  // e-mail address or phone number
  tandem::followup::v1::SuppressReason suppress_reason =
      tandem::followup::v1::SUPPRESS_REASON_UNSPECIFIED;

  static Destination To(std::string address) {
    return {std::move(address),
            tandem::followup::v1::SUPPRESS_REASON_UNSPECIFIED};
  }
  static Destination Suppress(tandem::followup::v1::SuppressReason reason) {
    return {"", reason};
  }
};

// Looks up the current address of a reminder's recipient for its channel,
// re-checking consent and opt-out. Returns a Destination with an address, or
// with a suppress reason (NO_ADDRESS, OPTED_OUT, NO_CONSENT); an error status
// means "cannot tell now" and the reminder waits. Called on the dispatcher's
// thread, outside any lock.
using AddressLookup =
    std::function<absl::StatusOr<Destination>(const ReminderRecord&)>;

struct DispatcherOptions {
  // Reminders claimed per tick.
  int batch_size = 50;
  RetryPolicy retry;
  // Quiet hours for retries and for reminders that became due late (the
  // service was down); the service applies them to due_time at enqueue.
  SendWindow send_window;
  // When set, asked for the window at every send instead of `send_window`
  // (the clinic's policy, which coordinators may change at any time).
  std::function<SendWindow()> send_window_source;
  // A reminder is suppressed TOO_LATE when its event would start sooner than
  // this after sending.
  absl::Duration too_late_margin = absl::Hours(1);
  // How long a reminder waits when the address lookup fails.
  absl::Duration lookup_retry = absl::Minutes(1);
  // Merging a couple's same-day reminders. When set, a reminder about to be
  // sent takes along its recipient's other pending reminders of the same
  // channel and local event day that are ready within `merge_horizon`
  // (Outbox::PendingFor, SameDayCompanions); this renders the one text for
  // all of them (from their specs: the stored texts are per reminder), the
  // message goes once with MergedIdempotencyKey() of their keys, and all
  // are recorded SENT in one transaction. A failed send counts against the
  // first reminder only; the others stay pending. A render error waits like
  // a failed address lookup. Because merging happens at send time, a
  // reminder cancelled before then is simply not part of the message.
  std::function<absl::StatusOr<RenderedMessage>(
      absl::Span<const ReminderRecord>)>
      merge_renderer;
  absl::Duration merge_horizon = absl::Hours(12);
  // Run(): pause after a tick that found less than a full batch.
  absl::Duration poll_interval = absl::Seconds(5);
  // For metrics: called on the dispatcher's thread for every outcome it
  // records (the events DispatcherCounters counts), with the reminder's
  // channel and one of kOutcomeSent, ...Failed, ...Dead, ...Suppressed,
  // ...Deferred. Must not block.
  std::function<void(tandem::followup::v1::ReminderChannel channel,
                     absl::string_view outcome)>
      on_outcome;
};

inline constexpr absl::string_view kOutcomeSent = "sent";
inline constexpr absl::string_view kOutcomeFailed = "failed";
inline constexpr absl::string_view kOutcomeDead = "dead";
inline constexpr absl::string_view kOutcomeSuppressed = "suppressed";
inline constexpr absl::string_view kOutcomeDeferred = "deferred";

// Totals since construction, for metrics.
struct DispatcherCounters {
  int64_t sent = 0;
  int64_t failed = 0;      // temporary failures (the reminder will retry)
  int64_t dead = 0;        // permanent failures and exhausted retries
  int64_t suppressed = 0;  // by the dispatcher (quiet hours too late, lookup)
  int64_t deferred = 0;    // moved to the next send window or lookup retry
};

class Dispatcher {
 public:
  using Channels = absl::flat_hash_map<tandem::followup::v1::ReminderChannel,
                                       std::unique_ptr<Channel>>;

  // A reminder whose channel has no entry in `channels` goes DEAD with
  // "channel-unconfigured".
  Dispatcher(OutboxTransaction transaction, Channels channels,
             AddressLookup lookup, common::Clock clock,
             DispatcherOptions options = {});
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // One pass (see the file comment). Returns how many reminders it claimed;
  // an error only if claiming failed (a failure to record one outcome is
  // logged and the reminder stays pending, to be sent again).
  absl::StatusOr<int> Tick();

  // Ticks until Stop(): at once again after a full batch, otherwise after
  // poll_interval or a Wake(). Run it on its own thread.
  void Run();
  // Makes Run() tick now (after enqueueing a reminder that is due now).
  void Wake();
  // Makes Run() return after the tick in progress.
  void Stop();

  DispatcherCounters counters() const;

 private:
  // Handles one claimed reminder: defers, suppresses, or sends and records.
  // Returns the row ids of other reminders it sent along (merged).
  std::vector<int64_t> Handle(const DueReminder& due);
  // The reminders to merge with `record` (none if merging is off or the
  // lookup fails: it is then sent alone).
  std::vector<ReminderRecord> Companions(const ReminderRecord& record,
                                         absl::Time now);
  // Sends `record` and `companions` as one message to `address`.
  std::vector<int64_t> SendMerged(const ReminderRecord& record,
                                  std::vector<ReminderRecord> companions,
                                  Channel& channel, std::string address,
                                  absl::Time now);
  // Records in a transaction; logs a failure (the reminder stays pending)
  // and returns whether it committed.
  bool Record(const std::string& reminder_id,
              absl::FunctionRef<absl::Status(Outbox&)> body);
  void Suppress(const ReminderRecord& record,
                tandem::followup::v1::SuppressReason reason);
  void Defer(const ReminderRecord& record, absl::Time until);
  void RecordResult(const ReminderRecord& record, const SendResult& result);
  // Calls options_.on_outcome, if set.
  void Report(const ReminderRecord& record, absl::string_view outcome);

  const OutboxTransaction transaction_;
  const Channels channels_;
  const AddressLookup lookup_;
  const common::Clock clock_;
  const DispatcherOptions options_;

  std::atomic<int64_t> sent_{0};
  std::atomic<int64_t> failed_{0};
  std::atomic<int64_t> dead_{0};
  std::atomic<int64_t> suppressed_{0};
  std::atomic<int64_t> deferred_{0};

  absl::Mutex mu_;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace tandem::followup::delivery

#endif  // TANDEM_SERVICES_FOLLOWUP_DELIVERY_DISPATCHER_H_
