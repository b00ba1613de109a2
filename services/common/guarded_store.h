// A service's store behind one mutex: the single serialized path through
// which every read and write of the service's database goes.
//
// Reads:      auto store = guarded.Lock();  ASSIGN_OR_RETURN(x,
// store->Get(id)); Mutations:  guarded.Mutate<Response>("Method", request,
// request.request_id(),
//                 [&](Store* store, absl::Time now) -> StatusOr<Response>
//                 {...});
// A mutation runs in one transaction of the store's backend, is replayed
// (not re-run) for a repeated request_id, and wakes WatchChanges readers
// after it committed and the lock was released.
//
// `Store` is a service's abstract store (e.g. directory::DirectoryStore);
// it must have `common::StoreBackend& backend()` (store_backend.h), through
// which the transaction, the request log and the change log are reached.
// GuardedStore never sees the engine behind it.
#ifndef TANDEM_SERVICES_COMMON_GUARDED_STORE_H_
#define TANDEM_SERVICES_COMMON_GUARDED_STORE_H_

#include <functional>
#include <memory>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "services/common/change_log.h"
#include "services/common/change_notifier.h"
#include "services/common/idempotency.h"
#include "services/common/status_macros.h"
#include "services/common/store_backend.h"

namespace tandem::common {

// Where "now" comes from; tests inject a controllable clock.
using Clock = std::function<absl::Time()>;

template <typename Store>
class GuardedStore {
 public:
  // Holds the lock for its lifetime and gives access to the store.
  class Locked {
   public:
    Store* operator->() const { return store_; }
    Store& operator*() const { return *store_; }

   private:
    friend class GuardedStore;
    Locked(absl::Mutex* mu, Store* store) : lock_(mu), store_(store) {}
    absl::MutexLock lock_;
    Store* store_;
  };

  GuardedStore(std::unique_ptr<Store> store, Clock clock)
      : store_(std::move(store)), clock_(std::move(clock)) {}

  Locked Lock() { return Locked(&mu_, store_.get()); }
  absl::Time Now() const { return clock_(); }

  template <typename Response>
  absl::StatusOr<Response> Mutate(
      absl::string_view method, const google::protobuf::Message& request,
      absl::string_view request_id,
      absl::FunctionRef<absl::StatusOr<Response>(Store* store, absl::Time now)>
          body) {
    return Mutate<Response>(method, request, request_id, body, [] {});
  }

  // As above; `after_commit` runs once the transaction committed, still
  // under the lock; it also runs for a replayed request_id (whose body did
  // not run), so it should apply only what this call's body recorded.
  // Services use it to bring in-memory state in step with what was
  // committed, in commit order.
  template <typename Response>
  absl::StatusOr<Response> Mutate(
      absl::string_view method, const google::protobuf::Message& request,
      absl::string_view request_id,
      absl::FunctionRef<absl::StatusOr<Response>(Store* store, absl::Time now)>
          body,
      absl::FunctionRef<void()> after_commit) {
    absl::StatusOr<Response> result;
    {
      absl::MutexLock lock(&mu_);
      const absl::Time now = clock_();
      result = RunIdempotent<Response>(
          store_->backend(), method, request, request_id, now,
          [&]() { return body(store_.get(), now); });
      if (result.ok()) after_commit();
    }
    if (result.ok()) notifier_.Publish();
    return result;
  }

  // A change the service makes by itself (clock- or directory-driven), with
  // no request_id: `body` runs in one transaction, committed if it returns
  // OK; then `after_commit` runs under the lock and watchers are woken.
  absl::Status Transact(
      absl::FunctionRef<absl::Status(Store* store, absl::Time now)> body,
      absl::FunctionRef<void()> after_commit) {
    {
      absl::MutexLock lock(&mu_);
      const absl::Time now = clock_();
      absl::StatusOr<std::unique_ptr<StoreTransaction>> txn =
          store_->backend().BeginTransaction();
      if (!txn.ok()) return txn.status();
      if (absl::Status s = body(store_.get(), now); !s.ok()) return s;
      if (absl::Status s = (*txn)->Commit(); !s.ok()) return s;
      after_commit();
    }
    notifier_.Publish();
    return absl::OkStatus();
  }

  // For WatchChanges streams.
  ChangeReader change_reader() {
    return [this](int64_t after, int limit) {
      absl::MutexLock lock(&mu_);
      return store_->backend().ReadChangesAfter(after, limit);
    };
  }
  ChangeNotifier& notifier() { return notifier_; }

  // Forgets idempotency records older than `request_retention` and keeps
  // the newest `keep_changes` change-log entries.
  absl::Status Prune(absl::Duration request_retention, int64_t keep_changes) {
    absl::MutexLock lock(&mu_);
    StoreBackend& backend = store_->backend();
    RETURN_IF_ERROR(
        backend.PruneRequestLog(clock_() - request_retention).status());
    return backend.PruneChangeLog(keep_changes);
  }

 private:
  absl::Mutex mu_;
  const std::unique_ptr<Store> store_;  // used only under mu_
  const Clock clock_;
  ChangeNotifier notifier_;
};

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_GUARDED_STORE_H_
