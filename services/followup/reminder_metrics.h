// The follow-up service's reminder metrics, next to the RPC metrics on
// --metrics_listen:
//
//   tandem_reminder_outbox_depth                      gauge, read at scrape
//   tandem_reminder_deliveries_total{channel,outcome} counter
//
// channel is "email", "sms" or "file"; outcome is the dispatcher's
// ("sent", "failed", "dead", "suppressed", "deferred"). No reminder id,
// recipient or text ever becomes a label.
#ifndef TANDEM_SERVICES_FOLLOWUP_REMINDER_METRICS_H_
#define TANDEM_SERVICES_FOLLOWUP_REMINDER_METRICS_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/metrics.h"
#include "tandem/followup/v1/followup.pb.h"

namespace tandem::followup {

// What DispatcherOptions::on_outcome takes.
using DeliveryOutcomeHook =
    std::function<void(v1::ReminderChannel, absl::string_view)>;

// "email", "sms", "file"; "unspecified" for anything else.
std::string ReminderChannelLabel(v1::ReminderChannel channel);

// Registers both families in `registry` (which must outlive the hook and
// every scrape); `depth` is called at each scrape (pending reminders: QUEUED
// and FAILED; an error leaves the gauge out of that scrape). Every channel
// and outcome starts at 0, so the series exist before the first delivery.
// Returns the hook that counts the dispatcher's outcomes.
absl::StatusOr<DeliveryOutcomeHook> RegisterReminderMetrics(
    common::MetricsRegistry& registry,
    std::function<absl::StatusOr<int64_t>()> depth);

}  // namespace tandem::followup

#endif  // TANDEM_SERVICES_FOLLOWUP_REMINDER_METRICS_H_
