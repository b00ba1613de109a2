#include "services/common/server_runtime.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/access_log.h"
#include "services/common/logging.h"
#include "services/common/metrics_http.h"
#include "services/common/rpc_metrics.h"

namespace tandem::common {

namespace {

sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void BlockTerminationSignals() {
  sigset_t set = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& content) {
  const std::string temp = absl::StrCat(path, ".tmp");
  {
    std::ofstream out(temp, std::ios::trunc);
    out << content;
    out.flush();
    if (!out)
      return absl::UnavailableError(absl::StrCat("cannot write ", temp));
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot rename to ", path));
  }
  return absl::OkStatus();
}

absl::Status ServeUntilSignalled(const ServerOptions& options,
                                 const std::vector<grpc::Service*>& services,
                                 const StartedHook& on_started,
                                 const StoppingHook& on_stopping) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen_address,
                           options.credentials != nullptr
                               ? options.credentials
                               : grpc::InsecureServerCredentials(),
                           &port);
  builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  for (grpc::Service* service : services) builder.RegisterService(service);
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<AccessLogInterceptorFactory>());
  // Declared before the server: calls still record into it while the
  // server is destroyed.
  MetricsRegistry own_metrics;
  MetricsRegistry& metrics =
      options.metrics != nullptr ? *options.metrics : own_metrics;
  auto rpc_metrics = RpcMetricsInterceptorFactory::Create(metrics);
  if (!rpc_metrics.ok()) return rpc_metrics.status();
  interceptors.push_back(*std::move(rpc_metrics));
  std::unique_ptr<MetricsHttpServer> metrics_server;
  if (!options.metrics_listen_address.empty()) {
    auto started =
        MetricsHttpServer::Start(options.metrics_listen_address, &metrics);
    if (!started.ok()) return started.status();
    metrics_server = *std::move(started);
  }
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen_address));
  }
  std::unique_ptr<HealthOnlyServer> health_server;
  if (!options.health_listen_address.empty()) {
    absl::StatusOr<std::unique_ptr<HealthOnlyServer>> started =
        HealthOnlyServer::Start(options.health_listen_address);
    if (!started.ok()) {
      server->Shutdown();
      return started.status();
    }
    health_server = *std::move(started);
    // Mirrors the main server, whose "" gRPC starts as SERVING (a
    // HealthSwitch in on_started may take it back until it is ready).
    health_server->SetServing("", true);
    health_server->SetServing(kLivenessService, true);
  }
  if (!options.port_file.empty()) {
    absl::Status written =
        WriteFileAtomically(options.port_file, absl::StrCat(port, "\n"));
    if (!written.ok()) {
      health_server.reset();
      server->Shutdown();
      return written;
    }
  }
  if (on_started) on_started(*server, port);
  if (on_started && health_server != nullptr) {
    on_started(health_server->server(), health_server->port());
  }
  spdlog::info(R"("event":"listening","address":"{}","port":{})",
               JsonEscape(options.listen_address), port);
  if (health_server != nullptr) {
    spdlog::info(R"("event":"health_listening","address":"{}","port":{})",
                 JsonEscape(options.health_listen_address),
                 health_server->port());
  }

  sigset_t set = TerminationSignals();
  int signal_number = 0;
  sigwait(&set, &signal_number);
  spdlog::info(R"("event":"stopping","signal":{})", signal_number);
  if (on_stopping) on_stopping();

  // Refuse new calls, let in-flight ones finish within the grace period,
  // then cancel what is left (e.g. open WatchChanges streams).
  server->GetHealthCheckService()->Shutdown();
  if (health_server != nullptr) health_server->Stopping();
  server->Shutdown(absl::ToChronoTime(absl::Now() + options.shutdown_grace));
  server->Wait();
  health_server.reset();
  spdlog::info(R"("event":"stopped")");
  return absl::OkStatus();
}

}  // namespace tandem::common
