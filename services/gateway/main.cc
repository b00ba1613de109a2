// The web console's gateway: flags and wiring. Serves the console's files
// and forwards gRPC-Web calls from the browser to the four services (see
// gateway_http.h for the routes, grpc_web_forwarder.h for the protocol).
#include <httplib.h>
#include <signal.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/grpc_client.h"
#include "services/common/health_flags.h"  // --health_listen, as every service
#include "services/common/health_only_server.h"
#include "services/common/host_port.h"
#include "services/common/logging.h"
#include "services/common/loopback_address.h"
#include "services/common/metrics.h"
#include "services/common/metrics_http.h"
#include "services/common/server_runtime.h"
#include "services/common/status_macros.h"
#include "services/common/tls_credentials.h"
#include "services/gateway/backend_routes.h"
#include "services/gateway/oidc_config.h"
#include "services/gateway/dev_sign_in.h"
#include "services/gateway/gateway_http.h"
#include "services/gateway/gateway_metrics.h"
#include "services/gateway/grpc_web_forwarder.h"
#include "services/gateway/static_files.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:8080",
          "host:port for the browser; port 0 picks a free port (see "
          "--port_file). Plain HTTP only on a loopback address");
ABSL_FLAG(std::string, port_file, "",
          "if set, the bound port is written to this file once listening");
ABSL_FLAG(std::string, log_level, "info", "trace, debug, info, warn or error");
ABSL_FLAG(std::string, web_root, "clients/web/dist",
          "the web console's build output (index.html, assets/)");
ABSL_FLAG(std::string, directory, "127.0.0.1:7001",
          "address of the directory service (tandem.directory.v1.*)");
ABSL_FLAG(std::string, booking, "127.0.0.1:7002",
          "address of the booking service (tandem.booking.v1.*)");
ABSL_FLAG(std::string, followup, "127.0.0.1:7003",
          "address of the follow-up service (tandem.followup.v1.*)");
ABSL_FLAG(std::string, roster, "127.0.0.1:7004",
          "address of the roster service (tandem.roster.v1.*)");
ABSL_FLAG(std::string, tls_ca, "",
          "CA that signed the services' certificates: calls to them use TLS "
          "and verify them. Empty: plaintext, only to loopback services");
ABSL_FLAG(std::string, tls_cert, "",
          "certificate (chain) for HTTPS towards the browser, with "
          "--tls_key. Empty: plain HTTP, only on a loopback --listen");
ABSL_FLAG(std::string, tls_key, "", "private key of --tls_cert");
ABSL_FLAG(std::string, dev_token_key, "",
          "DEVELOPMENT ONLY: PEM private key (data/pki/jwt-dev.key) with which "
          "POST /auth/dev-token mints tokens for any role. Empty: off");
ABSL_FLAG(int, threads, 16,
          "HTTP worker threads: requests served at once (an open server "
          "stream holds one)");
ABSL_FLAG(std::string, metrics_listen, "",
          "if set (host:port), GET /metrics there answers with request "
          "counts and latencies (tandem_rpc_requests_total, "
          "tandem_rpc_duration_seconds, tandem_http_requests_total) in the "
          "Prometheus text format, over plain HTTP: no client data in it, "
          "but bind it to loopback or a monitoring-only network. Empty: off");
ABSL_FLAG(absl::Duration, max_call_timeout, absl::Hours(1),
          "the longest deadline a browser's grpc-timeout may ask for (calls "
          "without one get 30s)");

