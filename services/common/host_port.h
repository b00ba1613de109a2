// "host:port" flags for the plain HTTP listeners (metrics, the gateway),
// which httplib binds by host and port separately. gRPC listeners take the
// string as it is.
#ifndef TANDEM_SERVICES_COMMON_HOST_PORT_H_
#define TANDEM_SERVICES_COMMON_HOST_PORT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tandem::common {

struct HostPort {
  std::string host;  // brackets of "[::1]" removed
  int port = 0;      // 0: any free port
};

// INVALID_ARGUMENT naming `flag` ("--listen") when `address` is not
// host:port with a port in 0-65535.
absl::StatusOr<HostPort> ParseHostPort(const std::string& address,
                                       absl::string_view flag);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_HOST_PORT_H_
