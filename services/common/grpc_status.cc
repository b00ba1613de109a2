#include "services/common/grpc_status.h"

#include "absl/types/optional.h"
#include <string>

namespace tandem::common {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  std::string message(status.message());
  if (absl::optional<absl::Cord> details =
          status.GetPayload(kStatusDetailsPayload)) {
    return grpc::Status(code, std::move(message), std::string(*details));
  }
  return grpc::Status(code, std::move(message));
}

}  // namespace tandem::common
