#include "tests/integration/health_check.h"

#include <grpcpp/generic/generic_stub.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace tandem::testing {

namespace {
constexpr absl::Duration kDeadline = absl::Seconds(5);
}  // namespace

grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& service, std::string* reply) {
  std::string request_bytes;
  if (!service.empty()) {
    request_bytes = absl::StrCat(
        "\x0a", std::string(1, static_cast<char>(service.size())), service);
  }
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kDeadline));
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(),
                 &request, &response, [&](grpc::Status result) {
                   status = std::move(result);
                   done.Notify();
                 });
  // The deadline guarantees the callback; this bound only guards a bug.
  if (!done.WaitForNotificationWithTimeout(kDeadline + absl::Seconds(5))) {
    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "no callback");
  }
  reply->clear();
  std::vector<grpc::Slice> slices;
  if (status.ok() && response.Dump(&slices).ok()) {
    for (const grpc::Slice& part : slices) {
      reply->append(reinterpret_cast<const char*>(part.begin()), part.size());
    }
  }
  return status;
}

}  // namespace tandem::testing
