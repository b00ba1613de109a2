// A server interceptor that logs one line per RPC: method, status code and
// duration. Never the request or response: they may carry client data.
#ifndef TANDEM_SERVICES_COMMON_ACCESS_LOG_H_
#define TANDEM_SERVICES_COMMON_ACCESS_LOG_H_

#include <grpcpp/support/server_interceptor.h>

namespace tandem::common {

class AccessLogInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_ACCESS_LOG_H_
