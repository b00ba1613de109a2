// The plaintext, health-only gRPC server behind --health_listen: it answers
// grpc.health.v1.Health and nothing else (no reflection, no interceptors,
// 4 KiB messages), for probes that cannot speak TLS (Kubernetes' gRPC
// probes) and for tandem-probe. It serves no data, so plaintext is
// acceptable on any address.
//
// Every service gets one through ServeUntilSignalled (server_runtime.h);
// the gateway, which serves HTTP rather than gRPC, runs one directly:
//
//   ASSIGN_OR_RETURN(auto health, HealthOnlyServer::Start("0.0.0.0:8081"));
//   ... once the HTTP server accepts connections:
//   health->SetServing("", true);
//   health->SetServing(kLivenessService, true);
//   ... on SIGTERM:
//   health->Stopping();   // NOT_SERVING for every name from here on
//   ... stop the HTTP server ...
//   health.reset();       // closes the listener
#ifndef TANDEM_SERVICES_COMMON_HEALTH_ONLY_SERVER_H_
#define TANDEM_SERVICES_COMMON_HEALTH_ONLY_SERVER_H_

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace tandem::common {

// The health service name that reports SERVING for as long as the process
// serves, whatever its readiness: what liveness probes ask for, so that a
// service waiting for another is not restarted for it.
inline constexpr char kLivenessService[] = "liveness";

class HealthOnlyServer {
 public:
  // Listens on `address` (host:port; port 0 picks one). Every name, ""
  // included, reports NOT_SERVING until SetServing() says otherwise.
  // UNAVAILABLE, naming --health_listen, if the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<HealthOnlyServer>> Start(
      const std::string& address);

  HealthOnlyServer(const HealthOnlyServer&) = delete;
  HealthOnlyServer& operator=(const HealthOnlyServer&) = delete;
  // Closes the listener at once (health calls are instant: no grace).
  ~HealthOnlyServer();

  int port() const { return port_; }

  // For HealthSwitch and other StartedHooks that set statuses themselves.
  grpc::Server& server() { return *server_; }

  // Sets the status of `service` ("" is the whole server). Ignored after
  // Stopping().
  void SetServing(const std::string& service, bool serving);

  // NOT_SERVING for every name from now on, while the listener stays open
  // until destruction: what a stopping process says to its probes.
  void Stopping();

 private:
  HealthOnlyServer() = default;

  // Answers every method but Health (UNIMPLEMENTED); gRPC also wants it, as
  // a server needs one method served by callback. Declared before server_,
  // which it must outlive.
  grpc::CallbackGenericService unknown_methods_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_HEALTH_ONLY_SERVER_H_
