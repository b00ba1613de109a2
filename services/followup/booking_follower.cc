#include "services/followup/booking_follower.h"

#include <grpc/support/time.h>
#include <spdlog/spdlog.h>

#include <utility>

#include "absl/cleanup/cleanup.h"
#include "absl/time/clock.h"
#include "services/common/backoff.h"

namespace tandem::followup {

BookingFollower::BookingFollower(std::shared_ptr<grpc::Channel> booking,
                                 BookingClient* client, Hooks hooks,
                                 Options options)
    : stub_(bk::BookingService::NewStub(std::move(booking))),
      client_(client),
      hooks_(std::move(hooks)),
      options_(std::move(options)),
      thread_([this] { Run(); }) {}

BookingFollower::~BookingFollower() { Stop(); }

bool BookingFollower::ready() const {
  absl::MutexLock lock(&mu_);
  return ready_;
}

void BookingFollower::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    if (active_context_ != nullptr) active_context_->TryCancel();
  }
  absl::MutexLock lock(&join_mu_);
  if (thread_.joinable()) thread_.join();
}

bool BookingFollower::stopping() const {
  absl::MutexLock lock(&mu_);
  return stopping_;
}

bool BookingFollower::Sleep(absl::Duration delay) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&stopping_), delay);
  return !stopping_;
}

void BookingFollower::MaybeReady(int64_t stored, int64_t target) {
  {
    absl::MutexLock lock(&mu_);
    if (ready_ || stored < target) return;
    ready_ = true;
  }
  spdlog::info(R"("event":"booking_caught_up","revision":{})", stored);
  if (hooks_.on_ready) hooks_.on_ready();
}

void BookingFollower::Run() {
  common::Backoff backoff(options_.initial_backoff, options_.max_backoff,
                          options_.jitter_seed);
  int64_t target = -1;  // booking's revision at start; -1 until known
  while (!stopping()) {
    absl::Status status;
    int64_t stored = 0;
    if (absl::StatusOr<int64_t> s = hooks_.stored_revision(); s.ok()) {
      stored = *s;
    } else {
      status = s.status();
    }
    if (status.ok() && target < 0) {
      absl::StatusOr<int64_t> current = client_->Revision();
      if (current.ok()) {
        target = *current;
      } else {
        status = current.status();
      }
    }
    bool progressed = false;
    if (status.ok()) {
      MaybeReady(stored, target);
      status = Watch(stored, target, progressed);
    }
    if (stopping()) break;
    if (status.code() == absl::StatusCode::kOutOfRange) {
      spdlog::warn(R"("event":"booking_relisting","after_revision":{})",
                   stored);
      absl::StatusOr<BookingClient::Intensives> listed =
          client_->ListIntensives();
      status = listed.status();
      if (listed.ok()) {
        status = hooks_.relist(listed->intensives, listed->revision);
        if (status.ok()) {
          backoff.Reset();
          MaybeReady(listed->revision, target);
          continue;
        }
      }
    }
    if (progressed) backoff.Reset();
    const absl::Duration delay = backoff.Next();
    spdlog::warn(R"("event":"booking_reconnecting","code":{},"retry_ms":{})",
                 static_cast<int>(status.code()),
                 absl::ToInt64Milliseconds(delay));
    if (!Sleep(delay)) break;
  }
  spdlog::info(R"("event":"booking_follower_stopped")");
}

absl::Status BookingFollower::Watch(int64_t after, int64_t target,
                                    bool& progressed) {
  enum Tag : intptr_t { kStart = 1, kRead, kFinish };
  auto tag_of = [](Tag tag) { return reinterpret_cast<void*>(tag); };

  grpc::CompletionQueue cq;
  grpc::ClientContext context;
  // No deadline: the stream lives until it fails or Stop() cancels it.
  context.set_wait_for_ready(true);
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return absl::CancelledError("follower stopping");
    active_context_ = &context;
  }
  absl::Cleanup unregister = [this] {
    absl::MutexLock lock(&mu_);
    active_context_ = nullptr;
  };

  bk::WatchChangesRequest request;
  request.set_after_revision(after);
  auto reader = stub_->PrepareAsyncWatchChanges(&context, request, &cq);
  reader->StartCall(tag_of(kStart));
  void* tag = nullptr;
  bool ok = false;
  bool open = cq.Next(&tag, &ok) && ok;

  absl::Status failure;
  bool dirty = true;  // work may be pending (also from before a restart)
  bk::WatchChangesResponse response;
  if (open) reader->Read(&response, tag_of(kRead));
  while (open) {
    // With work owed, only what the stream already holds is read first.
    const gpr_timespec deadline =
        dirty ? gpr_time_0(GPR_CLOCK_MONOTONIC)
              : gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
                             gpr_time_from_millis(absl::ToInt64Milliseconds(
                                                      options_.idle_interval),
                                                  GPR_TIMESPAN));
    const grpc::CompletionQueue::NextStatus next =
        cq.AsyncNext(&tag, &ok, deadline);
    if (next == grpc::CompletionQueue::SHUTDOWN) break;
    if (next == grpc::CompletionQueue::TIMEOUT) {
      if (absl::Status work = hooks_.work(); !work.ok()) {
        spdlog::debug(R"("event":"booking_work_deferred","code":{})",
                      static_cast<int>(work.code()));
      }
      dirty = false;
      if (stopping()) break;
      continue;
    }
    if (!ok) break;  // the stream ended: Finish() says why
    const bk::Change& change = response.change();
    if (absl::Status applied = hooks_.apply(change); !applied.ok()) {
      failure = applied;
      context.TryCancel();
      break;
    }
    after = change.revision();
    progressed = true;
    dirty = true;
    MaybeReady(after, target);
    reader->Read(&response, tag_of(kRead));
  }

  grpc::Status status;
  reader->Finish(&status, tag_of(kFinish));
  while (cq.Next(&tag, &ok)) {
    if (tag == tag_of(kFinish)) break;
  }
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  if (!failure.ok()) {
    spdlog::warn(R"("event":"booking_change_failed","revision":{},"code":{})",
                 after + 1, static_cast<int>(failure.code()));
    return failure;
  }
  return FromGrpc(status);
}

}  // namespace tandem::followup
