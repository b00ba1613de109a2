#include "services/common/access_policy.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace tandem::common {

bool IsReadMethod(absl::string_view method) {
  return absl::StartsWith(method, "Get") || absl::StartsWith(method, "List") ||
         absl::StartsWith(method, "Export");
}

AccessPolicy::AccessPolicy(
    std::string service_name,
    std::initializer_list<std::pair<const char*, MethodRule>> rules)
    : service_name_(std::move(service_name)) {
  for (const auto& [method, rule] : rules) rules_.emplace(method, rule);
}

const MethodRule* AccessPolicy::Find(absl::string_view method) const {
  auto it = rules_.find(method);
  return it == rules_.end() ? nullptr : &it->second;
}

absl::Status AccessPolicy::Check(const Caller& caller,
                                 absl::string_view method) const {
  const MethodRule* rule = Find(method);
  if (rule == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat(service_name_, ".", method, " is not open to anyone"));
  }
  if (caller.roles.HasAny(rule->roles)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat(method, " is for ", rule->roles.ToString(),
                   "; the caller is ", caller.roles.ToString()));
}

std::vector<std::string> AccessPolicy::Missing(
    const google::protobuf::ServiceDescriptor& service) const {
  std::vector<std::string> missing;
  for (int i = 0; i < service.method_count(); ++i) {
    const std::string& name = service.method(i)->name();
    if (Find(name) == nullptr) missing.push_back(name);
  }
  return missing;
}

}  // namespace tandem::common
