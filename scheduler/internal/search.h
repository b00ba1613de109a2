// The core search shared by Propose, Explain and the waitlist: walk start
// days in order, prune therapists who cannot cover every programme day alone,
// test pairs with word operations, build and score plans for the best pairs.
#ifndef TANDEM_SCHEDULER_INTERNAL_SEARCH_H_
#define TANDEM_SCHEDULER_INTERNAL_SEARCH_H_

#include <vector>

#include "scheduler/availability_index.h"
#include "scheduler/internal/feasibility.h"
#include "scheduler/internal/resolved_request.h"
#include "scheduler/plan.h"

namespace tandem::scheduler::internal {

// Up to k plans starting on day indices [first_start, last_start], ordered by
// start date, then score (descending), then male id, then female id.
// Within a start date, feasible teams are visited in order of an upper bound
// of their score (requested and standing teams first, then least booked);
// a team is built into a plan unless its own bound (from its real time masks
// and room availability) is below the worst of the best plans so far, and at
// most 8 plans are built per plan wanted. The score is therefore exact among
// the teams built, which on quiet days is all that could win.
std::vector<Plan> SearchPlans(const AvailabilityIndex& index,
                              const ResolvedRequest& req,
                              FeasibilityCache& cache, int first_start,
                              int last_start, int k);

// Number of feasible teams for each start day index in [first, last]
// (0 where none). Used by the sweep benchmark and tests. Dispatches to the
// per-pair word-parallel sweep when CanSweepByPair(req), else per start.
std::vector<int> CountFeasibleTeams(const AvailabilityIndex& index,
                                    const ResolvedRequest& req,
                                    FeasibilityCache& cache, int first,
                                    int last);

// The two strategies, exposed so tests can check they agree.
// ByStart: per start date, prune therapists, test every pair.
// ByPair: per pair, one bit per open day for the later (identical,
// single-group, consecutive) days, AND-shifted to find every start whose
// later days all fit, then day 1 exactly. Needs CanSweepByPair(req).
bool CanSweepByPair(const ResolvedRequest& req);
std::vector<int> CountFeasibleTeamsByStart(const AvailabilityIndex& index,
                                           const ResolvedRequest& req,
                                           FeasibilityCache& cache, int first,
                                           int last);
std::vector<int> CountFeasibleTeamsByPair(const AvailabilityIndex& index,
                                          const ResolvedRequest& req,
                                          FeasibilityCache& cache, int first,
                                          int last);

}  // namespace tandem::scheduler::internal

#endif  // TANDEM_SCHEDULER_INTERNAL_SEARCH_H_
