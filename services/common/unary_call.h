// Runs one unary RPC: the CallGate admits the call (authentication, role
// rule, request bounds), the handler runs, the gate audits the outcome, and
// the absl::Status is mapped to the wire once.
#ifndef TANDEM_SERVICES_COMMON_UNARY_CALL_H_
#define TANDEM_SERVICES_COMMON_UNARY_CALL_H_

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "services/common/call_gate.h"
#include "services/common/caller.h"
#include "services/common/grpc_status.h"

namespace tandem::common {

// `handle` is `absl::Status(const Caller&)`. The handler runs on the gRPC
// callback thread; storage calls are short (one indexed transaction).
template <typename Handle>
grpc::ServerUnaryReactor* UnaryCall(grpc::CallbackServerContext* context,
                                    const CallGate& gate,
                                    absl::string_view method,
                                    const google::protobuf::Message& request,
                                    const google::protobuf::Message* response,
                                    Handle&& handle) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(
      gate.Run(*context, method, request, response, handle)));
  return reactor;
}

// The same for services on the synchronous API: those whose handlers block
// on other services (the roster service), and so must not run on the
// callback threads.
template <typename Handle>
grpc::Status SyncUnaryCall(grpc::ServerContext* context, const CallGate& gate,
                           absl::string_view method,
                           const google::protobuf::Message& request,
                           const google::protobuf::Message* response,
                           Handle&& handle) {
  return ToGrpcStatus(gate.Run(*context, method, request, response, handle));
}

}  // namespace tandem::common

// Declares a synchronous Service override for `Method`, forwarding like
// TANDEM_FORWARD_UNARY.
#define TANDEM_FORWARD_SYNC_UNARY(Method)                                 \
  grpc::Status Method(grpc::ServerContext* context,                       \
                      const v1::Method##Request* request,                 \
                      v1::Method##Response* response) override {          \
    return ::tandem::common::SyncUnaryCall(                               \
        context, *gate_, #Method, *request, response,                     \
        [&](const ::tandem::common::Caller& caller) {                     \
          return handler_->Method(caller, *request, response);            \
        });                                                               \
  }

// Declares a CallbackService override for `Method` that forwards to
// `handler_->Method(caller, request, response)` through the CallGate. For
// use inside a service class with members `handler_` and `gate_`, where
// `v1` names the API's package.
#define TANDEM_FORWARD_UNARY(Method)                                          \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context,      \
                                   const v1::Method##Request* request,        \
                                   v1::Method##Response* response) override { \
    return ::tandem::common::UnaryCall(                                       \
        context, *gate_, #Method, *request, response,                         \
        [&](const ::tandem::common::Caller& caller) {                         \
          return handler_->Method(caller, *request, response);                \
        });                                                                   \
  }

#endif  // TANDEM_SERVICES_COMMON_UNARY_CALL_H_
