#include "bench/booking/latency.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_format.h"

namespace tandem::bench {
namespace {

absl::Duration Rank(const std::vector<absl::Duration>& sorted, double p) {
  const size_t rank =
      static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

LatencySummary Summarize(std::vector<absl::Duration> samples) {
  LatencySummary out;
  if (samples.empty()) return out;
  std::sort(samples.begin(), samples.end());
  out.count = static_cast<int>(samples.size());
  absl::Duration total;
  for (absl::Duration d : samples) total += d;
  out.mean = total / out.count;
  out.p50 = Rank(samples, 0.50);
  out.p90 = Rank(samples, 0.90);
  out.p99 = Rank(samples, 0.99);
  out.max = samples.back();
  return out;
}

std::string Millis(absl::Duration d) {
  return absl::StrFormat("%.3f ms", absl::ToDoubleMilliseconds(d));
}

}  // namespace tandem::bench
