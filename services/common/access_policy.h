// Who may call which RPC of a service: the role check at the door. Each
// service declares one AccessPolicy listing every method of its API; a
// method missing from the policy is refused (and a test per service checks
// that none is missing). Object-level checks (a therapist sees only their
// own couples, contacts and roster) stay in the handlers.
#ifndef TANDEM_SERVICES_COMMON_ACCESS_POLICY_H_
#define TANDEM_SERVICES_COMMON_ACCESS_POLICY_H_

#include <google/protobuf/descriptor.h>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/common/caller.h"

namespace tandem::common {

// Whether a method's calls go to the audit trail.
enum class Audit { kNo, kYes };

// Where a method's credential comes from.
enum class Credential {
  // The caller's token or certificate, checked against `roles`.
  kCaller,
  // A secret inside the request that the handler checks (a calendar
  // subscription's token): for clients that cannot sign in, such as
  // calendar apps. The call is admitted without caller credentials, as a
  // Caller with no roles, so the handler must refuse anything else.
  kInRequest,
};

struct MethodRule {
  Roles roles;  // any of these may call (kCaller only)
  Audit audit = Audit::kNo;
  Credential credential = Credential::kCaller;
};

// Role sets most policies share.
inline const Roles kAnyUser = {Role::kAdmin, Role::kCoordinator,
                               Role::kTherapist};
inline const Roles kStaffAndServices = {Role::kAdmin, Role::kCoordinator,
                                        Role::kTherapist, Role::kService};

// Get*, List*, Export*: the methods that change nothing.
bool IsReadMethod(absl::string_view method);

class AccessPolicy {
 public:
  AccessPolicy(std::string service_name,
               std::initializer_list<std::pair<const char*, MethodRule>> rules);

  // PERMISSION_DENIED naming the method and the roles that may call it.
  absl::Status Check(const Caller& caller, absl::string_view method) const;
  // Null for a method the policy does not list.
  const MethodRule* Find(absl::string_view method) const;

  // The methods of `service` this policy does not list (for tests).
  std::vector<std::string> Missing(
      const google::protobuf::ServiceDescriptor& service) const;

 private:
  std::string service_name_;
  absl::flat_hash_map<std::string, MethodRule> rules_;
};

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_ACCESS_POLICY_H_
