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

// The score's time terms if day 1's first session starts at `slot` (which
// must be in first[0]) and every other day starts at `slot` when first[k]
// has it, else at a preferred slot when it has one: 30 per day sharing day
// 1's start, 20 per day starting in the preferred time of day. `first[k *
// stride]` is day k's set of possible first starts. Used both to choose the
// anchor and (with supersets of the sets) to bound a pair's score.
int64_t TimeTerms(const SlotMask* first, size_t days, size_t stride,
                  SlotMask preferred, int slot);

// Requires: cache.PairPattern(k, days[k], lm, lf, ...) >= 0 for every k.
// `booked_minutes` is the pair's load over `days` (for the score).
Plan BuildPlan(const AvailabilityIndex& index, const ResolvedRequest& req,
               FeasibilityCache& cache, const std::vector<int>& days, int lm,
               int lf, int booked_minutes);

}  // namespace tandem::scheduler::internal

#endif  // TANDEM_SCHEDULER_INTERNAL_PLAN_BUILDER_H_
