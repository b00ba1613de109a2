// Runs a function now and then every `interval` on its own thread until
// destroyed (housekeeping such as pruning idempotency records and change
// logs, so a long-running service's database does not grow without bound).
#ifndef TANDEM_SERVICES_COMMON_PERIODIC_TASK_H_
#define TANDEM_SERVICES_COMMON_PERIODIC_TASK_H_

#include <functional>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace tandem::common {

class PeriodicTask {
 public:
  PeriodicTask(absl::Duration interval, std::function<void()> task)
      : thread_([this, interval, task = std::move(task)] {
          do {
            task();
          } while (!stop_.WaitForNotificationWithTimeout(interval));
        }) {}
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;
  // Waits for a run in progress to finish; no run starts after this.
  ~PeriodicTask() {
    stop_.Notify();
    thread_.join();
  }

 private:
  absl::Notification stop_;
  std::thread thread_;  // last: starts after stop_ exists
};

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_PERIODIC_TASK_H_
