#include "scheduler/planner.h"

#include "scheduler/internal/feasibility.h"
#include "scheduler/internal/resolved_request.h"
#include "scheduler/internal/search.h"

namespace tandem::scheduler {

absl::StatusOr<ProposeResult> Propose(const AvailabilityIndex& index,
                                      const Request& request, int k) {
  if (k < 1) return absl::InvalidArgumentError("k must be at least 1");
  absl::StatusOr<internal::ResolvedRequest> req =
      internal::ResolveRequest(index, request);
  if (!req.ok()) return req.status();
  internal::FeasibilityCache cache(index, *req);
  ProposeResult result;
  result.plans = internal::SearchPlans(index, *req, cache, req->first_start,
                                       req->last_start, k);
  if (result.plans.empty()) {
    absl::StatusOr<Explanation> why = Explain(index, request);
    if (!why.ok()) return why.status();
    result.explanation = *std::move(why);
  }
  return result;
}

absl::StatusOr<std::vector<int>> CountFeasibleTeams(
    const AvailabilityIndex& index, const Request& request) {
  absl::StatusOr<internal::ResolvedRequest> req =
      internal::ResolveRequest(index, request);
  if (!req.ok()) return req.status();
  internal::FeasibilityCache cache(index, *req);
  return internal::CountFeasibleTeams(index, *req, cache, req->first_start,
                                      req->last_start);
}

}  // namespace tandem::scheduler
