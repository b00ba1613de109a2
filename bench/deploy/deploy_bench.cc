// What production adds per RPC, and what an online backup costs.
//
//   build/bench/deploy/deploy_bench --benchmark_repetitions=3
//       --benchmark_report_aggregates_only=true   (one command line)
//
// The per-call figures are for the metrics interceptor's work on each RPC:
// one IdentifyMethod (descriptor lookup), one counter increment and one
// histogram observation under their mutexes. The backup copies a WAL
// database of the given size (rows of 1 KiB) with the same options the
// services use, to a fresh file each iteration.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/backup/database_backup.h"
#include "services/common/known_method.h"
#include "services/common/metrics.h"
#include "tandem/booking/v1/booking_service.grpc.pb.h"

namespace {

using tandem::common::CounterFamily;
using tandem::common::HistogramFamily;
using tandem::common::MetricsRegistry;

constexpr char kPath[] = "/tandem.booking.v1.BookingService/ProposeIntensive";

void BM_IdentifyMethod(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(tandem::common::IdentifyMethod(kPath));
  }
}
BENCHMARK(BM_IdentifyMethod);

// One RPC's worth of metrics: the count and the duration, shared by all
// threads as in a service.
void BM_RecordRpc(benchmark::State& state) {
  static MetricsRegistry* registry = new MetricsRegistry();
  static CounterFamily* requests =
      *registry->AddCounter("bench_requests_total", "h",
                            {"service", "method", "code"});
  static HistogramFamily* durations = *registry->AddHistogram(
      "bench_duration_seconds", "h", {"service", "method"},
      tandem::common::LatencyBucketsSeconds());
  const tandem::common::KnownMethod method =
      tandem::common::IdentifyMethod(kPath);
  for (auto _ : state) {
    durations->Observe({method.service, method.method}, 0.0012);
    requests->Increment({method.service, method.method, "OK"});
  }
}
BENCHMARK(BM_RecordRpc)->Threads(1)->Threads(2);

// A scrape of a service that has seen 60 methods x 3 codes.
void BM_Render(benchmark::State& state) {
  MetricsRegistry registry;
  CounterFamily* requests = *registry.AddCounter(
      "bench_requests_total", "h", {"service", "method", "code"});
  HistogramFamily* durations = *registry.AddHistogram(
      "bench_duration_seconds", "h", {"service", "method"},
      tandem::common::LatencyBucketsSeconds());
  for (int m = 0; m < 60; ++m) {
    const std::string method = absl::StrCat("Method", m);
    for (const char* code : {"OK", "NOT_FOUND", "INVALID_ARGUMENT"}) {
      requests->Increment({"svc", method, code});
    }
    durations->Observe({"svc", method}, 0.003);
  }
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string page = registry.Render();
    bytes = page.size();
    benchmark::DoNotOptimize(page.data());
  }
  state.counters["page_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Render);

void Exec(sqlite3* db, const std::string& sql) {
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    std::abort();
  }
}

// A WAL database of about `mib` MiB.
std::string MakeDatabase(int mib) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / "tandem-deploy-bench";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / absl::StrCat("source-", mib, ".db")).string();
  if (std::filesystem::exists(path)) return path;
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) std::abort();
  Exec(db, "PRAGMA journal_mode=WAL");
  Exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)");
  Exec(db, "BEGIN");
  Exec(db, absl::StrCat("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT "
                        "i + 1 FROM n WHERE i < ",
                        mib * 1024,
                        ") INSERT INTO t SELECT i, randomblob(1024) FROM n"));
  Exec(db, "COMMIT");
  sqlite3_close(db);
  return path;
}

void BM_BackupDatabaseFile(benchmark::State& state) {
  const std::string source = MakeDatabase(static_cast<int>(state.range(0)));
  const std::string copy = source + ".copy";
  int64_t bytes = 0;
  for (auto _ : state) {
    std::filesystem::remove(copy);
    auto result = tandem::common::backup::BackupDatabaseFile(source, copy);
    if (!result.ok()) {
      state.SkipWithError(std::string(result.status().message()).c_str());
      break;
    }
    bytes = result->size_bytes;
  }
  std::filesystem::remove(copy);
  state.SetBytesProcessed(state.iterations() * bytes);
  state.counters["copy_MiB"] = static_cast<double>(bytes) / (1 << 20);
}
BENCHMARK(BM_BackupDatabaseFile)
    ->Arg(4)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
