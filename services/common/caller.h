// Who is calling. Every handler asks the Authenticator for the Caller before
// it touches data, and records Caller::subject in histories and audits.
//
// Until the security work lands, services run with LocalDevAuthenticator:
// every call is the local administrator. The seam is here so that adding
// token verification changes this file's implementations, not the handlers.
#ifndef TANDEM_SERVICES_COMMON_CALLER_H_
#define TANDEM_SERVICES_COMMON_CALLER_H_

#include <grpcpp/grpcpp.h>

#include <string>

#include "absl/status/statusor.h"

namespace tandem::common {

enum class Role { kAdmin, kCoordinator, kTherapist, kService };

struct Caller {
  std::string subject;  // stable user or service id, never a name
  Role role = Role::kAdmin;
  std::string therapist_id;  // set for Role::kTherapist
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // UNAUTHENTICATED when the call carries no valid credentials.
  virtual absl::StatusOr<Caller> Authenticate(
      const grpc::ServerContextBase& context) const = 0;
};

// Treats every call as the local administrator (loopback development only).
class LocalDevAuthenticator final : public Authenticator {
 public:
  absl::StatusOr<Caller> Authenticate(
      const grpc::ServerContextBase& context) const override;
};

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_CALLER_H_
