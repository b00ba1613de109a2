// grpc.health.v1 Check from tests, with hand-encoded messages (Debian ships
// no health proto header): HealthCheckRequest{string service = 1},
// HealthCheckResponse{ServingStatus status = 1}.
#ifndef TANDEM_TESTS_INTEGRATION_HEALTH_CHECK_H_
#define TANDEM_TESTS_INTEGRATION_HEALTH_CHECK_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

namespace tandem::testing {

// The raw HealthCheckResponse bytes go to `reply` ("\x08\x01" is SERVING,
// "\x08\x02" NOT_SERVING). Unknown services are NOT_FOUND.
grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& service, std::string* reply);

inline constexpr char kServingReply[] = "\x08\x01";
inline constexpr char kNotServingReply[] = "\x08\x02";

}  // namespace tandem::testing

#endif  // TANDEM_TESTS_INTEGRATION_HEALTH_CHECK_H_
