#include "services/common/metrics_http.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/host_port.h"
#include "services/common/logging.h"

namespace tandem::common {

namespace {

// Scrapes are rare and quick: two workers are plenty.
constexpr size_t kWorkerThreads = 2;
constexpr absl::Duration kStartTimeout = absl::Seconds(5);


}  // namespace

absl::StatusOr<std::unique_ptr<MetricsHttpServer>> MetricsHttpServer::Start(
    const std::string& address, const MetricsRegistry* registry) {
  absl::StatusOr<HostPort> host_port =
      ParseHostPort(address, "--metrics_listen");
  if (!host_port.ok()) return host_port.status();
  auto server = std::make_unique<httplib::Server>();
  server->new_task_queue = [] {
    return new httplib::ThreadPool(kWorkerThreads);
  };
  server->Get("/metrics", [registry](const httplib::Request& /*request*/,
                                     httplib::Response& response) {
    response.set_content(registry->Render(), kMetricsContentType);
  });
  int port = host_port->port;
  const bool bound =
      port == 0 ? (port = server->bind_to_any_port(host_port->host)) > 0
                : server->bind_to_port(host_port->host, port);
  if (!bound) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", address, " (--metrics_listen)"));
  }
  auto metrics_server = std::unique_ptr<MetricsHttpServer>(
      new MetricsHttpServer(std::move(server), port));
  // stop() is a no-op until the loop runs: wait for it, so that the
  // destructor cannot miss it.
  const absl::Time deadline = absl::Now() + kStartTimeout;
  while (!metrics_server->server_->is_running() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  if (!metrics_server->server_->is_running()) {
    return absl::UnavailableError(
        absl::StrCat("metrics server on ", address, " did not start"));
  }
  spdlog::info(R"("event":"metrics_listening","address":"{}","port":{})",
               JsonEscape(address), port);
  return metrics_server;
}

MetricsHttpServer::MetricsHttpServer(std::unique_ptr<httplib::Server> server,
                                     int port)
    : server_(std::move(server)), port_(port) {
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

MetricsHttpServer::~MetricsHttpServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace tandem::common
