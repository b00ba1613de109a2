// Runs a gRPC service process: builds the server (callback API, health
// service, reflection, access log), writes the bound port to a file when
// asked (so tests and launchers can use port 0), and shuts down gracefully
// on SIGTERM or SIGINT: in-flight calls get a grace period to finish, then
// the caller closes its storage.
//
// Typical main():
//   tandem::common::BlockTerminationSignals();   // first, before any thread
//   ... open the store, build the service ...
//   return ExitCode(ServeUntilSignalled(options, {&service}));
#ifndef TANDEM_SERVICES_COMMON_SERVER_RUNTIME_H_
#define TANDEM_SERVICES_COMMON_SERVER_RUNTIME_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/common/health_only_server.h"  // kLivenessService
#include "services/common/metrics.h"

namespace tandem::common {

struct ServerOptions {
  std::string service_name;  // "directory": used in logs and printed banner
  std::string listen_address = "127.0.0.1:0";  // port 0 picks a free port
  std::string port_file;  // if set, receives the bound port ("41873\n")
  // If set, a second, plaintext server on this address answers only
  // grpc.health.v1.Health (for probes that cannot speak TLS, such as
  // Kubernetes' gRPC probes); it mirrors the main server's health, and
  // also answers kLivenessService: SERVING from start until stopping, even
  // while the service waits for its dependencies (a liveness probe).
  std::string health_listen_address;
  // TLS (see ServiceSecurity); plaintext when null, for tests of the
  // runtime itself.
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // Larger requests are refused before they are parsed.
  int max_receive_message_bytes = 4 << 20;
  // In-flight unary calls take milliseconds; the grace mostly bounds how long
  // open streams and idle client connections can delay the exit.
  absl::Duration shutdown_grace = absl::Seconds(1);
  // If set (host:port), a plain-HTTP server there answers GET /metrics
  // (metrics_http.h) with `metrics`.
  std::string metrics_listen_address;
  // Receives the RPC metrics (rpc_metrics.h) next to the service's own
  // families; must outlive ServeUntilSignalled. Null: the runtime keeps
  // a registry of its own for the RPC metrics alone.
  MetricsRegistry* metrics = nullptr;
};

// Blocks SIGINT and SIGTERM in this thread and in every thread started after
// it, so that only ServeUntilSignalled's sigwait sees them.
void BlockTerminationSignals();

// Called once the server listens; e.g. to set the health status. With a
// health_listen_address it is called a second time, with the health-only
// server and its port, so that a status set through it (HealthSwitch)
// reaches both servers.
using StartedHook = std::function<void(grpc::Server& server, int port)>;

// Called once a stop signal arrived, before the server shuts down: after it
// returns, nothing may touch the grpc::Server given to StartedHook.
using StoppingHook = std::function<void()>;

// Serves `services` until SIGTERM/SIGINT, then shuts down. Returns an error
// if an address (the main or the health one) cannot be bound or the port
// file cannot be written.
absl::Status ServeUntilSignalled(const ServerOptions& options,
                                 const std::vector<grpc::Service*>& services,
                                 const StartedHook& on_started = nullptr,
                                 const StoppingHook& on_stopping = nullptr);

// Writes `content` to `path` atomically (temp file + rename).
absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& content);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_SERVER_RUNTIME_H_
