#include "services/common/change_notifier.h"

#include <utility>

namespace tandem::common {

int64_t ChangeNotifier::Subscribe(Callback callback) {
  absl::MutexLock lock(&mu_);
  const int64_t handle = next_handle_++;
  callbacks_.emplace(handle, std::move(callback));
  return handle;
}

void ChangeNotifier::Unsubscribe(int64_t handle) {
  absl::MutexLock lock(&mu_);
  callbacks_.erase(handle);
}

void ChangeNotifier::Publish() {
  // Holding mu_ while calling is what lets Unsubscribe promise that no
  // callback is still running once it returns.
  absl::MutexLock lock(&mu_);
  for (auto& [handle, callback] : callbacks_) callback();
}

}  // namespace tandem::common
