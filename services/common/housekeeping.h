// A service's hourly housekeeping: old idempotency records and change-log
// entries are pruned (at start too), so its database does not grow without
// bound.
#ifndef TANDEM_SERVICES_COMMON_HOUSEKEEPING_H_
#define TANDEM_SERVICES_COMMON_HOUSEKEEPING_H_

#include <spdlog/spdlog.h>

#include <memory>

#include "services/common/guarded_store.h"
#include "services/common/logging.h"
#include "services/common/periodic_task.h"
#include "services/common/server_flags.h"

namespace tandem::common {

// Runs until the returned task is destroyed; `store` must outlive it.
template <typename Store>
std::unique_ptr<PeriodicTask> StartHousekeeping(GuardedStore<Store>& store,
                                                RetentionOptions retention) {
  return std::make_unique<PeriodicTask>(absl::Hours(1), [&store, retention] {
    absl::Status pruned =
        store.Prune(retention.request_retention, retention.keep_changes);
    if (!pruned.ok()) {
      spdlog::warn(R"("event":"prune_failed","error":"{}")",
                   JsonEscape(pruned.message()));
    }
  });
}

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_HOUSEKEEPING_H_
