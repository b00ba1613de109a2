#include "services/followup/followup_service.h"

#include "absl/strings/str_cat.h"

namespace tandem::followup {

grpc::ServerUnaryReactor* FollowUpService::NotYet(
    grpc::CallbackServerContext* context, const char* method) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status(
      grpc::StatusCode::UNIMPLEMENTED,
      absl::StrCat(method,
                   ": reminders are not served by this version of the "
                   "follow-up service yet")));
  return reactor;
}

}  // namespace tandem::followup
