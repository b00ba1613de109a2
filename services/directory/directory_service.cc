#include "services/directory/directory_service.h"

#include "services/common/grpc_status.h"
#include "services/common/watch_reactor.h"

namespace tandem::directory {

namespace {

// A stream that ends at once with an error (failed authentication or a bad
// argument): the reactor API needs a reactor even to say no.
class RejectedStream final
    : public grpc::ServerWriteReactor<v1::WatchChangesResponse> {
 public:
  explicit RejectedStream(const absl::Status& status) {
    Finish(common::ToGrpcStatus(status));
  }
  void OnDone() override { delete this; }
};

}  // namespace

grpc::ServerWriteReactor<v1::WatchChangesResponse>*
DirectoryService::WatchChanges(grpc::CallbackServerContext* context,
                               const v1::WatchChangesRequest* request) {
  absl::StatusOr<common::Caller> caller =
      authenticator_->Authenticate(*context);
  if (!caller.ok()) return new RejectedStream(caller.status());
  if (request->after_revision() < 0) {
    return new RejectedStream(
        absl::InvalidArgumentError("after_revision: must not be negative"));
  }
  return new common::WatchReactor<v1::WatchChangesResponse>(
      handler_->store().change_reader(), &handler_->store().notifier(),
      request->after_revision());
}

}  // namespace tandem::directory
