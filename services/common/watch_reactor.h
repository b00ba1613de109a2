// The server side of a WatchChanges stream: replays the change log after the
// client's revision, then follows live commits, one message in flight at a
// time (gRPC's flow control paces a slow client; nothing piles up in memory).
#ifndef TANDEM_SERVICES_COMMON_WATCH_REACTOR_H_
#define TANDEM_SERVICES_COMMON_WATCH_REACTOR_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/common/call_gate.h"
#include "services/common/caller.h"
#include "services/common/change_log.h"
#include "services/common/change_notifier.h"
#include "services/common/grpc_status.h"
#include "services/common/guarded_store.h"
#include "services/common/proto_time.h"

namespace tandem::common {

// `Response` is a WatchChangesResponse with a `change` field whose message
// has `revision` and `commit_time`. The reactor deletes itself when done.
template <typename Response>
class WatchReactor final : public grpc::ServerWriteReactor<Response> {
 public:
  WatchReactor(ChangeReader reader, ChangeNotifier* notifier,
               int64_t after_revision)
      : reader_(std::move(reader)),
        notifier_(notifier),
        after_(after_revision) {
    subscription_ = notifier_->Subscribe([this] { Wake(); });
    Wake();
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok) {
      FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "stream closed"));
      return;
    }
    PumpLocked();
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
  }

  void OnDone() override {
    notifier_->Unsubscribe(subscription_);
    delete this;
  }

 private:
  static constexpr int kBatch = 256;

  void Wake() {
    absl::MutexLock lock(&mu_);
    PumpLocked();
  }

  void PumpLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (writing_ || finished_) return;
    if (pending_.empty()) {
      absl::StatusOr<std::vector<StoredChange>> batch = reader_(after_, kBatch);
      if (!batch.ok()) {
        FinishLocked(ToGrpcStatus(batch.status()));
        return;
      }
      for (StoredChange& change : *batch) pending_.push_back(std::move(change));
      if (pending_.empty()) return;  // caught up: wait for Publish()
    }
    StoredChange next = std::move(pending_.front());
    pending_.pop_front();
    response_.Clear();
    auto* change = response_.mutable_change();
    if (!change->ParseFromString(next.change)) {
      FinishLocked(grpc::Status(grpc::StatusCode::INTERNAL,
                                "stored change is unreadable"));
      return;
    }
    change->set_revision(next.revision);
    *change->mutable_commit_time() = ToProto(next.commit_time);
    after_ = next.revision;
    writing_ = true;
    this->StartWrite(&response_);
  }

  void FinishLocked(const grpc::Status& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_) return;
    finished_ = true;
    this->Finish(status);
  }

  const ChangeReader reader_;
  ChangeNotifier* const notifier_;
  int64_t subscription_ = 0;
  absl::Mutex mu_;
  int64_t after_ ABSL_GUARDED_BY(mu_);
  std::deque<StoredChange> pending_ ABSL_GUARDED_BY(mu_);
  Response response_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

// A stream that ends at once with an error (failed authentication, a bad
// argument): the reactor API needs a reactor even to say no.
template <typename Response>
class RejectedStream final : public grpc::ServerWriteReactor<Response> {
 public:
  explicit RejectedStream(const absl::Status& status) {
    this->Finish(ToGrpcStatus(status));
  }
  void OnDone() override { delete this; }
};

// The WatchChanges handler every service shares.
template <typename Response, typename Request, typename Store>
grpc::ServerWriteReactor<Response>* StartWatch(
    grpc::CallbackServerContext* context, const Request& request,
    const CallGate& gate, GuardedStore<Store>& store) {
  absl::StatusOr<Caller> caller = gate.Admit(*context, "WatchChanges", request);
  if (!caller.ok()) return new RejectedStream<Response>(caller.status());
  if (request.after_revision() < 0) {
    return new RejectedStream<Response>(
        absl::InvalidArgumentError("after_revision: must not be negative"));
  }
  return new WatchReactor<Response>(store.change_reader(), &store.notifier(),
                                    request.after_revision());
}

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_WATCH_REACTOR_H_
