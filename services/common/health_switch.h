// The gRPC health of a service that listens before it is ready: booking
// until its directory replica is complete, follow-up until it has caught up
// with booking. NOT_SERVING (for the service's name and for "") until
// SetReady(), which may come from any thread, before or after the server
// started, and is ignored once the server is stopping. Follows
// ServerOptions::health_listen_address: both servers report the same.
//
//   common::HealthSwitch health("tandem.booking.v1.BookingService");
//   replica_options.on_ready = [&] { health.SetReady(); };
//   ServeUntilSignalled(options, {&service}, health.OnStarted(),
//                       health.OnStopping());
#ifndef TANDEM_SERVICES_COMMON_HEALTH_SWITCH_H_
#define TANDEM_SERVICES_COMMON_HEALTH_SWITCH_H_

#include <grpcpp/grpcpp.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/common/server_runtime.h"

namespace tandem::common {

class HealthSwitch {
 public:
  explicit HealthSwitch(std::string service_name)
      : service_name_(std::move(service_name)) {}

  void SetReady() {
    absl::MutexLock lock(&mu_);
    ready_ = true;
    Publish();
  }

  StartedHook OnStarted() {
    return [this](grpc::Server& server, int /*port*/) {
      absl::MutexLock lock(&mu_);
      servers_.push_back(&server);
      Publish();
    };
  }

  StoppingHook OnStopping() {
    return [this] {
      absl::MutexLock lock(&mu_);
      servers_.clear();
    };
  }

 private:
  void Publish() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (grpc::Server* server : servers_) {
      server->GetHealthCheckService()->SetServingStatus(service_name_, ready_);
      server->GetHealthCheckService()->SetServingStatus("", ready_);
    }
  }

  const std::string service_name_;
  absl::Mutex mu_;
  // The main server, and the health-only one when there is one.
  std::vector<grpc::Server*> servers_ ABSL_GUARDED_BY(mu_);
  bool ready_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_HEALTH_SWITCH_H_
