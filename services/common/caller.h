// Who is calling. Every handler receives the Caller that the service's
// CallGate authenticated, checks what the caller may see or change (the
// object-level checks), and records Caller::subject in histories.
//
// A caller holds one or more roles: an identity provider commonly issues
// several (a small clinic's director is both admin and coordinator). A
// permission holds when any of the caller's roles grants it.
#ifndef TANDEM_SERVICES_COMMON_CALLER_H_
#define TANDEM_SERVICES_COMMON_CALLER_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <initializer_list>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tandem::common {

enum class Role : uint8_t { kAdmin, kCoordinator, kTherapist, kService };

// "admin", "coordinator", "therapist", "service".
absl::string_view RoleName(Role role);

// A set of roles (a bit per Role).
class Roles {
 public:
  Roles() = default;
  Roles(std::initializer_list<Role> roles) {
    for (Role role : roles) Add(role);
  }
  void Add(Role role) { bits_ |= Bit(role); }
  bool Has(Role role) const { return (bits_ & Bit(role)) != 0; }
  bool HasAny(Roles other) const { return (bits_ & other.bits_) != 0; }
  bool empty() const { return bits_ == 0; }
  // "admin+coordinator": for audit records and errors.
  std::string ToString() const;
  bool operator==(const Roles&) const = default;

 private:
  static uint8_t Bit(Role role) {
    return static_cast<uint8_t>(1u << static_cast<unsigned>(role));
  }
  uint8_t bits_ = 0;
};

struct Caller {
  std::string subject;  // stable user or service id, never a name
  Roles roles;
  std::string therapist_id;  // set when roles has kTherapist

  bool Has(Role role) const { return roles.Has(role); }
  // A therapist and nothing that sees every couple: their reads are limited
  // to their own intensives, contacts and roster.
  bool OnlyTherapist() const {
    return roles.Has(Role::kTherapist) &&
           !roles.HasAny({Role::kAdmin, Role::kCoordinator, Role::kService});
  }
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // UNAUTHENTICATED when the call carries no valid credentials;
  // PERMISSION_DENIED when they are valid but may not call this service
  // (a peer service that is not on the allow-list).
  virtual absl::StatusOr<Caller> Authenticate(
      const grpc::ServerContextBase& context) const = 0;
};

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_CALLER_H_
