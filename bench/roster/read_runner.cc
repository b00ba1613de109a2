#include "bench/roster/read_runner.h"

#include <atomic>
#include <latch>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "tests/integration/test_security.h"

namespace tandem::bench {
namespace {

using Stub = roster::v1::RosterService::Stub;

std::unique_ptr<Stub> OwnConnection(const std::string& target) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return roster::v1::RosterService::NewStub(grpc::CreateCustomChannel(
      target, ::tandem::testing::UserCredentials(::tandem::testing::OperatorToken()), args));
}

// Times one call and adds it to `run`.
void TimedCall(Stub& stub, int k, const ReadCall& call, ReadRun& run) {
  const absl::Time t0 = absl::Now();
  const ReadResult result = call(stub, k);
  run.latency.push_back(absl::Now() - t0);
  if (result.status.ok()) {
    run.bytes += result.bytes;
    run.items += result.items;
    return;
  }
  ++run.errors;
  if (run.error_samples.size() < 5) {
    run.error_samples.push_back(
        absl::StrCat("k=", k, ": code ", result.status.error_code(), " \"",
                     result.status.error_message(), "\""));
  }
}

void Merge(ReadRun& from, ReadRun& into) {
  into.latency.insert(into.latency.end(), from.latency.begin(),
                      from.latency.end());
  into.bytes += from.bytes;
  into.items += from.items;
  into.errors += from.errors;
  for (std::string& s : from.error_samples) {
    if (into.error_samples.size() < 5) into.error_samples.push_back(s);
  }
}

}  // namespace

ReadRun MeasureReads(const std::string& target, int calls, int warm_up,
                     const ReadCall& call) {
  std::unique_ptr<Stub> stub = OwnConnection(target);
  ReadRun ignored;
  for (int k = 0; k < warm_up; ++k) TimedCall(*stub, k, call, ignored);
  ReadRun run;
  run.clients = 1;
  const absl::Time began = absl::Now();
  for (int k = warm_up; k < warm_up + calls; ++k) {
    TimedCall(*stub, k, call, run);
  }
  run.wall = absl::Now() - began;
  return run;
}

ReadRun SustainReads(const std::string& target, int clients,
                     absl::Duration duration, const ReadCall& call) {
  ReadRun run;
  run.clients = clients;
  absl::Mutex mu;
  std::atomic<int> next{0};
  std::atomic<bool> stop{false};
  std::latch start(clients + 1);
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      std::unique_ptr<Stub> stub = OwnConnection(target);
      ReadRun warm_up, mine;
      TimedCall(*stub, next++, call, warm_up);  // connects
      start.arrive_and_wait();
      while (!stop.load()) TimedCall(*stub, next++, call, mine);
      absl::MutexLock lock(&mu);
      Merge(mine, run);
    });
  }
  start.arrive_and_wait();
  const absl::Time began = absl::Now();
  absl::SleepFor(duration);
  stop.store(true);
  for (std::thread& t : threads) t.join();
  run.wall = absl::Now() - began;
  return run;
}

double ReadsPerSecond(const ReadRun& run) {
  const double seconds = absl::ToDoubleSeconds(run.wall);
  return seconds > 0 ? run.latency.size() / seconds : 0;
}

}  // namespace tandem::bench
