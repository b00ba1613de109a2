// The one place where Tandem's internal absl::Status becomes a grpc::Status.
#ifndef TANDEM_SERVICES_COMMON_GRPC_STATUS_H_
#define TANDEM_SERVICES_COMMON_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace tandem::common {

// The absl::Status payload that carries typed error details: a serialized
// message wire-compatible with google.rpc.Status (code, message, repeated
// Any), sent to the client as the "grpc-status-details-bin" trailer. Each
// service builds it from its own error-details proto.
inline constexpr absl::string_view kStatusDetailsPayload =
    "type.googleapis.com/google.rpc.Status";

// Maps code and message one to one (absl's codes are gRPC's codes), plus the
// details payload if present. The message is passed through unchanged:
// callers must already have kept client data out of it.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_GRPC_STATUS_H_
