// grpc.health.v1 Check from tests, with hand-encoded messages (Debian ships
// no health proto header): HealthCheckRequest{string service = 1},
// HealthCheckResponse{ServingStatus status = 1}.
#ifndef TANDEM_TESTS_INTEGRATION_HEALTH_CHECK_H_
#define TANDEM_TESTS_INTEGRATION_HEALTH_CHECK_H_

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/client_callback.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace tandem::testing {

// The raw HealthCheckResponse bytes go to `reply` ("\x08\x01" is SERVING,
// "\x08\x02" NOT_SERVING). Unknown services are NOT_FOUND.
grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& service, std::string* reply);

inline constexpr char kServingReply[] = "\x08\x01";
inline constexpr char kNotServingReply[] = "\x08\x02";

// Runs `probe_binary` (tandem-probe) with `flags` through the shell: its
// exit code (-1 if it did not exit) and what it printed, stderr included.
std::pair<int, std::string> RunProbe(const std::string& probe_binary,
                                     const std::string& flags);

// An open grpc.health.v1.Health/Watch stream for `service`: the server
// sends the status at once and then every change, so a watcher sees what
// a process says while it stops (NOT_SERVING), which a Check might miss.
//
//   HealthWatch watch(channel, "");
//   EXPECT_TRUE(watch.WaitFor(kServingReply, absl::Seconds(5)));
//   ... stop the process ...
//   EXPECT_TRUE(watch.WaitFor(kNotServingReply, absl::Seconds(5)));
class HealthWatch final
    : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  HealthWatch(const std::shared_ptr<grpc::Channel>& channel,
              const std::string& service);
  // Cancels the stream and waits for its end.
  ~HealthWatch() override;

  // Whether `reply` arrived, now or within `timeout` (false at once if the
  // stream ended without it).
  bool WaitFor(const std::string& reply, absl::Duration timeout);

  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  grpc::ClientContext context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  absl::Mutex mu_;
  std::vector<std::string> replies_ ABSL_GUARDED_BY(mu_);
  bool done_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace tandem::testing

#endif  // TANDEM_TESTS_INTEGRATION_HEALTH_CHECK_H_
