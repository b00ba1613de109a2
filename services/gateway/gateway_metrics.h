// The gateway's own metrics (--metrics_listen), in the families the services
// use, so that one dashboard reads both:
//
//   tandem_rpc_requests_total{service,method,code}   forwarded calls
//   tandem_rpc_duration_seconds{service,method}      their duration
//   tandem_http_requests_total{kind,status}          every HTTP request
//
// `service` and `method` name a method only when a backend knew it (it
// answered anything but UNIMPLEMENTED); otherwise both are "unknown", so
// that no path a browser chose becomes a label. `kind` is one of rpc,
// static, auth, calendar, other; `status` the HTTP status the gateway answered.
#ifndef TANDEM_SERVICES_GATEWAY_GATEWAY_METRICS_H_
#define TANDEM_SERVICES_GATEWAY_GATEWAY_METRICS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/metrics.h"

namespace tandem::gateway {

class GatewayMetrics {
 public:
  // Registers the families in `registry`, which must outlive this object.
  static absl::StatusOr<std::unique_ptr<GatewayMetrics>> Create(
      common::MetricsRegistry& registry);

  // One finished request. `known_method` is "/<service>/<method>" of a
  // method a backend knew, or empty; `grpc_code` is negative when the
  // request was no forwarded call.
  void Record(absl::string_view kind, int http_status,
              absl::string_view known_method, int grpc_code,
              absl::Duration took);

 private:
  GatewayMetrics(common::CounterFamily* rpc_requests,
                 common::HistogramFamily* rpc_durations,
                 common::CounterFamily* http_requests)
      : rpc_requests_(rpc_requests),
        rpc_durations_(rpc_durations),
        http_requests_(http_requests) {}

  common::CounterFamily* const rpc_requests_;
  common::HistogramFamily* const rpc_durations_;
  common::CounterFamily* const http_requests_;
};

}  // namespace tandem::gateway

#endif  // TANDEM_SERVICES_GATEWAY_GATEWAY_METRICS_H_
