// The metrics endpoint: a tiny plain-HTTP server that answers GET /metrics
// with a MetricsRegistry's text exposition and 404 to anything else.
//
// Plain HTTP is acceptable because the page carries no client data: counts,
// durations and depths, labelled only by method, status code, channel and
// outcome names. Bind it to loopback (or a network only the monitoring
// system reaches) all the same.
#ifndef TANDEM_SERVICES_COMMON_METRICS_HTTP_H_
#define TANDEM_SERVICES_COMMON_METRICS_HTTP_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "services/common/metrics.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace tandem::common {

class MetricsHttpServer {
 public:
  // Listens on `address` ("127.0.0.1:9701", "[::1]:9701"; port 0 picks a
  // free port) and serves `registry`, which must outlive the server.
  // INVALID_ARGUMENT for an address without a port, UNAVAILABLE if it
  // cannot be bound.
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(
      const std::string& address, const MetricsRegistry* registry);

  MetricsHttpServer(const MetricsHttpServer&) = delete;
  MetricsHttpServer& operator=(const MetricsHttpServer&) = delete;
  // Stops listening and waits for the serving thread.
  ~MetricsHttpServer();

  int port() const { return port_; }

 private:
  MetricsHttpServer(std::unique_ptr<httplib::Server> server, int port);

  std::unique_ptr<httplib::Server> server_;
  const int port_;
  std::thread thread_;
};

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_METRICS_HTTP_H_
