// Explain: why a request has no plan in its window, in terms a coordinator
// can act on, and the earliest start after the window where a plan exists.
//
// Every start date in the window is classified by the first obstacle met,
// in this order: the date is not an open clinic day; closures stretch the
// programme beyond its maximum span (or the horizon); a couple blackout date
// falls inside it; no room of the needed kind is free on some programme day;
// no eligible male (then female) therapist can cover every programme day on
// their own; no male-female pair is free at the same times. One reason is
// reported per obstacle met, with the number of start dates it blocked.
#ifndef TANDEM_SCHEDULER_EXPLAIN_H_
#define TANDEM_SCHEDULER_EXPLAIN_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "scheduler/availability_index.h"
#include "scheduler/request.h"

namespace tandem::scheduler {

enum class ReasonCode {
  kNoOpenStartDay,
  kSpanTooLong,
  kBlackoutDates,
  kNoEligibleMale,  // Nobody qualifies at all (language, qualification...).
  kNoEligibleFemale,
  kNoRoom,
  kNoFreeMale,
  kNoFreeFemale,
  kNoCommonTime,
};

struct Reason {
  ReasonCode code;
  std::string message;  // One sentence, no client data.
  int start_dates = 0;  // Start dates in the window this reason blocked.
};

struct Explanation {
  // True when a plan exists in the window (then `reasons` is empty).
  bool feasible_in_window = false;
  std::vector<Reason> reasons;  // Most start dates blocked first.
  std::optional<absl::CivilDay> earliest_start_after_window;
};

// Same errors as Propose.
absl::StatusOr<Explanation> Explain(const AvailabilityIndex& index,
                                    const Request& request);

}  // namespace tandem::scheduler

#endif  // TANDEM_SCHEDULER_EXPLAIN_H_
