// Wakes change-stream readers after a commit. Writers call Publish() once
// their transaction has committed and they hold no storage lock.
#ifndef TANDEM_SERVICES_COMMON_CHANGE_NOTIFIER_H_
#define TANDEM_SERVICES_COMMON_CHANGE_NOTIFIER_H_

#include <cstdint>
#include <functional>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace tandem::common {

class ChangeNotifier {
 public:
  using Callback = std::function<void()>;

  // Returns a handle for Unsubscribe.
  int64_t Subscribe(Callback callback) ABSL_LOCKS_EXCLUDED(mu_);
  // After this returns, the callback is not running and never runs again,
  // so its owner may be destroyed.
  void Unsubscribe(int64_t handle) ABSL_LOCKS_EXCLUDED(mu_);
  // Runs every callback, on the caller's thread.
  void Publish() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  absl::Mutex mu_;
  int64_t next_handle_ ABSL_GUARDED_BY(mu_) = 1;
  absl::flat_hash_map<int64_t, Callback> callbacks_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_CHANGE_NOTIFIER_H_
