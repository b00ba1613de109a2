#include "services/common/known_method.h"

#include <google/protobuf/descriptor.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace tandem::common {

namespace {
constexpr char kUnknown[] = "unknown";
}  // namespace

std::string KnownMethod::path() const {
  return known() ? absl::StrCat("/", service, "/", method) : kUnknown;
}

KnownMethod IdentifyMethod(const char* path) {
  const absl::string_view full = path != nullptr ? path : "";
  const size_t slash = full.rfind('/');
  if (full.size() < 4 || full[0] != '/' || slash == 0 ||
      slash == absl::string_view::npos || slash + 1 == full.size()) {
    return {kUnknown, kUnknown};
  }
  std::string service(full.substr(1, slash - 1));
  std::string method(full.substr(slash + 1));
  // gRPC's own health service is not a protobuf-generated one here.
  if (service == "grpc.health.v1.Health" &&
      (method == "Check" || method == "Watch")) {
    return {std::move(service), std::move(method)};
  }
  const google::protobuf::ServiceDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          service);
  if (descriptor == nullptr ||
      descriptor->FindMethodByName(method) == nullptr) {
    return {kUnknown, kUnknown};
  }
  return {std::move(service), std::move(method)};
}

}  // namespace tandem::common
