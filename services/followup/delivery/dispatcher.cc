#include "services/followup/delivery/dispatcher.h"

#include <spdlog/spdlog.h>

#include <utility>
#include <vector>

#include "services/common/logging.h"
#include "services/common/status_macros.h"

namespace tandem::followup::delivery {
namespace {

const char* StatusName(v1::ReminderStatus status) {
  switch (status) {
    case v1::REMINDER_STATUS_QUEUED:
      return "QUEUED";
    case v1::REMINDER_STATUS_SENT:
      return "SENT";
    case v1::REMINDER_STATUS_FAILED:
      return "FAILED";
    case v1::REMINDER_STATUS_DEAD:
      return "DEAD";
    case v1::REMINDER_STATUS_SUPPRESSED:
      return "SUPPRESSED";
    default:
      return "UNSPECIFIED";
  }
}

absl::TimeZone ZoneOf(const ReminderRecord& record) {
  absl::TimeZone zone;  // UTC if the name is unknown (Enqueue checked it)
  absl::LoadTimeZone(record.time_zone, &zone);
  return zone;
}

}  // namespace

absl::Status RunInOutboxTransaction(
    common::Database& db, absl::FunctionRef<absl::Status(Outbox&)> body) {
  ASSIGN_OR_RETURN(common::Transaction txn, common::Transaction::Begin(db));
  Outbox outbox(db);
  RETURN_IF_ERROR(body(outbox));
  return txn.Commit();
}

OutboxTransaction LockedOutboxTransaction(common::Database& db,
                                          absl::Mutex& mu) {
  return [&db, &mu](absl::FunctionRef<absl::Status(Outbox&)> body) {
    absl::MutexLock lock(&mu);
    return RunInOutboxTransaction(db, body);
  };
}

Dispatcher::Dispatcher(OutboxTransaction transaction, Channels channels,
                       AddressLookup lookup, common::Clock clock,
                       DispatcherOptions options)
    : transaction_(std::move(transaction)),
      channels_(std::move(channels)),
      lookup_(std::move(lookup)),
      clock_(std::move(clock)),
      options_(std::move(options)) {}

absl::StatusOr<int> Dispatcher::Tick() {
  std::vector<DueReminder> due;
  RETURN_IF_ERROR(transaction_([&](Outbox& outbox) -> absl::Status {
    ASSIGN_OR_RETURN(due, outbox.ClaimDue(clock_(), options_.batch_size));
    return absl::OkStatus();
  }));
  for (const DueReminder& item : due) Handle(item);
  return static_cast<int>(due.size());
}

void Dispatcher::Handle(const DueReminder& due) {
  const ReminderRecord& record = due.record;
  const absl::Time now = clock_();
  const SendWindow window = options_.send_window_source
                                ? options_.send_window_source()
                                : options_.send_window;
  const absl::Time send_at = NextSendTime(now, ZoneOf(record), window);
  if (IsTooLate(send_at, record.event_time, options_.too_late_margin)) {
    Suppress(record, v1::SUPPRESS_REASON_TOO_LATE);
    return;
  }
  if (send_at > now) {
    Defer(record, send_at);
    return;
  }
  auto channel = channels_.find(record.channel);
  if (channel == channels_.end()) {
    RecordResult(record, SendResult::Permanent("channel-unconfigured"));
    return;
  }
  if (due.message.body.empty()) {  // its text row is missing
    RecordResult(record, SendResult::Permanent("message-missing"));
    return;
  }
  absl::StatusOr<Destination> destination = lookup_(record);
  if (!destination.ok()) {
    spdlog::warn(
        R"("event":"reminder_lookup_failed","reminder":"{}","code":"{}")",
        record.id, absl::StatusCodeToString(destination.status().code()));
    Defer(record, now + options_.lookup_retry);
    return;
  }
  if (destination->suppress_reason != v1::SUPPRESS_REASON_UNSPECIFIED) {
    Suppress(record, destination->suppress_reason);
    return;
  }
  if (destination->address.empty()) {
    Suppress(record, v1::SUPPRESS_REASON_NO_ADDRESS);
    return;
  }
  OutgoingMessage message{record.id, record.idempotency_key,
                          std::move(destination->address), due.message.subject,
                          due.message.body};
  RecordResult(record, channel->second->Send(message));
}

bool Dispatcher::Record(const std::string& reminder_id,
                        absl::FunctionRef<absl::Status(Outbox&)> body) {
  absl::Status recorded = transaction_(body);
  if (!recorded.ok()) {
    // Still pending in the outbox: it is handled again on a later tick.
    spdlog::error(
        R"("event":"reminder_record_failed","reminder":"{}","code":"{}")",
        reminder_id, absl::StatusCodeToString(recorded.code()));
  }
  return recorded.ok();
}

void Dispatcher::Suppress(const ReminderRecord& record,
                          v1::SuppressReason reason) {
  bool suppressed = false;
  const bool recorded = Record(record.id, [&](Outbox& outbox) -> absl::Status {
    absl::StatusOr<ReminderRecord> after =
        outbox.MarkSuppressed(record.row_id, reason);
    // Already final (the service suppressed it meanwhile): nothing to do.
    if (after.status().code() == absl::StatusCode::kFailedPrecondition) {
      return absl::OkStatus();
    }
    suppressed = after.ok();
    return after.status();
  });
  if (!recorded || !suppressed) return;
  ++suppressed_;
  spdlog::info(R"("event":"reminder_suppressed","reminder":"{}","reason":"{}")",
               record.id, v1::SuppressReason_Name(reason));
}

void Dispatcher::Defer(const ReminderRecord& record, absl::Time until) {
  const bool recorded = Record(record.id, [&](Outbox& outbox) {
    return outbox.Defer(record.row_id, until).status();
  });
  if (!recorded) return;
  ++deferred_;
  spdlog::debug(R"("event":"reminder_deferred","reminder":"{}","until":"{}")",
                record.id, absl::FormatTime(until));
}

void Dispatcher::RecordResult(const ReminderRecord& record,
                              const SendResult& result) {
  ReminderRecord after;
  const bool recorded = Record(record.id, [&](Outbox& outbox) -> absl::Status {
    const absl::Time now = clock_();
    absl::StatusOr<ReminderRecord> marked =
        result.ok() ? outbox.MarkSent(record.row_id, now)
                    : outbox.MarkFailed(
                          record.row_id, result.error_code,
                          result.outcome == SendOutcome::kPermanentFailure,
                          options_.retry, now);
    RETURN_IF_ERROR(marked.status());
    after = *std::move(marked);
    return absl::OkStatus();
  });
  if (!recorded) return;
  if (result.ok()) {
    ++sent_;
    spdlog::info(R"("event":"reminder_sent","reminder":"{}","attempt":{})",
                 record.id, record.attempt_count + 1);
    return;
  }
  if (after.status == v1::REMINDER_STATUS_DEAD) ++dead_;
  if (after.status == v1::REMINDER_STATUS_FAILED) ++failed_;
  spdlog::warn(
      R"("event":"reminder_send_failed","reminder":"{}","code":"{}","status":"{}","attempts":{})",
      record.id, common::JsonEscape(result.error_code),
      StatusName(after.status), after.attempt_count);
}

void Dispatcher::Run() {
  while (true) {
    absl::StatusOr<int> claimed = Tick();
    if (!claimed.ok()) {
      spdlog::error(R"("event":"reminder_claim_failed","code":"{}")",
                    absl::StatusCodeToString(claimed.status().code()));
    }
    const bool full = claimed.ok() && *claimed >= options_.batch_size;
    absl::MutexLock lock(&mu_);
    if (!full) {
      mu_.AwaitWithTimeout(
          absl::Condition(
              +[](Dispatcher* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
                return self->wake_ || self->stop_;
              },
              this),
          options_.poll_interval);
    }
    if (stop_) return;
    wake_ = false;
  }
}

void Dispatcher::Wake() {
  absl::MutexLock lock(&mu_);
  wake_ = true;
}

void Dispatcher::Stop() {
  absl::MutexLock lock(&mu_);
  stop_ = true;
}

DispatcherCounters Dispatcher::counters() const {
  return {sent_.load(), failed_.load(), dead_.load(), suppressed_.load(),
          deferred_.load()};
}

}  // namespace tandem::followup::delivery
