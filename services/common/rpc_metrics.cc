#include "services/common/rpc_metrics.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/known_method.h"

namespace tandem::common {

namespace {

using grpc::experimental::InterceptionHookPoints;

// {service, method}: only names this binary knows become labels.
LabelValues ServiceAndMethod(const char* path) {
  KnownMethod known = IdentifyMethod(path);
  return {std::move(known.service), std::move(known.method)};
}

std::string CodeName(grpc::StatusCode code) {
  std::string name =
      absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  return name.empty() ? "UNKNOWN" : name;
}

class RpcMetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  RpcMetricsInterceptor(grpc::experimental::ServerRpcInfo* info,
                        CounterFamily* requests, HistogramFamily* durations)
      : labels_(ServiceAndMethod(info->method())),
        requests_(requests),
        durations_(durations),
        start_(absl::Now()) {}

  ~RpcMetricsInterceptor() override {
    if (!recorded_) Record(grpc::StatusCode::CANCELLED);
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (!recorded_ && methods->QueryInterceptionHookPoint(
                          InterceptionHookPoints::PRE_SEND_STATUS)) {
      Record(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Record(grpc::StatusCode code) {
    recorded_ = true;
    durations_->Observe(labels_, absl::ToDoubleSeconds(absl::Now() - start_));
    requests_->Increment({labels_[0], labels_[1], CodeName(code)});
  }

  const LabelValues labels_;  // {service, method}
  CounterFamily* const requests_;
  HistogramFamily* const durations_;
  const absl::Time start_;
  bool recorded_ = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<RpcMetricsInterceptorFactory>>
RpcMetricsInterceptorFactory::Create(MetricsRegistry& registry) {
  absl::StatusOr<CounterFamily*> requests = registry.AddCounter(
      "tandem_rpc_requests_total",
      "RPCs handled, by gRPC service, method and final status code.",
      {"service", "method", "code"});
  if (!requests.ok()) return requests.status();
  absl::StatusOr<HistogramFamily*> durations = registry.AddHistogram(
      "tandem_rpc_duration_seconds",
      "Time from an RPC's arrival to its status, by gRPC service and method "
      "(for streams: the stream's lifetime).",
      {"service", "method"}, LatencyBucketsSeconds());
  if (!durations.ok()) return durations.status();
  return std::unique_ptr<RpcMetricsInterceptorFactory>(
      new RpcMetricsInterceptorFactory(*requests, *durations));
}

grpc::experimental::Interceptor*
RpcMetricsInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcMetricsInterceptor(info, requests_, durations_);
}

}  // namespace tandem::common
