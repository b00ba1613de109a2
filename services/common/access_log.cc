#include "services/common/access_log.h"

#include <spdlog/spdlog.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/known_method.h"
#include "services/common/logging.h"

namespace tandem::common {

namespace {

using grpc::experimental::InterceptionHookPoints;

class AccessLogInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit AccessLogInterceptor(grpc::experimental::ServerRpcInfo* info)
      // A path this binary does not know is client-chosen text: logged
      // as "unknown", never verbatim.
      : method_(IdentifyMethod(info->method()).path()), start_(absl::Now()) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const double ms = absl::ToDoubleMilliseconds(absl::Now() - start_);
      // Health probes arrive every few seconds; keep them out of info.
      const auto level = absl::StartsWith(method_, "/grpc.health.")
                             ? spdlog::level::debug
                             : spdlog::level::info;
      spdlog::log(level, R"("event":"rpc","method":"{}","code":{},"ms":{:.3f})",
                  JsonEscape(method_), static_cast<int>(status.error_code()),
                  ms);
    }
    methods->Proceed();
  }

 private:
  const std::string method_;
  const absl::Time start_;
};

}  // namespace

grpc::experimental::Interceptor*
AccessLogInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new AccessLogInterceptor(info);
}

}  // namespace tandem::common
