// TLS for every listening port and mutual TLS between services.
//
// A service presents its own certificate (CN = the service's name) both as
// a server and when it calls a peer; the peer verifies it against the CA
// and learns from the CN which service is calling (see
// ServiceAuthenticator). End users' clients present no certificate: they
// verify the server and send a bearer token.
#ifndef TANDEM_SERVICES_COMMON_TLS_CREDENTIALS_H_
#define TANDEM_SERVICES_COMMON_TLS_CREDENTIALS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tandem::common {

// PEM files of one service. All empty: plaintext (loopback only).
struct TlsFiles {
  std::string cert;  // this service's certificate (chain)
  std::string key;   // its private key
  std::string ca;    // the CA that signs every service's certificate

  bool enabled() const { return !cert.empty() || !key.empty() || !ca.empty(); }
};

// Server credentials for `listen_address`: TLS that asks for a client
// certificate and verifies it when one is given (a service), or accepts
// none (an end user with a token). Without TLS files, plaintext, which is
// refused (FAILED_PRECONDITION, saying why) on anything but loopback.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>>
MakeServerCredentials(const TlsFiles& files, absl::string_view listen_address);

// Credentials for calling a peer service: the CA to verify it and this
// service's certificate to identify itself. Plaintext without TLS files.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
MakeChannelCredentials(const TlsFiles& files);

// Reads a whole file; NOT_FOUND / FAILED_PRECONDITION naming `what` (a
// flag name) and the path.
absl::StatusOr<std::string> ReadPemFile(const std::string& path,
                                        absl::string_view what);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_TLS_CREDENTIALS_H_
