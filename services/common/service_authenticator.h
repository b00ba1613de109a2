// The Authenticator every service runs with. A call is either
//   - from a peer service: it presented a client certificate that the TLS
//     layer verified against the CA; its CN names the service, which must
//     be on this service's allow-list (a service accepts internal calls
//     only from the services that need them), and the caller gets the
//     service role; or
//   - from an end user: no certificate, a bearer JWT verified by
//     JwtVerifier (which never grants the service role).
// Anything else is UNAUTHENTICATED.
#ifndef TANDEM_SERVICES_COMMON_SERVICE_AUTHENTICATOR_H_
#define TANDEM_SERVICES_COMMON_SERVICE_AUTHENTICATOR_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "services/common/caller.h"
#include "services/common/jwt_verifier.h"

namespace tandem::common {

class ServiceAuthenticator final : public Authenticator {
 public:
  // `verifier` empty: no user tokens are accepted (only peer services).
  ServiceAuthenticator(std::string service_name,
                       std::optional<JwtVerifier> verifier,
                       const std::vector<std::string>& allowed_peers);
  ~ServiceAuthenticator() override;

  absl::StatusOr<Caller> Authenticate(
      const grpc::ServerContextBase& context) const override;

 private:
  std::string service_name_;
  std::unique_ptr<JwtAuthenticator> tokens_;  // null: no user tokens
  absl::flat_hash_set<std::string> allowed_peers_;
};

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_SERVICE_AUTHENTICATOR_H_
