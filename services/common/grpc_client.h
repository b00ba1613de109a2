// What every service that calls another service needs: a channel that
// reconnects quickly, and a gRPC status turned back into an absl::Status
// with the error details kept.
#ifndef TANDEM_SERVICES_COMMON_GRPC_CLIENT_H_
#define TANDEM_SERVICES_COMMON_GRPC_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/status.h"

namespace tandem::common {

// A channel to the peer service at `target` with `credentials` (mutual TLS,
// see ServiceSecurity::peer_credentials) whose reconnect backoff stays
// short (100 ms to 2 s): callers retry themselves, and a restarted peer
// should be found again within a couple of seconds.
std::shared_ptr<grpc::Channel> MakeChannel(
    const std::string& target,
    std::shared_ptr<grpc::ChannelCredentials> credentials);

// gRPC status -> absl::Status, keeping the details trailer as the
// kStatusDetailsPayload payload (so it can be forwarded unchanged).
absl::Status FromGrpc(const grpc::Status& status);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_GRPC_CLIENT_H_
