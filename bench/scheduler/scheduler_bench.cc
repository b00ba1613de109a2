// Planner benchmarks on seeded S / M / L clinics at ~80% load over a year.
// Each benchmark times single calls with a steady clock and reports the
// median and p99 in microseconds as counters, plus the ratio of the median to
// a memory-bound ceiling measured in the same run (see performance.md).
// Run: scheduler_bench --benchmark_counters_tabular=true
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "scheduler/availability_index.h"
#include "scheduler/planner.h"
#include "scheduler/repair.h"
#include "scheduler/testing/loaded_clinic.h"
#include "scheduler/waitlist.h"

namespace tandem::scheduler {
namespace {

using testing::ClinicSize;

struct World {
  testing::LoadedClinic clinic;
  std::unique_ptr<AvailabilityIndex> index;
};

const char* Name(ClinicSize s) {
  return s == ClinicSize::kS ? "S" : s == ClinicSize::kM ? "M" : "L";
}

long PeakRssKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

World& GetWorld(ClinicSize size) {
  static std::map<ClinicSize, std::unique_ptr<World>> worlds;
  std::unique_ptr<World>& w = worlds[size];
  if (!w) {
    w = std::make_unique<World>();
    w->clinic = testing::GenerateLoadedClinic(size, 42);
    w->index = std::make_unique<AvailabilityIndex>(
        *AvailabilityIndex::Build(w->clinic.snapshot, 395));
    std::fprintf(stderr,
                 "%s: %zu intensives, therapist load %.2f, joint-room load "
                 "%.2f, peak RSS so far %ld KiB\n",
                 Name(size), w->clinic.snapshot.booked_plans.size(),
                 w->clinic.therapist_load, w->clinic.room_load, PeakRssKiB());
  }
  return *w;
}

ClinicSize SizeArg(const benchmark::State& state) {
  return static_cast<ClinicSize>(state.range(0));
}

class Timer {
 public:
  void Start() { t0_ = std::chrono::steady_clock::now(); }
  void Stop() {
    samples_.push_back(std::chrono::duration<double, std::micro>(
                           std::chrono::steady_clock::now() - t0_)
                           .count());
  }
  double Percentile(double p) {
    if (samples_.empty()) return 0;
    std::vector<double> s = samples_;
    std::sort(s.begin(), s.end());
    return s[std::min(s.size() - 1, static_cast<size_t>(p * s.size()))];
  }
  void Report(benchmark::State& state, double ceiling_us = 0) {
    state.counters["p50_us"] = Percentile(0.5);
    state.counters["p99_us"] = Percentile(0.99);
    if (ceiling_us > 0) {
      state.counters["p50/ceiling"] = Percentile(0.5) / ceiling_us;
    }
    state.counters["peak_rss_MiB"] = PeakRssKiB() / 1024.0;
  }

