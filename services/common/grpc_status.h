// The one place where Tandem's internal absl::Status becomes a grpc::Status.
#ifndef TANDEM_SERVICES_COMMON_GRPC_STATUS_H_
#define TANDEM_SERVICES_COMMON_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace tandem::common {

// Maps code and message one to one (absl's codes are gRPC's codes). The
// message is passed through unchanged: callers must already have kept client
// data out of it.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_GRPC_STATUS_H_
