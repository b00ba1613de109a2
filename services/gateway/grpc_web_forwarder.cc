#include "services/gateway/grpc_web_forwarder.h"

#include <chrono>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "services/gateway/grpc_web_frames.h"

namespace tandem::gateway {

namespace {

// The gRPC-Web trailer name of the error details; gRPC C++ hands them over
// as Status::error_details() rather than as trailing metadata.
constexpr char kDetailsKey[] = "grpc-status-details-bin";

std::string ToString(const grpc::string_ref& ref) {
  return std::string(ref.data(), ref.size());
}

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  out.reserve(buffer.Length());
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

// The backend's trailing metadata for the trailer frame: binary values
// (names ending in -bin) base64 as gRPC-Web wants them; gRPC's reserved
// entries (grpc-status, grpc-message: set from the status) left out.
Metadata TrailerMetadata(const grpc::ClientContext& context,
                         const grpc::Status& status) {
  Metadata out;
  for (const auto& [key, value] : context.GetServerTrailingMetadata()) {
    const std::string name = ToString(key);
    if (absl::StartsWith(name, "grpc-")) continue;
    out.emplace_back(name, absl::EndsWith(name, "-bin")
                               ? absl::Base64Escape(ToString(value))
                               : ToString(value));
  }
  if (!status.error_details().empty()) {
    out.emplace_back(kDetailsKey, absl::Base64Escape(status.error_details()));
  }
  return out;
}

void* Tag() { return reinterpret_cast<void*>(1); }

}  // namespace

ForwardedCall::ForwardedCall(absl::Status status)
    : local_status_(std::move(status)) {}

ForwardedCall::ForwardedCall(GrpcWebForwarder* owner,
                             std::shared_ptr<grpc::Channel> channel,
                             const ForwardRequest& request, absl::Time deadline)
    : owner_(owner) {
  context_.set_deadline(absl::ToChronoTime(deadline));
  if (!request.authorization.empty()) {
    context_.AddMetadata("authorization", request.authorization);
  }
  if (!owner_->Register(&context_)) {
    local_status_ = absl::UnavailableError("the gateway is shutting down");
    return;
  }
  grpc::GenericStub stub(std::move(channel));
  stream_ = stub.PrepareCall(&context_, request.method_path, &queue_);
  stream_->StartCall(Tag());
  started_ = true;
  if (!Await()) return;  // the status comes with Finish()
  grpc::Slice slice(request.message.data(), request.message.size());
  grpc::ByteBuffer buffer(&slice, 1);
  stream_->WriteLast(buffer, grpc::WriteOptions(), Tag());
  if (!Await()) return;
  state_ = State::kReading;
}

ForwardedCall::~ForwardedCall() {
  if (started_ && state_ != State::kDone) {
    context_.TryCancel();
    Finish();
  }
  if (owner_ != nullptr) owner_->Unregister(&context_);
  queue_.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (queue_.Next(&tag, &ok)) {
  }
}

bool ForwardedCall::Await() {
  void* tag = nullptr;
  bool ok = false;
  // Every operation is awaited before the next starts, and the context's
  // deadline bounds each, so this cannot hang past the deadline.
  if (!queue_.Next(&tag, &ok)) return false;
  return ok;
}

std::string ForwardedCall::Finish() {
  state_ = State::kDone;
  if (!started_) {
    final_code_ = static_cast<int>(local_status_.code());
    return EncodeTrailer(final_code_, local_status_.message(), {});
  }
  grpc::Status status;
  stream_->Finish(&status, Tag());
  Await();
  final_code_ = static_cast<int>(status.error_code());
  return EncodeTrailer(final_code_, status.error_message(),
                       TrailerMetadata(context_, status));
}

bool ForwardedCall::NextFrame(std::string* frame) {
  switch (state_) {
    case State::kReading: {
      grpc::ByteBuffer buffer;
      stream_->Read(&buffer, Tag());
      if (Await()) {
        *frame = EncodeFrame(kMessageFlag, Flatten(buffer));
        return true;
      }
      *frame = Finish();
      return true;
    }
    case State::kTrailer:
      *frame = Finish();
      return true;
    case State::kDone:
      return false;
  }
  return false;
}

GrpcWebForwarder::GrpcWebForwarder(
    std::array<std::shared_ptr<grpc::Channel>, kBackendCount> channels,
    ForwarderOptions options)
    : channels_(std::move(channels)), options_(options) {}

std::unique_ptr<ForwardedCall> GrpcWebForwarder::Start(
    const ForwardRequest& request) {
  absl::Duration timeout = request.timeout.value_or(options_.default_timeout);
  if (timeout > options_.max_timeout) timeout = options_.max_timeout;
  return std::unique_ptr<ForwardedCall>(new ForwardedCall(
      this, channels_[static_cast<int>(request.backend)], request,
      absl::Now() + timeout));
}

std::unique_ptr<ForwardedCall> GrpcWebForwarder::Fail(absl::Status status) {
  return std::unique_ptr<ForwardedCall>(new ForwardedCall(std::move(status)));
}

void GrpcWebForwarder::Shutdown() {
  absl::MutexLock lock(&mu_);
  stopping_ = true;
  for (grpc::ClientContext* context : active_) context->TryCancel();
}

bool GrpcWebForwarder::Register(grpc::ClientContext* context) {
  absl::MutexLock lock(&mu_);
  if (stopping_) return false;
  active_.insert(context);
  return true;
}

void GrpcWebForwarder::Unregister(grpc::ClientContext* context) {
  absl::MutexLock lock(&mu_);
  active_.erase(context);
}

}  // namespace tandem::gateway