 private:
  std::chrono::steady_clock::time_point t0_;
  std::vector<double> samples_;
};

// The ceiling: touch every (male, female, day) word of the year once and AND
// the pair's masks: the least any all-pairs sweep must do.
double CeilingAllPairsUs(const AvailabilityIndex& index) {
  std::vector<int> males, females;
  for (int t = 0; t < index.num_therapists(); ++t) {
    (index.therapist(t).sex == Sex::kMale ? males : females).push_back(t);
  }
  double best = 1e18;
  for (int rep = 0; rep < 5; ++rep) {
    const auto t0 = std::chrono::steady_clock::now();
    int64_t hits = 0;
    const int days = std::min(index.num_days(), 365);
    for (int m : males) {
      for (int f : females) {
        for (int d = 0; d < days; ++d) {
          hits += (index.TherapistFree(m, d) & index.TherapistFree(f, d)) != 0;
        }
      }
    }
    benchmark::DoNotOptimize(hits);
    best = std::min(best, std::chrono::duration<double, std::micro>(
                              std::chrono::steady_clock::now() - t0)
                              .count());
  }
  return best;
}

void BM_Ceiling_AllPairsYear(benchmark::State& state) {
  World& w = GetWorld(SizeArg(state));
  Timer timer;
  for (auto _ : state) {
    timer.Start();
    benchmark::DoNotOptimize(CeilingAllPairsUs(*w.index));
    timer.Stop();
  }
  state.counters["ceiling_us"] = CeilingAllPairsUs(*w.index);
}

void BM_Propose(benchmark::State& state) {
  World& w = GetWorld(SizeArg(state));
  const std::vector<Request> requests =
      testing::RandomRequests(w.clinic.snapshot, 256, 7, "p");
  Timer timer;
  size_t i = 0, found = 0;
  for (auto _ : state) {
    const Request& r = requests[i++ % requests.size()];
    timer.Start();
    absl::StatusOr<ProposeResult> result = Propose(*w.index, r, 5);
    timer.Stop();
    found += result.ok() && !result->plans.empty();
    benchmark::DoNotOptimize(result);
  }
  state.counters["found_share"] = static_cast<double>(found) / i;
  timer.Report(state);
}

// A full rebuild of the index from the snapshot (all booked intensives
// committed): what a service would pay per request without an incremental,
// long-lived index.
void BM_BuildIndex(benchmark::State& state) {
  World& w = GetWorld(SizeArg(state));
  Timer timer;
  for (auto _ : state) {
    timer.Start();
    absl::StatusOr<AvailabilityIndex> index =
        AvailabilityIndex::Build(w.clinic.snapshot);
    timer.Stop();
    benchmark::DoNotOptimize(index);
  }
  timer.Report(state);
}

void BM_SweepAllPairsYear(benchmark::State& state) {
  World& w = GetWorld(SizeArg(state));
  Request r;
  r.booking_id = "sweep";
  r.template_id = "ten-day-intensive";
  r.language = "English";
  r.earliest_start = w.clinic.snapshot.today;
  r.latest_start = r.earliest_start + 364;
  const double ceiling = CeilingAllPairsUs(*w.index);
  Timer timer;
  int64_t feasible = 0;
  for (auto _ : state) {
    timer.Start();
    absl::StatusOr<std::vector<int>> counts = CountFeasibleTeams(*w.index, r);
    timer.Stop();
    feasible = 0;
    for (int c : *counts) feasible += c;
  }
  state.counters["feasible_pair_starts"] = static_cast<double>(feasible);
  state.counters["ceiling_us"] = ceiling;
  timer.Report(state, ceiling);
}

// Infeasible in the window: everyone but one male and one female therapist
// is excluded, and the window is short and deep in the loaded season.
void BM_ExplainInfeasible(benchmark::State& state) {
  World& w = GetWorld(SizeArg(state));
  std::vector<Request> infeasible;
  for (const Request& base :
       testing::RandomRequests(w.clinic.snapshot, 200, 11, "x")) {
    Request r = base;
    r.latest_start = r.earliest_start + 6;
    for (const Therapist& t : w.clinic.snapshot.therapists) {
      if (t.id != "m3" && t.id != "f5")
        r.excluded_therapist_ids.push_back(t.id);
    }
    absl::StatusOr<ProposeResult> p = Propose(*w.index, r, 1);
    if (p.ok() && p->plans.empty()) infeasible.push_back(r);
    if (infeasible.size() >= 32) break;
  }
  if (infeasible.empty()) {
    state.SkipWithError("no infeasible request found");
    return;
  }
  Timer timer;
  size_t i = 0;
  for (auto _ : state) {
    timer.Start();
    absl::StatusOr<Explanation> e =
        Explain(*w.index, infeasible[i++ % infeasible.size()]);
    timer.Stop();
    benchmark::DoNotOptimize(e);
  }
  timer.Report(state);
}

// A five-day absence of the busiest therapist (most booked minutes in a
// random month), starting on a day they have a session.
void BM_RepairFiveDayAbsence(benchmark::State& state) {
  World& w = GetWorld(SizeArg(state));
  struct Case {
    std::string therapist;
    absl::CivilDay from;
  };
  std::vector<Case> cases;
  for (int c = 0; c < 16; ++c) {
    const int first = 20 * c;
    int best = 0, best_minutes = -1;
    for (int t = 0; t < w.index->num_therapists(); ++t) {
      int minutes = 0;
      for (int d = first; d < first + 30; ++d) {
        minutes += w.index->TherapistMinutes(t, d);
      }
      if (minutes > best_minutes) best = t, best_minutes = minutes;
    }
    int day = first;
    while (day < first + 30 && w.index->TherapistMinutes(best, day) == 0) ++day;
    cases.push_back({w.index->therapist(best).id, w.index->DayAt(day)});
  }
  Timer timer;
  size_t i = 0;
  int64_t changed = 0, unsaved = 0;
  for (auto _ : state) {
    state.PauseTiming();
    AvailabilityIndex copy = *w.index;  // Repair mutates its index.
    const Case& c = cases[i++ % cases.size()];
    state.ResumeTiming();
    timer.Start();
    absl::StatusOr<RepairResult> r = Repair(
        copy, {Disruption::Kind::kTherapistAbsence,
               c.therapist,
               {absl::CivilMinute(c.from), absl::CivilMinute(c.from + 5)}});
    timer.Stop();
    changed += r->changes.size();
    unsaved += r->unsaved.size();
  }
  state.counters["sessions_changed_per_call"] =
      static_cast<double>(changed) / i;
  state.counters["sessions_unsaved_per_call"] =
      static_cast<double>(unsaved) / i;
  timer.Report(state);
}

void BM_Waitlist(benchmark::State& state) {
  const ClinicSize size = SizeArg(state);
  World& w = GetWorld(size);
  const int n = size == ClinicSize::kS   ? 40
                : size == ClinicSize::kM ? 150
                                         : 600;
  const std::vector<Request> requests =
      testing::RandomRequests(w.clinic.snapshot, n, 3, "w");
  Timer timer;
  size_t placed = 0;
  int64_t delay = 0;
  for (auto _ : state) {
    timer.Start();
    absl::StatusOr<WaitlistResult> r = PlanWaitlist(*w.index, requests, 1);
    timer.Stop();
    placed = r->plans.size();
    delay = r->total_delay_days;
  }
  state.counters["requests"] = n;
  state.counters["placed"] = static_cast<double>(placed);
  state.counters["total_delay_days"] = static_cast<double>(delay);
  timer.Report(state);
}

#define SIZES ->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond)
BENCHMARK(BM_Ceiling_AllPairsYear) SIZES->Iterations(5);
BENCHMARK(BM_Propose) SIZES->Iterations(1000);
BENCHMARK(BM_SweepAllPairsYear) SIZES->Iterations(30);
BENCHMARK(BM_BuildIndex) SIZES->Iterations(10);
BENCHMARK(BM_ExplainInfeasible) SIZES->Iterations(200);
BENCHMARK(BM_RepairFiveDayAbsence) SIZES->Iterations(200);
BENCHMARK(BM_Waitlist) SIZES->Iterations(3);

}  // namespace
}  // namespace tandem::scheduler

BENCHMARK_MAIN();
