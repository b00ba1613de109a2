// Forwards one gRPC-Web call to its backend as bytes: no generated stubs,
// no knowledge of methods. The request message goes out unchanged through
// grpc::GenericStub; every message the backend answers comes back as a
// gRPC-Web data frame, then the trailer frame with the backend's status,
// message, error details (grpc-status-details-bin) and trailing metadata.
//
// Each call is a generic bidirectional stream that writes one message and
// reads until the end, so unary and server-streaming methods take the same
// path (on the wire they are the same) and frames reach the browser as they
// arrive.
//
// Identity passes through: the caller's `authorization` value is the only
// metadata sent (the backends' CallGate decides); the gateway adds none of
// its own and holds no user identity.
//
// Typical use (one HTTP worker thread per call):
//   std::unique_ptr<ForwardedCall> call = forwarder.Start(std::move(request));
//   std::string frame;
//   while (call->NextFrame(&frame)) send(frame);   // data frames, trailer
#ifndef TANDEM_SERVICES_GATEWAY_GRPC_WEB_FORWARDER_H_
#define TANDEM_SERVICES_GATEWAY_GRPC_WEB_FORWARDER_H_

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <array>
#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/gateway/backend_routes.h"

namespace tandem::gateway {

struct ForwardRequest {
  std::string method_path;     // "/tandem.directory.v1.DirectoryService/ListRooms"
  Backend backend = Backend::kDirectory;
  std::string message;         // the serialized request message
  std::string authorization;   // "Bearer <jwt>"; empty sends none
  std::optional<absl::Duration> timeout;  // grpc-timeout, if the caller set one
};

struct ForwarderOptions {
  // Without grpc-timeout; and the most a caller may ask for (a server
  // stream holds an HTTP worker thread for that long at most).
  absl::Duration default_timeout = absl::Seconds(30);
  absl::Duration max_timeout = absl::Hours(1);
};

class GrpcWebForwarder;

// One forwarded call. Not thread-safe: one HTTP worker drives it.
class ForwardedCall {
 public:
  ForwardedCall(const ForwardedCall&) = delete;
  ForwardedCall& operator=(const ForwardedCall&) = delete;
  // Cancels the call if the trailer was not reached (the browser left).
  ~ForwardedCall();

  // The next frame of the response body (blocks until the backend sends
  // it): each message as a data frame, then the trailer frame. False once
  // the trailer was returned.
  bool NextFrame(std::string* frame);

  // The call's final status code, once the trailer was produced; -1 before.
  int final_code() const { return final_code_; }

 private:
  friend class GrpcWebForwarder;
  enum class State { kReading, kTrailer, kDone };

  // A call that never reaches a backend: only the trailer, with `status`.
  explicit ForwardedCall(absl::Status status);
  ForwardedCall(GrpcWebForwarder* owner, std::shared_ptr<grpc::Channel> channel,
                const ForwardRequest& request, absl::Time deadline);

  // Waits for the one outstanding operation; its ok bit.
  bool Await();
  std::string Finish();

  GrpcWebForwarder* const owner_ = nullptr;
  grpc::ClientContext context_;
  grpc::CompletionQueue queue_;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> stream_;
  State state_ = State::kTrailer;
  bool started_ = false;
  absl::Status local_status_;  // when no backend call was made
  int final_code_ = -1;
};

class GrpcWebForwarder {
 public:
  // `channels` indexed by Backend.
  GrpcWebForwarder(
      std::array<std::shared_ptr<grpc::Channel>, kBackendCount> channels,
      ForwarderOptions options);

  // Starts the call (or, after Shutdown(), answers UNAVAILABLE).
  std::unique_ptr<ForwardedCall> Start(const ForwardRequest& request);

  // A call that fails before any backend is involved (bad frame, unknown
  // service): its only frame is the trailer with `status`.
  static std::unique_ptr<ForwardedCall> Fail(absl::Status status);

  // Cancels every call in flight and refuses new ones: for a prompt exit
  // on SIGTERM while browsers hold server streams open.
  void Shutdown();

 private:
  friend class ForwardedCall;
  // Registers a started call's context; false when shutting down.
  bool Register(grpc::ClientContext* context);
  void Unregister(grpc::ClientContext* context);

  const std::array<std::shared_ptr<grpc::Channel>, kBackendCount> channels_;
  const ForwarderOptions options_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::flat_hash_set<grpc::ClientContext*> active_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tandem::gateway

#endif  // TANDEM_SERVICES_GATEWAY_GRPC_WEB_FORWARDER_H_
