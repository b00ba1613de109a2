#include "services/roster/call_group.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_client.h"

namespace tandem::roster {

absl::Status FromSource(const std::string& source, const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::CANCELLED:
      return absl::UnavailableError(absl::StrCat(
          source, " is unavailable (", status.error_message(),
          "); the roster cannot be assembled without it, try again shortly"));
    default:
      return common::FromGrpc(status);
  }
}

CallGroup::CallGroup(absl::Duration timeout)
    : deadline_(absl::Now() + timeout) {}

CallGroup::~CallGroup() { Wait().IgnoreError(); }

void CallGroup::Start(
    const std::string& source,
    const std::function<void(grpc::ClientContext*, Done)>& start) {
  auto call = std::make_unique<Call>();
  call->source = source;
  call->context.set_deadline(absl::ToChronoTime(deadline_));
  Call* raw = call.get();
  calls_.push_back(std::move(call));
  {
    absl::MutexLock lock(&mu_);
    ++running_;
  }
  start(&raw->context, [this, raw](grpc::Status status) {
    absl::MutexLock lock(&mu_);
    raw->status = std::move(status);
    --running_;
  });
}

absl::Status CallGroup::Wait() {
  {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](int* running) { return *running == 0; }, &running_));
  }
  for (const auto& call : calls_) {
    if (!call->status.ok()) return FromSource(call->source, call->status);
  }
  return absl::OkStatus();
}

}  // namespace tandem::roster
