// Follows BookingService.WatchChanges for the follow-up service: every
// change is handed to `apply` exactly once (apply records the revision in
// the transaction of its effects, so after a restart the watch resumes after
// the stored revision), then the booking work those changes caused is done
// (`work`).
//
// One background thread:
//   1. read the stored revision; until ready, also booking's current
//      revision (the target of the first catch-up);
//   2. watch: WatchChanges(after_revision = stored), applying each change;
//      when the stream holds no more buffered changes, and at least every
//      `idle_interval`, run `work` (so failed booking work is retried);
//   3. on stream end or error: OUT_OF_RANGE (booking pruned the changes we
//      need) -> ListIntensives, `relist` (plans made or cancelled to match),
//      then watch from the list's revision; anything else -> exponential
//      backoff with jitter, then watch again from the stored revision.
// on_ready runs once, when the stored revision first reaches the target.
// Unary calls have deadlines (BookingClient); the stream has none (Stop()
// cancels it).
//
// Thread-safety: public methods may be called from any thread; the hooks
// run on the follower's thread and must not call Stop().
#ifndef TANDEM_SERVICES_FOLLOWUP_BOOKING_FOLLOWER_H_
#define TANDEM_SERVICES_FOLLOWUP_BOOKING_FOLLOWER_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/followup/booking_client.h"
#include "tandem/booking/v1/booking_service.grpc.pb.h"

namespace tandem::followup {

class BookingFollower {
 public:
  struct Hooks {
    // The revision whose effects are stored.
    std::function<absl::StatusOr<int64_t>()> stored_revision;
    // Applies one change and stores its revision (one transaction).
    std::function<absl::Status(const bk::Change&)> apply;
    // After OUT_OF_RANGE: brings everything in line with `intensives` and
    // stores `revision`.
    std::function<absl::Status(const std::vector<bk::Intensive>&, int64_t)>
        relist;
    // Booking work caused by applied changes; a failure is retried later.
    std::function<absl::Status()> work;
    // Called once, when caught up with booking for the first time.
    std::function<void()> on_ready;
  };
  struct Options {
    absl::Duration initial_backoff = absl::Milliseconds(100);
    absl::Duration max_backoff = absl::Seconds(5);
    // Seeds the jitter; 0 draws a seed from std::random_device.
    uint64_t jitter_seed = 0;
    // How often `work` runs while the stream is quiet.
    absl::Duration idle_interval = absl::Seconds(1);
  };

  // Starts the thread at once; it never gives up until Stop().
  BookingFollower(std::shared_ptr<grpc::Channel> booking, BookingClient* client,
                  Hooks hooks, Options options);
  BookingFollower(const BookingFollower&) = delete;
  BookingFollower& operator=(const BookingFollower&) = delete;
  ~BookingFollower();

  bool ready() const;
  // Cancels the stream and joins the thread. Idempotent.
  void Stop();

 private:
  void Run();
  // Watches after `after`; returns the stream's final status. Sets
  // `progressed` when it applied a change.
  absl::Status Watch(int64_t after, int64_t target, bool& progressed);
  void MaybeReady(int64_t stored, int64_t target);
  bool Sleep(absl::Duration delay);
  bool stopping() const;

  const std::unique_ptr<bk::BookingService::Stub> stub_;
  BookingClient* const client_;
  const Hooks hooks_;
  const Options options_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool ready_ ABSL_GUARDED_BY(mu_) = false;
  grpc::ClientContext* active_context_ ABSL_GUARDED_BY(mu_) = nullptr;

  absl::Mutex join_mu_;
  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace tandem::followup

#endif  // TANDEM_SERVICES_FOLLOWUP_BOOKING_FOLLOWER_H_
