// Turns a feasible (start, team) into a concrete plan: times and rooms per day,
// chosen to score well (same time and room each day, preferred time of day).
#ifndef TANDEM_SCHEDULER_INTERNAL_PLAN_BUILDER_H_
#define TANDEM_SCHEDULER_INTERNAL_PLAN_BUILDER_H_

#include <vector>

#include "scheduler/availability_index.h"
#include "scheduler/internal/feasibility.h"
#include "scheduler/internal/resolved_request.h"
#include "scheduler/plan.h"

namespace tandem::scheduler::internal {

// Requires: cache.PairPattern(k, days[k], lm, lf, ...) >= 0 for every k.
// `booked_minutes` is the pair's load over `days` (for the score).
Plan BuildPlan(const AvailabilityIndex& index, const ResolvedRequest& req,
               FeasibilityCache& cache, const std::vector<int>& days, int lm,
               int lf, int booked_minutes);

}  // namespace tandem::scheduler::internal

#endif  // TANDEM_SCHEDULER_INTERNAL_PLAN_BUILDER_H_
