// How tandemctl reaches a service. Every channel of tandemctl (the
// commands' and `demo seed`'s) comes from MakeChannel:
//
//   - the CA file exists: TLS, the server's certificate verified against
//     that CA (the development CA of deploy/dev-pki names 127.0.0.1 and
//     localhost, so the default addresses verify);
//   - no CA file, loopback address (127.x, ::1, localhost, a unix socket):
//     plaintext, for services started without TLS on this machine;
//   - no CA file, any other address: FAILED_PRECONDITION saying which CA
//     file is missing, so a bearer token never crosses a network in clear.
#ifndef TANDEM_CLIENTS_TANDEMCTL_CHANNEL_H_
#define TANDEM_CLIENTS_TANDEMCTL_CHANNEL_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/loopback_address.h"

namespace tandem::cli {

// Whether a gRPC target names this machine only (see loopback_address.h).
using common::IsLoopbackAddress;

enum class Transport { kTls, kPlaintextLoopback };

// The decision above, without touching files: `ca_exists` says whether
// `ca_file` exists. FAILED_PRECONDITION for plaintext to a remote address.
absl::StatusOr<Transport> ChooseTransport(absl::string_view address,
                                          absl::string_view ca_file,
                                          bool ca_exists);

// A channel to `address` (see above). FAILED_PRECONDITION when the CA file
// is missing for a remote address or cannot be read.
//
// `bearer_token` non-empty: every call made on the channel carries
// "authorization: Bearer <bearer_token>" (an interceptor adds it), for code
// that makes its own ClientContexts, like the demo seeder. tandemctl's own
// calls add the header per call instead (Context::PrepareCall).
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(
    const std::string& address, const std::string& ca_file,
    const std::string& bearer_token = "");

}  // namespace tandem::cli

#endif  // TANDEM_CLIENTS_TANDEMCTL_CHANNEL_H_
