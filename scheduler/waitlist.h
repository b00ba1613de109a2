// PlanWaitlist: book as many of many requests as possible, with the least
// total delay, all compatible with each other and with the index.
//
// Method: a greedy construction (requests with the least slack first, each
// given its earliest feasible plan via the same search as Propose), then
// local search over the order: each round perturbs the best order (move an
// unplaced request forward, or swap two requests) and replays the greedy;
// an order is kept when it places more requests, or as many with less total
// delay. Deterministic for a given seed and inputs; never reads a clock.
//
// Delay of a placed request = its start date - max(earliest_start, today).
#ifndef TANDEM_SCHEDULER_WAITLIST_H_
#define TANDEM_SCHEDULER_WAITLIST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scheduler/availability_index.h"
#include "scheduler/plan.h"
#include "scheduler/request.h"

namespace tandem::scheduler {

struct WaitlistOptions {
  int improvement_rounds = 8;  // Greedy replays after the first.
};

struct WaitlistResult {
  std::vector<Plan> plans;  // Compatible with each other; commit them all.
  std::vector<std::string> unplaced_booking_ids;  // Sorted.
  int64_t total_delay_days = 0;
  int rounds_improved = 0;  // Local-search rounds that found a better order.
};

// The index is not modified. Errors: INVALID_ARGUMENT for an invalid request
// (naming its position: "requests[3]: ...") or a duplicate booking id.
absl::StatusOr<WaitlistResult> PlanWaitlist(
    const AvailabilityIndex& index, const std::vector<Request>& requests,
    uint64_t seed, const WaitlistOptions& options = {});

}  // namespace tandem::scheduler

#endif  // TANDEM_SCHEDULER_WAITLIST_H_
