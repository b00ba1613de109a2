#include "scheduler/waitlist.h"

#include <algorithm>
#include <memory>
#include <random>
#include <tuple>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "scheduler/internal/feasibility.h"
#include "scheduler/internal/resolved_request.h"
#include "scheduler/internal/search.h"

namespace tandem::scheduler {
namespace {

struct Outcome {
  std::vector<Plan> plans;
  std::vector<int> unplaced;
  int64_t delay = 0;

  bool BetterThan(const Outcome& o) const {
    return std::make_tuple(-static_cast<int64_t>(plans.size()), delay) <
           std::make_tuple(-static_cast<int64_t>(o.plans.size()), o.delay);
  }
};

Outcome Greedy(const AvailabilityIndex& base,
               const std::vector<internal::ResolvedRequest>& resolved,
               const std::vector<int>& order) {
  AvailabilityIndex index = base;
  Outcome out;
  for (int i : order) {
    const internal::ResolvedRequest& req = resolved[i];
    internal::FeasibilityCache cache(index, req);
    std::vector<Plan> plans = internal::SearchPlans(
        index, req, cache, req.first_start, req.last_start, 1);
    if (plans.empty() || !index.Commit(plans[0]).ok()) {
      out.unplaced.push_back(i);
      continue;
    }
    out.delay += plans[0].start_date() - index.DayAt(req.first_start);
    out.plans.push_back(std::move(plans[0]));
  }
  return out;
}

}  // namespace

absl::StatusOr<WaitlistResult> PlanWaitlist(
    const AvailabilityIndex& index, const std::vector<Request>& requests,
    uint64_t seed, const WaitlistOptions& options) {
  std::vector<internal::ResolvedRequest> resolved;
  resolved.reserve(requests.size());
  absl::flat_hash_set<std::string> ids;
  for (size_t i = 0; i < requests.size(); ++i) {
    absl::StatusOr<internal::ResolvedRequest> r =
        internal::ResolveRequest(index, requests[i]);
    if (!r.ok()) {
      return absl::Status(
          r.status().code(),
          absl::StrCat("requests[", i, "]: ", r.status().message()));
    }
    if (!ids.insert(requests[i].booking_id).second ||
        index.FindPlan(requests[i].booking_id) != nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("requests[", i, "].booking_id '", requests[i].booking_id,
                       "' is not unique"));
    }
    resolved.push_back(*std::move(r));
  }
  // Least slack first, then earliest, then booking id: a stable start.
  std::vector<int> order(requests.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    const Request& x = requests[a];
    const Request& y = requests[b];
    return std::tie(x.latest_start, x.earliest_start, x.booking_id) <
           std::tie(y.latest_start, y.earliest_start, y.booking_id);
  });
  Outcome best = Greedy(index, resolved, order);
  WaitlistResult result;
  std::mt19937_64 rng(seed);
  const int n = static_cast<int>(order.size());
  for (int round = 0; round < options.improvement_rounds && n > 1; ++round) {
    if (best.unplaced.empty() && best.delay == 0) break;  // Optimal.
    std::vector<int> next = order;
    if (!best.unplaced.empty() && rng() % 4 != 0) {
      // Give an unplaced request an earlier turn.
      const int who = best.unplaced[rng() % best.unplaced.size()];
      auto it = std::find(next.begin(), next.end(), who);
      const int from = static_cast<int>(it - next.begin());
      const int to = from == 0 ? 0 : static_cast<int>(rng() % from);
      next.erase(it);
      next.insert(next.begin() + to, who);
    } else {
      std::swap(next[rng() % n], next[rng() % n]);
    }
    Outcome candidate = Greedy(index, resolved, next);
    if (candidate.BetterThan(best)) {
      best = std::move(candidate);
      order = std::move(next);
      ++result.rounds_improved;
    }
  }
  result.plans = std::move(best.plans);
  result.total_delay_days = best.delay;
  for (int i : best.unplaced) {
    result.unplaced_booking_ids.push_back(requests[i].booking_id);
  }
  std::sort(result.unplaced_booking_ids.begin(),
            result.unplaced_booking_ids.end());
  return result;
}

}  // namespace tandem::scheduler
