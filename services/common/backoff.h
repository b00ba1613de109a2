// Exponential backoff with jitter for reconnect loops (change-stream
// followers): each delay is drawn uniformly from [d/2, d], where d starts at
// `initial` and doubles up to `max`; Reset() after progress.
//
//   Backoff backoff(absl::Milliseconds(100), absl::Seconds(5), /*seed=*/0);
//   while (!Connect()) Sleep(backoff.Next());
//   backoff.Reset();
//
// Not thread-safe: one loop owns one Backoff.
#ifndef TANDEM_SERVICES_COMMON_BACKOFF_H_
#define TANDEM_SERVICES_COMMON_BACKOFF_H_

#include <algorithm>
#include <cstdint>
#include <random>

#include "absl/time/time.h"

namespace tandem::common {

class Backoff {
 public:
  // `seed` 0 draws a seed from std::random_device (tests pass their own).
  Backoff(absl::Duration initial, absl::Duration max, uint64_t seed)
      : initial_(initial),
        max_(std::max(initial, max)),
        next_(initial),
        random_(seed != 0 ? seed : std::random_device()()) {}

  absl::Duration Next() {
    const absl::Duration ceiling = next_;
    next_ = std::min(next_ * 2, max_);
    std::uniform_real_distribution<double> fraction(0.5, 1.0);
    return ceiling * fraction(random_);
  }
  void Reset() { next_ = initial_; }

 private:
  const absl::Duration initial_;
  const absl::Duration max_;
  absl::Duration next_;
  std::mt19937_64 random_;
};

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_BACKOFF_H_
