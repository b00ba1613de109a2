// The security every integration test runs with, as in production: each
// service process gets its certificate from a development PKI (made once
// per test process by deploy/dev-pki in a temporary directory) and verifies
// user tokens with the PKI's development key; tests call as users with
// tokens minted here, or as a peer service with that service's certificate.
#ifndef TANDEM_TESTS_INTEGRATION_TEST_SECURITY_H_
#define TANDEM_TESTS_INTEGRATION_TEST_SECURITY_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/common/caller.h"

namespace tandem::testing {

// The shared PKI's directory (ca.crt, <service>.crt/.key, jwt-dev.key/.pub).
// Aborts the test process if deploy/dev-pki fails: nothing could run.
const std::string& TestPkiDir();

// The flags that give `service` ("booking") its certificate, the CA and
// the token key.
std::vector<std::string> ServiceSecurityFlags(const std::string& service);

// A token signed with the PKI's development key.
std::string MintTestToken(common::Roles roles,
                          const std::string& therapist_id = "",
                          const std::string& subject = "test:operator",
                          absl::Duration ttl = absl::Minutes(30));

// TLS to a service plus `token` on every call ("" sends none).
std::shared_ptr<grpc::ChannelCredentials> UserCredentials(
    const std::string& token);
// Mutual TLS presenting `service`'s certificate, as that peer service does.
std::shared_ptr<grpc::ChannelCredentials> PeerCredentials(
    const std::string& service);
// TLS without a client certificate and without a token.
std::shared_ptr<grpc::ChannelCredentials> AnonymousTlsCredentials();

// A channel to `target` (127.0.0.1:PORT) with `credentials`.
std::shared_ptr<grpc::Channel> SecureChannel(
    const std::string& target,
    std::shared_ptr<grpc::ChannelCredentials> credentials);

// The harness's default caller: admin and coordinator at once, so a test
// can set up the clinic and book without juggling tokens.
std::string OperatorToken();

}  // namespace tandem::testing

#endif  // TANDEM_TESTS_INTEGRATION_TEST_SECURITY_H_
