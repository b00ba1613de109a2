#include "services/followup/delivery/dispatcher.h"

#include <spdlog/spdlog.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
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
  SqliteOutbox outbox(db);
  RETURN_IF_ERROR(body(outbox));
  return txn.Commit();
}

absl::Status RunInOutboxTransaction(
    common::StoreBackend& backend, Outbox& outbox,
    absl::FunctionRef<absl::Status(Outbox&)> body) {
  ASSIGN_OR_RETURN(std::unique_ptr<common::StoreTransaction> txn,
                   backend.BeginTransaction());
  RETURN_IF_ERROR(body(outbox));
  return txn->Commit();
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
  absl::flat_hash_set<int64_t> merged;  // sent along with an earlier one
  for (const DueReminder& item : due) {
    if (merged.contains(item.record.row_id)) continue;
    for (int64_t id : Handle(item)) merged.insert(id);
  }
  return static_cast<int>(due.size());
}

std::vector<int64_t> Dispatcher::Handle(const DueReminder& due) {
  const ReminderRecord& record = due.record;
  const absl::Time now = clock_();
  const SendWindow window = options_.send_window_source
                                ? options_.send_window_source()
                                : options_.send_window;
  const absl::Time send_at = NextSendTime(now, ZoneOf(record), window);
  if (IsTooLate(send_at, record.event_time, options_.too_late_margin)) {
    Suppress(record, v1::SUPPRESS_REASON_TOO_LATE);
    return {};
  }
  if (send_at > now) {
    Defer(record, send_at);
    return {};
  }
  auto channel = channels_.find(record.channel);
  if (channel == channels_.end()) {
    RecordResult(record, SendResult::Permanent("channel-unconfigured"));
    return {};
  }
  if (due.message.body.empty()) {  // its text row is missing
    RecordResult(record, SendResult::Permanent("message-missing"));
    return {};
  }
  absl::StatusOr<Destination> destination = lookup_(record);
  if (!destination.ok()) {
    spdlog::warn(
        R"("event":"reminder_lookup_failed","reminder":"{}","code":"{}")",
        record.id, absl::StatusCodeToString(destination.status().code()));
    Defer(record, now + options_.lookup_retry);
    return {};
  }
  if (destination->suppress_reason != v1::SUPPRESS_REASON_UNSPECIFIED) {
    Suppress(record, destination->suppress_reason);
    return {};
  }
  if (destination->address.empty()) {
    Suppress(record, v1::SUPPRESS_REASON_NO_ADDRESS);
    return {};
  }
  std::vector<ReminderRecord> companions = Companions(record, now);
  if (!companions.empty()) {
    return SendMerged(record, std::move(companions), *channel->second,
                      std::move(destination->address), now);
  }
  OutgoingMessage message{record.id, record.idempotency_key,
                          std::move(destination->address), due.message.subject,
                          due.message.body};
  RecordResult(record, channel->second->Send(message));
  return {};
}

std::vector<ReminderRecord> Dispatcher::Companions(
    const ReminderRecord& record, absl::Time now) {
  if (!options_.merge_renderer) return {};
  absl::StatusOr<std::string> recipient = RecipientKey(record.recipient);
  if (!recipient.ok()) return {};
  std::vector<ReminderRecord> pending;
  absl::Status read = transaction_([&](Outbox& outbox) -> absl::Status {
    ASSIGN_OR_RETURN(pending, outbox.PendingFor(*recipient, record.channel,
                                                now + options_.merge_horizon));
    return absl::OkStatus();
  });
  if (!read.ok()) {
    spdlog::warn(
        R"("event":"reminder_merge_lookup_failed","reminder":"{}","code":"{}")",
        record.id, absl::StatusCodeToString(read.code()));
    return {};
  }
  return SameDayCompanions(record, pending);
}

std::vector<int64_t> Dispatcher::SendMerged(
    const ReminderRecord& record, std::vector<ReminderRecord> companions,
    Channel& channel, std::string address, absl::Time now) {
  std::vector<ReminderRecord> members = {record};
  for (ReminderRecord& c : companions) members.push_back(std::move(c));
  absl::StatusOr<RenderedMessage> text = options_.merge_renderer(members);
  if (!text.ok()) {
    spdlog::warn(
        R"("event":"reminder_merge_render_failed","reminder":"{}","code":"{}")",
        record.id, absl::StatusCodeToString(text.status().code()));
    Defer(record, now + options_.lookup_retry);
    return {};
  }
  std::vector<std::string> keys;
  for (const ReminderRecord& m : members) keys.push_back(m.idempotency_key);
  OutgoingMessage message{record.id, MergedIdempotencyKey(std::move(keys)),
                          std::move(address), text->subject, text->body};
  const SendResult result = channel.Send(message);
  if (!result.ok()) {
    RecordResult(record, result);
    return {};
  }
  const bool recorded = Record(record.id, [&](Outbox& outbox) -> absl::Status {
    const absl::Time at = clock_();
    for (const ReminderRecord& m : members) {
      RETURN_IF_ERROR(outbox.MarkSent(m.row_id, at).status());
    }
    return absl::OkStatus();
  });
  if (!recorded) return {};
  std::vector<int64_t> along;
  for (const ReminderRecord& m : members) {
    ++sent_;
    Report(m, kOutcomeSent);
    spdlog::info(
        R"("event":"reminder_sent","reminder":"{}","attempt":{},"merged_with":"{}")",
        m.id, m.attempt_count + 1, record.id);
    if (m.row_id != record.row_id) along.push_back(m.row_id);
  }
  return along;
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
  Report(record, kOutcomeSuppressed);
  spdlog::info(R"("event":"reminder_suppressed","reminder":"{}","reason":"{}")",
               record.id, v1::SuppressReason_Name(reason));
}

void Dispatcher::Defer(const ReminderRecord& record, absl::Time until) {
  const bool recorded = Record(record.id, [&](Outbox& outbox) {
    return outbox.Defer(record.row_id, until).status();
  });
  if (!recorded) return;
  ++deferred_;
  Report(record, kOutcomeDeferred);
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
    Report(record, kOutcomeSent);
    spdlog::info(R"("event":"reminder_sent","reminder":"{}","attempt":{})",
                 record.id, record.attempt_count + 1);
    return;
  }
  if (after.status == v1::REMINDER_STATUS_DEAD) {
    ++dead_;
    Report(record, kOutcomeDead);
  }
  if (after.status == v1::REMINDER_STATUS_FAILED) {
    ++failed_;
    Report(record, kOutcomeFailed);
  }
  spdlog::warn(
      R"("event":"reminder_send_failed","reminder":"{}","code":"{}","status":"{}","attempts":{})",
      record.id, common::JsonEscape(result.error_code),
      StatusName(after.status), after.attempt_count);
}

void Dispatcher::Report(const ReminderRecord& record,
                        absl::string_view outcome) {
  if (options_.on_outcome) options_.on_outcome(record.channel, outcome);
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
