// A brute-force oracle for small instances: enumerates every start day, every
// male-female team, every start time on the grid for each group of a day,
// every room and every choice of "either" role, checking each candidate with
// plain minute arithmetic (no bitsets, none of the planner's code).
//
// It relies on one fact about the model: given the team and the programme
// dates, days are independent (no session crosses midnight and the cap is
// per day), so a start is feasible iff every day has some valid placement.
#ifndef TANDEM_SCHEDULER_TESTING_ORACLE_H_
#define TANDEM_SCHEDULER_TESTING_ORACLE_H_

#include <optional>

#include "absl/time/civil_time.h"
#include "scheduler/model.h"
#include "scheduler/request.h"

namespace tandem::scheduler::testing {

// The earliest start in the request window with a feasible plan, if any.
// Assumes the request is valid (see Propose for what that means).
std::optional<absl::CivilDay> OracleEarliestStart(const Snapshot& snapshot,
                                                  const Request& request);

}  // namespace tandem::scheduler::testing

#endif  // TANDEM_SCHEDULER_TESTING_ORACLE_H_
