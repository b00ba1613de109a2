// Propose: the best K complete plans for one request.
//
// A plan fixes the team (one male and one female therapist who both speak
// the request's language, hold the template's qualifications, are active and
// not excluded), the date of each programme day, and the start, end and room
// of every session, so that every hard rule holds against the index. Plans are
// ordered by start date, then by score (score.h), then by team ids; the first
// plan starts on the earliest feasible start date in the window.
//
// The same index state and request always give the same answer.
#ifndef TANDEM_SCHEDULER_PLANNER_H_
#define TANDEM_SCHEDULER_PLANNER_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "scheduler/availability_index.h"
#include "scheduler/explain.h"
#include "scheduler/plan.h"
#include "scheduler/request.h"

namespace tandem::scheduler {

inline constexpr int kDefaultPlanCount = 5;

struct ProposeResult {
  // At most k plans, possibly from several start dates. Alternatives: at most
  // one of them may be committed.
  std::vector<Plan> plans;
  // Set exactly when `plans` is empty: why, and the earliest start after the
  // window where a plan exists.
  std::optional<Explanation> explanation;
};

// Errors: INVALID_ARGUMENT naming the field (empty booking id, unknown
// template, empty language, latest_start before earliest_start or before
// today, k < 1, a template that does not fit the grid); OUT_OF_RANGE when the
// window starts beyond the index's horizon.
absl::StatusOr<ProposeResult> Propose(const AvailabilityIndex& index,
                                      const Request& request,
                                      int k = kDefaultPlanCount);

// For every start date in the request's window, how many teams could run the
// whole programme from that date (the "all pairs over the year" sweep).
// Index i is earliest_start (clamped to today) + i.
absl::StatusOr<std::vector<int>> CountFeasibleTeams(
    const AvailabilityIndex& index, const Request& request);

}  // namespace tandem::scheduler

#endif  // TANDEM_SCHEDULER_PLANNER_H_
