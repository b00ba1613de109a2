#include "services/common/grpc_client.h"

#include "absl/strings/cord.h"
#include "services/common/grpc_status.h"

namespace tandem::common {

std::shared_ptr<grpc::Channel> MakeChannel(
    const std::string& target,
    std::shared_ptr<grpc::ChannelCredentials> credentials) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  return grpc::CreateCustomChannel(target, std::move(credentials), args);
}

absl::Status FromGrpc(const grpc::Status& status) {
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()),
                   status.error_message());
  if (!out.ok() && !status.error_details().empty()) {
    out.SetPayload(kStatusDetailsPayload, absl::Cord(status.error_details()));
  }
  return out;
}

}  // namespace tandem::common
