// Order statistics of measured call latencies, for the load clients'
// reports. Nearest-rank percentiles: p99 of 200 samples is the 198th
// smallest.
#ifndef TANDEM_BENCH_BOOKING_LATENCY_H_
#define TANDEM_BENCH_BOOKING_LATENCY_H_

#include <string>
#include <vector>

#include "absl/time/time.h"

namespace tandem::bench {

struct LatencySummary {
  int count = 0;
  absl::Duration mean;
  absl::Duration p50;
  absl::Duration p90;
  absl::Duration p99;
  absl::Duration max;
};

// Summarises `samples` (any order; empty gives count 0 and zero durations).
LatencySummary Summarize(std::vector<absl::Duration> samples);

// "1.234 ms": milliseconds with three decimals.
std::string Millis(absl::Duration d);

}  // namespace tandem::bench

#endif  // TANDEM_BENCH_BOOKING_LATENCY_H_
