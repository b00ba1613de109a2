// Everything a service binary needs to be secure, made once from its
// command-line flags: TLS credentials for its port and for calling peers,
// the authenticator (peer certificates + user tokens), the audit trail and
// the admin-only AuditService over it, and the CallGate its API runs
// through. See docs in README "Security".
//
// Flags: --tls_cert --tls_key --tls_ca (all three, or none on loopback),
// --jwt_public_key --jwt_algorithm --jwt_issuer --jwt_audience,
// --peer_services, --audit_db.
#ifndef TANDEM_SERVICES_COMMON_SERVICE_SECURITY_H_
#define TANDEM_SERVICES_COMMON_SERVICE_SECURITY_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "services/common/access_policy.h"
#include "services/common/audit/audit_log.h"
#include "services/common/audit/audit_service.h"
#include "services/common/call_gate.h"
#include "services/common/caller.h"
#include "services/common/server_runtime.h"
#include "services/common/sqlite.h"

ABSL_DECLARE_FLAG(std::string, tls_cert);
ABSL_DECLARE_FLAG(std::string, tls_key);
ABSL_DECLARE_FLAG(std::string, tls_ca);
ABSL_DECLARE_FLAG(std::string, jwt_public_key);
ABSL_DECLARE_FLAG(std::string, jwt_algorithm);
ABSL_DECLARE_FLAG(std::string, jwt_issuer);
ABSL_DECLARE_FLAG(std::string, jwt_audience);
ABSL_DECLARE_FLAG(std::string, peer_services);
ABSL_DECLARE_FLAG(std::string, audit_db);

namespace tandem::common {

struct SecuritySetup {
  std::string service_name;      // "booking": the CN of its certificate
  std::string listen_address;    // plaintext is refused unless loopback
  // The services allowed to call this one when --peer_services is not
  // given ("none" on the command line allows none).
  std::vector<std::string> default_peers;
  const AccessPolicy* policy = nullptr;
  std::string default_audit_db;  // used when --audit_db is empty
};

struct ServiceSecurity {
  std::shared_ptr<grpc::ServerCredentials> server_credentials;
  // For calls to peer services (mutual TLS when TLS is on).
  std::shared_ptr<grpc::ChannelCredentials> peer_credentials;
  std::unique_ptr<Authenticator> authenticator;
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<CallGate> gate;
  // Register with the server next to the service's own API.
  std::unique_ptr<audit::AuditService> audit_service;
};

// INVALID_ARGUMENT / FAILED_PRECONDITION naming the flag when a file is
// missing or unusable, or TLS is off on a non-loopback address.
absl::StatusOr<std::unique_ptr<ServiceSecurity>> ServiceSecurityFromFlags(
    const SecuritySetup& setup);

// The server options of --listen/--port_file with the TLS credentials.
ServerOptions ServerOptionsFromFlags(std::string service_name,
                                     const ServiceSecurity& security);

// "<directory of the service's database>/<service>.audit.db".
std::string DefaultAuditDb(const DatabaseOptions& database,
                           absl::string_view service_name);

// "a,b" -> {"a","b"}; "none" -> {}; "" -> `defaults`.
std::vector<std::string> ParsePeerList(const std::string& flag,
                                       const std::vector<std::string>& defaults);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_SERVICE_SECURITY_H_
