#include "tests/integration/health_check.h"

#include <grpcpp/generic/generic_stub.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace tandem::testing {

namespace {

constexpr absl::Duration kDeadline = absl::Seconds(5);

// HealthCheckRequest{service}.
grpc::ByteBuffer HealthRequest(const std::string& service) {
  std::string bytes;
  if (!service.empty()) {
    bytes = absl::StrCat(
        "\x0a", std::string(1, static_cast<char>(service.size())), service);
  }
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::string out;
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& part : slices) {
    out.append(reinterpret_cast<const char*>(part.begin()), part.size());
  }
  return out;
}

}  // namespace

grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& service, std::string* reply) {
  grpc::ByteBuffer request = HealthRequest(service);
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
  *reply = status.ok() ? Flatten(response) : "";
  return status;
}

std::pair<int, std::string> RunProbe(const std::string& probe_binary,
                                     const std::string& flags) {
  std::string out;
  FILE* pipe =
      popen(absl::StrCat(probe_binary, " ", flags, " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {-1, ""};
  char buffer[256];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    out.append(buffer, n);
  }
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

HealthWatch::HealthWatch(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& service)
    : request_(HealthRequest(service)) {
  grpc::GenericStub stub(channel);
  stub.PrepareBidiStreamingCall(&context_, "/grpc.health.v1.Health/Watch",
                                grpc::StubOptions(), this);
  // Watch is server streaming: one request, then the replies.
  StartWriteLast(&request_, grpc::WriteOptions());
  StartRead(&response_);
  StartCall();
}

HealthWatch::~HealthWatch() {
  context_.TryCancel();
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(&done_));
}

bool HealthWatch::WaitFor(const std::string& reply, absl::Duration timeout) {
  const auto arrived = [this, &reply]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return done_ ||
           std::find(replies_.begin(), replies_.end(), reply) != replies_.end();
  };
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&arrived), timeout);
  return std::find(replies_.begin(), replies_.end(), reply) != replies_.end();
}

void HealthWatch::OnReadDone(bool ok) {
  if (!ok) return;  // the stream ends: OnDone follows
  {
    absl::MutexLock lock(&mu_);
    replies_.push_back(Flatten(response_));
  }
  StartRead(&response_);
}

void HealthWatch::OnDone(const grpc::Status& /*status*/) {
  absl::MutexLock lock(&mu_);
  done_ = true;
}

}  // namespace tandem::testing