namespace {

using namespace tandem;


// TLS to the services with --tls_ca (no client certificate: the gateway is
// no service; the caller's token identifies the call). Plaintext only when
// every service is on this machine.
absl::StatusOr<std::array<std::shared_ptr<grpc::Channel>, gateway::kBackendCount>>
MakeBackendChannels() {
  const std::array<std::string, gateway::kBackendCount> targets = {
      absl::GetFlag(FLAGS_directory), absl::GetFlag(FLAGS_booking),
      absl::GetFlag(FLAGS_followup), absl::GetFlag(FLAGS_roster)};
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  const std::string ca = absl::GetFlag(FLAGS_tls_ca);
  if (ca.empty()) {
    for (const std::string& target : targets) {
      if (!common::IsLoopbackAddress(target)) {
        return absl::FailedPreconditionError(absl::StrCat(
            "refusing to call ", target,
            " without TLS: give --tls_ca (only loopback services may be "
            "called in plaintext)"));
      }
    }
    credentials = grpc::InsecureChannelCredentials();
  } else {
    grpc::SslCredentialsOptions options;
    ASSIGN_OR_RETURN(options.pem_root_certs,
                     common::ReadPemFile(ca, "--tls_ca"));
    credentials = grpc::SslCredentials(options);
  }
  std::array<std::shared_ptr<grpc::Channel>, gateway::kBackendCount> channels;
  for (int i = 0; i < gateway::kBackendCount; ++i) {
    channels[i] = common::MakeChannel(targets[i], credentials);
  }
  return channels;
}

// HTTPS with --tls_cert/--tls_key; plain HTTP only on loopback.
absl::StatusOr<std::unique_ptr<httplib::Server>> MakeHttpServer(
    const std::string& listen) {
  const std::string cert = absl::GetFlag(FLAGS_tls_cert);
  const std::string key = absl::GetFlag(FLAGS_tls_key);
  if (cert.empty() != key.empty()) {
    return absl::InvalidArgumentError(
        "--tls_cert and --tls_key: give both or neither");
  }
  if (cert.empty()) {
    if (!common::IsLoopbackAddress(listen)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "refusing to listen on ", listen,
          " without TLS: only loopback addresses may be plain HTTP. Give "
          "--tls_cert and --tls_key (deploy/dev-pki makes a development "
          "set)"));
    }
    return std::make_unique<httplib::Server>();
  }
  // Read first, for an error that names the flag.
  RETURN_IF_ERROR(common::ReadPemFile(cert, "--tls_cert").status());
  RETURN_IF_ERROR(common::ReadPemFile(key, "--tls_key").status());
  auto server = std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str());
  if (!server->is_valid()) {
    return absl::InvalidArgumentError(
        "--tls_cert, --tls_key: not a usable certificate and key pair");
  }
  return server;
}

void WaitForTerminationSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int signal_number = 0;
  sigwait(&set, &signal_number);
  spdlog::info(R"("event":"stopping","signal":{})", signal_number);
}

