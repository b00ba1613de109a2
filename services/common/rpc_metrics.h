// A server interceptor that counts every RPC into a MetricsRegistry:
//
//   tandem_rpc_requests_total{service,method,code}  counter
//   tandem_rpc_duration_seconds{service,method}     histogram
//
// `service` and `method` are the gRPC names ("tandem.directory.v1.
// DirectoryService", "GetTherapist") of methods this binary knows (compiled
// in, or the health service); any other path a client sends is counted as
// service="unknown", method="unknown", so that nothing a client chooses
// becomes a label. `code` is the status code's name ("NOT_FOUND"). The
// duration runs from the call's arrival to its status: for streams
// (WatchChanges, reflection) that is the stream's lifetime. A call that ends
// without a status being sent (the client went away) counts as CANCELLED.
#ifndef TANDEM_SERVICES_COMMON_RPC_METRICS_H_
#define TANDEM_SERVICES_COMMON_RPC_METRICS_H_

#include <grpcpp/support/server_interceptor.h>

#include <memory>

#include "absl/status/statusor.h"
#include "services/common/metrics.h"

namespace tandem::common {

class RpcMetricsInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // Registers the two families in `registry`, which must outlive the
  // factory and every call of the server it is installed in.
  static absl::StatusOr<std::unique_ptr<RpcMetricsInterceptorFactory>> Create(
      MetricsRegistry& registry);

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  RpcMetricsInterceptorFactory(CounterFamily* requests,
                               HistogramFamily* durations)
      : requests_(requests), durations_(durations) {}

  CounterFamily* const requests_;
  HistogramFamily* const durations_;
};

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_RPC_METRICS_H_
