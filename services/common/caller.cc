#include "services/common/caller.h"

#include <vector>

#include "absl/strings/str_join.h"

namespace tandem::common {

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kCoordinator:
      return "coordinator";
    case Role::kTherapist:
      return "therapist";
    case Role::kService:
      return "service";
  }
  return "unknown";
}

std::string Roles::ToString() const {
  std::vector<absl::string_view> names;
  for (Role role : {Role::kAdmin, Role::kCoordinator, Role::kTherapist,
                    Role::kService}) {
    if (Has(role)) names.push_back(RoleName(role));
  }
  return absl::StrJoin(names, "+");
}

}  // namespace tandem::common