int Run() {
  const std::string listen = absl::GetFlag(FLAGS_listen);
  absl::StatusOr<common::HostPort> host_port =
      common::ParseHostPort(listen, "--listen");
  if (!host_port.ok()) return common::LogFailure("bad_flags", host_port.status(), 2);
  absl::StatusOr<std::unique_ptr<httplib::Server>> server = MakeHttpServer(listen);
  if (!server.ok()) return common::LogFailure("bad_tls_flags", server.status(), 2);
  auto channels = MakeBackendChannels();
  if (!channels.ok()) return common::LogFailure("bad_tls_flags", channels.status(), 2);

  std::unique_ptr<gateway::DevSignIn> dev_sign_in;
  if (const std::string key = absl::GetFlag(FLAGS_dev_token_key); !key.empty()) {
    // Non-loopback addresses already need TLS (MakeHttpServer): tokens
    // never cross a network in the clear.
    absl::StatusOr<std::unique_ptr<gateway::DevSignIn>> made =
        gateway::DevSignIn::FromKeyFile(key);
    if (!made.ok()) return common::LogFailure("bad_flags", made.status(), 2);
    dev_sign_in = *std::move(made);
    spdlog::warn(
        R"("event":"dev_sign_in_on","note":"POST /auth/dev-token mints tokens for any role: development only")");
  }

  absl::StatusOr<std::optional<gateway::OidcConfig>> oidc =
      gateway::OidcConfigFromFlags();
  if (!oidc.ok()) return common::LogFailure("bad_flags", oidc.status(), 2);

  const std::string web_root = absl::GetFlag(FLAGS_web_root);
  std::error_code ignored;
  if (!std::filesystem::exists(std::filesystem::path(web_root) / "index.html",
                               ignored)) {
    spdlog::warn(
        R"("event":"console_not_built","web_root":"{}","note":"/ answers 503 until scripts/build builds the console; RPCs are forwarded")",
        common::JsonEscape(web_root));
  }
  gateway::StaticFiles files(web_root);
  gateway::ForwarderOptions forwarder_options;
  forwarder_options.max_timeout = absl::GetFlag(FLAGS_max_call_timeout);
  // Calendar apps' fetches go to the roster too, outside gRPC-Web.
  gateway::CalendarFeeds calendar_feeds(
      (*channels)[static_cast<int>(gateway::Backend::kRoster)],
      absl::Seconds(10));
  gateway::GrpcWebForwarder forwarder(*std::move(channels), forwarder_options);

  common::MetricsRegistry registry;
  std::unique_ptr<gateway::GatewayMetrics> metrics;
  std::unique_ptr<common::MetricsHttpServer> metrics_server;
  if (const std::string address = absl::GetFlag(FLAGS_metrics_listen);
      !address.empty()) {
    absl::StatusOr<std::unique_ptr<gateway::GatewayMetrics>> made =
        gateway::GatewayMetrics::Create(registry);
    if (!made.ok()) return common::LogFailure("serve_failed", made.status(), 1);
    metrics = *std::move(made);
    absl::StatusOr<std::unique_ptr<common::MetricsHttpServer>> started =
        common::MetricsHttpServer::Start(address, &registry);
    if (!started.ok()) {
      return common::LogFailure("serve_failed", started.status(), 1);
    }
    metrics_server = *std::move(started);
  }

  httplib::Server& http = **server;
  const int threads = std::max(2, absl::GetFlag(FLAGS_threads));
  http.new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  gateway::InstallRoutes({.files = &files,
                          .forwarder = &forwarder,
                          .dev_sign_in = dev_sign_in.get(),
                          .calendar_feeds = &calendar_feeds,
                          .oidc = oidc->has_value() ? &**oidc : nullptr,
                          .metrics = metrics.get()},
                         http);
  int port = host_port->port;
  const bool bound = port == 0
                         ? (port = http.bind_to_any_port(host_port->host)) > 0
                         : http.bind_to_port(host_port->host, port);
  if (!bound) {
    return common::LogFailure(
        "serve_failed",
        absl::UnavailableError(absl::StrCat("cannot listen on ", listen)), 1);
  }
  // The probes' port, bound before serving so that a bad address is a
  // start failure like any other.
  std::unique_ptr<common::HealthOnlyServer> health;
  if (const std::string address = absl::GetFlag(FLAGS_health_listen);
      !address.empty()) {
    absl::StatusOr<std::unique_ptr<common::HealthOnlyServer>> started =
        common::HealthOnlyServer::Start(address);
    if (!started.ok()) {
      return common::LogFailure("serve_failed", started.status(), 1);
    }
    health = *std::move(started);
  }
  std::thread serving([&http, &health] {
    http.listen_after_bind();
    // However the loop ended, the console is no longer served: say so, so
    // that a liveness probe restarts a gateway whose loop died by itself.
    if (health != nullptr) health->Stopping();
  });
  // stop() does nothing until the loop runs: wait for it.
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (!http.is_running() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  if (health != nullptr && http.is_running()) {
    // Ready as soon as it listens: the gateway holds no data and waits for
    // nothing. The backends' health stays out of it on purpose: one
    // service down must not take the whole console (and its answer naming
    // that service) off the network, which readiness would do.
    health->SetServing("", true);
    health->SetServing(common::kLivenessService, true);
    spdlog::info(R"("event":"health_listening","address":"{}","port":{})",
                 common::JsonEscape(absl::GetFlag(FLAGS_health_listen)),
                 health->port());
  }
  if (const std::string port_file = absl::GetFlag(FLAGS_port_file);
      !port_file.empty()) {
    absl::Status written =
        common::WriteFileAtomically(port_file, absl::StrCat(port, "\n"));
    if (!written.ok()) {
      http.stop();
      serving.join();
      return common::LogFailure("serve_failed", written, 1);
    }
  }
  spdlog::info(R"("event":"listening","address":"{}","port":{},"tls":{})",
               common::JsonEscape(listen), port,
               absl::GetFlag(FLAGS_tls_cert).empty() ? "false" : "true");

  WaitForTerminationSignal();
  // NOT_SERVING first, so that probes see the stop before connections are
  // refused. Then cancel open server streams, so that the workers they
  // hold are free to finish; then stop accepting and wait for the workers.
  if (health != nullptr) health->Stopping();
  forwarder.Shutdown();
  http.stop();
  serving.join();
  health.reset();
  spdlog::info(R"("event":"stopped")");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  tandem::common::BlockTerminationSignals();
  absl::SetProgramUsageMessage(
      "Tandem web console gateway: serves the console's files and forwards "
      "its gRPC-Web calls to the services.\n"
      "Usage: gateway --listen=127.0.0.1:8080 --tls_ca=data/pki/ca.crt "
      "--directory=127.0.0.1:7001 --booking=127.0.0.1:7002 "
      "--followup=127.0.0.1:7003 --roster=127.0.0.1:7004 "
      "--web_root=clients/web/dist");
  absl::ParseCommandLine(argc, argv);
  tandem::common::InitLogging("gateway", absl::GetFlag(FLAGS_log_level));
  return Run();
}
