#include "services/followup/reminder_metrics.h"

#include <utility>

#include "services/followup/delivery/dispatcher.h"

namespace tandem::followup {

std::string ReminderChannelLabel(v1::ReminderChannel channel) {
  switch (channel) {
    case v1::REMINDER_CHANNEL_EMAIL:
      return "email";
    case v1::REMINDER_CHANNEL_SMS:
      return "sms";
    case v1::REMINDER_CHANNEL_FILE:
      return "file";
    default:
      return "unspecified";
  }
}

absl::StatusOr<DeliveryOutcomeHook> RegisterReminderMetrics(
    common::MetricsRegistry& registry,
    std::function<absl::StatusOr<int64_t>()> depth) {
  absl::Status gauge = registry.AddCallbackGauge(
      "tandem_reminder_outbox_depth",
      "Reminders waiting in the outbox (queued or failed and to be retried).",
      [depth = std::move(depth)]() -> absl::StatusOr<double> {
        absl::StatusOr<int64_t> pending = depth();
        if (!pending.ok()) return pending.status();
        return static_cast<double>(*pending);
      });
  if (!gauge.ok()) return gauge;
  absl::StatusOr<common::CounterFamily*> deliveries = registry.AddCounter(
      "tandem_reminder_deliveries_total",
      "Outcomes the reminder dispatcher recorded, by channel: sent, failed "
      "(will retry), dead (given up), suppressed, deferred (quiet hours or "
      "address lookup).",
      {"channel", "outcome"});
  if (!deliveries.ok()) return deliveries.status();
  for (v1::ReminderChannel channel :
       {v1::REMINDER_CHANNEL_EMAIL, v1::REMINDER_CHANNEL_SMS,
        v1::REMINDER_CHANNEL_FILE}) {
    for (absl::string_view outcome :
         {delivery::kOutcomeSent, delivery::kOutcomeFailed,
          delivery::kOutcomeDead, delivery::kOutcomeSuppressed,
          delivery::kOutcomeDeferred}) {
      (*deliveries)
          ->Touch({ReminderChannelLabel(channel), std::string(outcome)});
    }
  }
  common::CounterFamily* counter = *deliveries;
  return DeliveryOutcomeHook([counter](v1::ReminderChannel channel,
                                       absl::string_view outcome) {
    counter->Increment({ReminderChannelLabel(channel), std::string(outcome)});
  });
}

}  // namespace tandem::followup
