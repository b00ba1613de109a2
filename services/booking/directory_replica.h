// The booking service's replica of the directory: list everything once, then
// follow DirectoryService.WatchChanges, so planning never calls the directory
// per request.
//
// A DirectoryReplica runs one background thread:
//   1. list: every List RPC, all pages (inactive therapists and rooms too),
//      plus GetClinicSettings. The revision of the FIRST list call is the
//      snapshot's revision; later pages may already reflect newer changes,
//      which the watch then re-applies harmlessly (changes carry full state).
//   2. watch: WatchChanges(after_revision = revision), applying each change
//      (upsert or delete by id). Changes already buffered by the stream are
//      applied together and published as one new immutable DirectoryState.
//   3. on stream end or error: OUT_OF_RANGE (the directory pruned the
//      changes we need) -> list again from scratch; anything else ->
//      exponential backoff with jitter, then watch again after the last
//      applied revision. Failed lists are retried with the same backoff.
// Every unary RPC has a deadline; the stream has none (it is cancelled by
// Stop()).
//
// Example (booking's main):
//   DirectoryReplica::Options options;
//   options.on_ready = [&health] { health->SetServingStatus(true); };
//   options.on_change = [&repair](const v1::Change& c) { repair.Notify(c); };
//   DirectoryReplica replica(common::MakeChannel(target, credentials),
//                            options);
//   ...
//   std::shared_ptr<const DirectoryState> state = replica.state();
//   if (state == nullptr) return absl::UnavailableError("no directory yet");
//
// Thread-safety: every public method may be called from any thread. The
// callbacks run on the replica's thread, never under its lock, in revision
// order; they must not call Stop() (it would join their own thread).
#ifndef TANDEM_SERVICES_BOOKING_DIRECTORY_REPLICA_H_
#define TANDEM_SERVICES_BOOKING_DIRECTORY_REPLICA_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tandem/directory/v1/directory_service.grpc.pb.h"

namespace tandem::booking {

// The directory's resources at one revision, keyed by id (ordered, so what is
// built from it is deterministic). Immutable once published.
struct DirectoryState {
  // The directory revision this state reflects: every change up to and
  // including it has been applied.
  int64_t revision = 0;
  tandem::directory::v1::ClinicSettings clinic_settings;
  std::map<std::string, tandem::directory::v1::Closure> closures;
  // Active and inactive.
  std::map<std::string, tandem::directory::v1::Therapist> therapists;
  std::map<std::string, tandem::directory::v1::Absence> absences;
  std::map<std::string, tandem::directory::v1::Team> teams;
  // Active and inactive.
  std::map<std::string, tandem::directory::v1::Room> rooms;
  std::map<std::string, tandem::directory::v1::RoomOutage> room_outages;
};

// Applies one change to `state` (upsert or delete by id; the clinic settings
// are replaced) and sets state.revision to the change's. Changes at or below
// state.revision are ignored (OK). FAILED_PRECONDITION if the change skips a
// revision (the caller should list again; `state` is unchanged);
// INVALID_ARGUMENT if it carries no kind or resource (the revision still
// counts as applied, so the stream can go on).
absl::Status ApplyChange(const tandem::directory::v1::Change& change,
                         DirectoryState& state);

// What differs between two states, as the changes that turn `before` into
// `after`: an UPSERT for each new or changed resource, a DELETE (with the
// last state) for each one gone. All carry after.revision and no commit time.
// Used after a re-list so that on_change sees what the lost changes did.
std::vector<tandem::directory::v1::Change> DiffStates(
    const DirectoryState& before, const DirectoryState& after);

class DirectoryReplica {
 public:
  struct Options {
    // Deadline of each unary call (a List page, GetClinicSettings).
    absl::Duration rpc_timeout = absl::Seconds(5);
    // Retry delays: the first is `initial_backoff`, each next one doubles up
    // to `max_backoff`; each is drawn uniformly from [delay/2, delay].
    absl::Duration initial_backoff = absl::Milliseconds(100);
    absl::Duration max_backoff = absl::Seconds(5);
    // Seeds the jitter; 0 draws a seed from std::random_device.
    uint64_t jitter_seed = 0;
    // Page size of every List call (the directory allows up to 1000).
    int page_size = 1000;
    // Called once, when the first complete snapshot is published.
    std::function<void()> on_ready;
    // Called for every applied change, after the state that contains it is
    // published, in revision order. After a re-list, called with the
    // synthesized changes of DiffStates (not for the first list).
    std::function<void(const tandem::directory::v1::Change&)> on_change;
  };

  // Starts the background thread at once; it never gives up until Stop().
  DirectoryReplica(std::shared_ptr<grpc::Channel> channel, Options options);
  DirectoryReplica(const DirectoryReplica&) = delete;
  DirectoryReplica& operator=(const DirectoryReplica&) = delete;
  // Stop()s.
  ~DirectoryReplica();

  // True once a complete snapshot has been published (stays true while the
  // replica reconnects: the last state is still served).
  bool ready() const;
  // The latest published state; nullptr until ready(). Cheap: copies a
  // shared_ptr under a short lock.
  std::shared_ptr<const DirectoryState> state() const;
  // Revision of the latest published state; 0 until ready().
  int64_t revision() const;
  // Waits until ready() and revision() >= `revision` (0: just ready), at most
  // `timeout`. Returns whether that happened (false also once stopped).
  bool WaitForRevision(int64_t revision, absl::Duration timeout) const;

  // Cancels the stream or call in flight and joins the thread. Idempotent.
  // The last state stays readable.
  void Stop();

 private:
  void Run();
  // Lists everything into `state`.
  absl::Status ListAll(DirectoryState& state);
  // Watches after state.revision, applying and publishing changes, until the
  // stream ends; returns its status. Sets `progressed` when it applied a
  // change or lived longer than max_backoff.
  absl::Status Watch(DirectoryState& state, bool& progressed);
  // Publishes a copy of `state`, then runs the callbacks.
  void Publish(const DirectoryState& state,
               const std::vector<tandem::directory::v1::Change>& changes);
  // Runs one unary call with a deadline and Stop()-cancellation.
  template <typename Request, typename Response, typename Method>
  absl::Status Call(Method method, const Request& request, Response& response);
  template <typename Request, typename Response, typename Method, typename Sink>
  absl::Status ListPages(Method method, Request request, Sink sink,
                         int64_t* first_revision);
  // Makes `context` cancellable by Stop(); false if already stopping.
  bool Register(grpc::ClientContext* context);
  void Unregister();
  // Sleeps `delay` or until Stop(); false if stopped.
  bool Sleep(absl::Duration delay);
  bool stopping() const;

  const std::shared_ptr<grpc::Channel> channel_;
  const std::unique_ptr<tandem::directory::v1::DirectoryService::Stub> stub_;
  const Options options_;

  mutable absl::Mutex mu_;
  std::shared_ptr<const DirectoryState> state_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  grpc::ClientContext* active_context_ ABSL_GUARDED_BY(mu_) = nullptr;

  absl::Mutex join_mu_;  // Serializes Stop()'s join.
  std::thread thread_;   // Last: starts after everything above exists.
};

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_DIRECTORY_REPLICA_H_
