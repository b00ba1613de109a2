#include "services/gateway/gateway_metrics.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/gateway/backend_routes.h"

namespace tandem::gateway {

namespace {
constexpr char kUnknown[] = "unknown";
}  // namespace

absl::StatusOr<std::unique_ptr<GatewayMetrics>> GatewayMetrics::Create(
    common::MetricsRegistry& registry) {
  ASSIGN_OR_RETURN(
      common::CounterFamily * rpc_requests,
      registry.AddCounter("tandem_rpc_requests_total",
                          "gRPC-Web calls forwarded, by final status code.",
                          {"service", "method", "code"}));
  ASSIGN_OR_RETURN(
      common::HistogramFamily * rpc_durations,
      registry.AddHistogram("tandem_rpc_duration_seconds",
                            "Forwarded calls from request to trailer.",
                            {"service", "method"},
                            common::LatencyBucketsSeconds()));
  ASSIGN_OR_RETURN(
      common::CounterFamily * http_requests,
      registry.AddCounter("tandem_http_requests_total",
                          "HTTP requests answered, by kind and status.",
                          {"kind", "status"}));
  return std::unique_ptr<GatewayMetrics>(
      new GatewayMetrics(rpc_requests, rpc_durations, http_requests));
}

void GatewayMetrics::Record(absl::string_view kind, int http_status,
                            absl::string_view known_method, int grpc_code,
                            absl::Duration took) {
  http_requests_->Increment({std::string(kind), absl::StrCat(http_status)});
  if (grpc_code < 0) return;
  std::string service = kUnknown, method = kUnknown;
  if (std::optional<MethodPath> path = ParseMethodPath(known_method)) {
    service = std::move(path->service);
    method = std::move(path->method);
  }
  rpc_requests_->Increment(
      {service, method,
       absl::StatusCodeToString(static_cast<absl::StatusCode>(grpc_code))});
  rpc_durations_->Observe({service, method}, absl::ToDoubleSeconds(took));
}

}  // namespace tandem::gateway
