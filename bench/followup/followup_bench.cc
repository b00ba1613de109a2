// Reminder delivery benchmarks: how fast the Dispatcher drains due
// reminders from a real SQLite outbox through a channel.
//   Dispatch/<channel>/<sync>: messages per second, batches of 1,000 due
//     reminders drained tick by tick (channel 0 = no-op, so only the outbox;
//     1 = FileChannel; 2 = WebhookSmsChannel to the loopback Python sink;
//     sync 0 = synchronous NORMAL, 1 = FULL).
//   Backlog10k/<channel>/<sync>: wall time to drain 10,000 reminders that are
//     all due at once.
// Run: followup_bench --benchmark_counters_tabular=true
// Figures: RESULTS.md.
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "benchmark/benchmark.h"
#include "services/followup/delivery/dispatcher.h"
#include "services/followup/delivery/file_channel.h"
#include "services/followup/delivery/testing/outbox_fixture.h"
#include "services/followup/delivery/testing/python_server.h"
#include "services/followup/delivery/webhook_sms_channel.h"
#include "spdlog/spdlog.h"

namespace tandem::followup::delivery {
namespace {

namespace v1 = ::tandem::followup::v1;

enum ChannelKind { kNoop = 0, kFile = 1, kWebhook = 2 };

class NoopChannel final : public Channel {
 public:
  SendResult Send(const OutgoingMessage&) override {
    return SendResult::Sent();
  }
};

// A temp dir, an outbox database, the channel and a dispatcher over them.
class World {
 public:
  World(ChannelKind kind, bool full_sync) {
    char pattern[] = "/tmp/tandem-bench-XXXXXX";
    dir_ = mkdtemp(pattern);
    db_ = testing::OpenOutboxDb(dir_ + "/outbox.db", full_sync);
    Dispatcher::Channels channels;
    channels[v1::REMINDER_CHANNEL_SMS] = MakeChannel(kind);
    dispatcher_ = std::make_unique<Dispatcher>(
        LockedOutboxTransaction(*db_, mu_), std::move(channels),
        [](const ReminderRecord&) -> absl::StatusOr<Destination> {
          return Destination::To("+4930123456");
        },
        [this] { return now_; });
  }
  ~World() {
    dispatcher_.reset();
    sink_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Adds `count` reminders due now (in one transaction, as a service would
  // for a batch of contacts).
  void Enqueue(int count) {
    absl::Status status =
        LockedOutboxTransaction(*db_, mu_)([&](Outbox& outbox) -> absl::Status {
          for (int i = 0; i < count; ++i) {
            ++next_;
            NewReminder r = testing::ContactReminder(
                absl::StrCat("cp-", next_), absl::StrCat("fc-", next_), now_,
                v1::REMINDER_CHANNEL_SMS);
            r.event_time.reset();
            absl::StatusOr<EnqueueResult> queued = outbox.Enqueue(r, now_);
            if (!queued.ok()) return queued.status();
          }
          return absl::OkStatus();
        });
    if (!status.ok()) std::abort();
  }

  // Ticks until a tick finds nothing due; returns the reminders handled.
  int64_t Drain() {
    int64_t handled = 0;
    while (true) {
      absl::StatusOr<int> claimed = dispatcher_->Tick();
      if (!claimed.ok()) std::abort();
      if (*claimed == 0) return handled;
      handled += *claimed;
    }
  }

  int64_t sent() const { return dispatcher_->counters().sent; }
  const std::string& error() const { return error_; }

 private:
  std::unique_ptr<Channel> MakeChannel(ChannelKind kind) {
    if (kind == kFile) return *FileChannel::Create(dir_ + "/files");
    if (kind == kWebhook) {
      auto sink = testing::PythonServer::Start("webhook_sink.py", dir_);
      if (!sink.ok()) {
        error_ = std::string(sink.status().message());
        return std::make_unique<NoopChannel>();
      }
      sink_ = *std::move(sink);
      WebhookSmsOptions options;
      options.url = absl::StrCat("http://127.0.0.1:", sink_->port(), "/sms");
      options.bearer_token = "bench";
      return *WebhookSmsChannel::Create(options);
    }
    return std::make_unique<NoopChannel>();
  }

  std::string dir_;
  absl::Mutex mu_;
  std::unique_ptr<common::Database> db_;
  std::unique_ptr<testing::PythonServer> sink_;
  std::unique_ptr<Dispatcher> dispatcher_;
  // Inside the default 08:00-21:00 window in Berlin (11:00 local).
  const absl::Time now_ = absl::FromUnixSeconds(1806393600) + absl::Hours(1);
  int next_ = 0;
  std::string error_;
};

void Dispatch(benchmark::State& state) {
  World world(static_cast<ChannelKind>(state.range(0)), state.range(1) == 1);
  if (!world.error().empty()) {
    state.SkipWithError(world.error().c_str());
    return;
  }
  constexpr int kBatch = 1000;
  int64_t handled = 0;
  for (auto _ : state) {
    state.PauseTiming();
    world.Enqueue(kBatch);
    state.ResumeTiming();
    handled += world.Drain();
  }
  if (world.sent() != handled)
    state.SkipWithError("not every reminder was sent");
  state.SetItemsProcessed(handled);
  state.counters["msgs_per_s"] = benchmark::Counter(
      static_cast<double>(handled), benchmark::Counter::kIsRate);
}

void Backlog10k(benchmark::State& state) {
  constexpr int kBacklog = 10000;
  for (auto _ : state) {
    state.PauseTiming();
    World world(static_cast<ChannelKind>(state.range(0)), state.range(1) == 1);
    if (!world.error().empty()) {
      state.SkipWithError(world.error().c_str());
      return;
    }
    world.Enqueue(kBacklog);
    state.ResumeTiming();
    const int64_t drained = world.Drain();
    state.PauseTiming();
    if (drained != kBacklog || world.sent() != kBacklog) {
      state.SkipWithError("backlog not drained");
    }
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kBacklog);
}

BENCHMARK(Dispatch)
    ->ArgsProduct({{kNoop, kFile, kWebhook}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);
BENCHMARK(Backlog10k)
    ->ArgsProduct({{kNoop, kFile, kWebhook}, {0, 1}})
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1)
    ->Repetitions(2);

}  // namespace
}  // namespace tandem::followup::delivery

int main(int argc, char** argv) {
  // One info line per sent reminder would measure the terminal.
  spdlog::set_level(spdlog::level::warn);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
