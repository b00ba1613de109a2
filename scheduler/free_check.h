// FindClashes: is a plan's time still free in the live index?
//
// The cheap check a booking service runs before it commits a plan it
// proposed earlier (or a one-off appointment): for every session, each
// therapist and the room must be free for every grid slot the session
// touches (free means open, inside working hours, no closure, absence,
// outage or other booking: see AvailabilityIndex), the therapists must
// still be active, and their daily caps must hold. It does not re-check the
// template rules (team make-up, durations, day gaps): a plan that came from
// Propose kept them when it was made, and those rules do not change with
// time. ValidatePlan is the full check.
//
// The plan itself must not be committed in the index (release it first when
// re-checking a committed plan).
//
// Example:
//   std::vector<Clash> clashes = FindClashes(index, plan);
//   if (clashes.empty()) RETURN_IF_ERROR(index.Commit(plan));
#ifndef TANDEM_SCHEDULER_FREE_CHECK_H_
#define TANDEM_SCHEDULER_FREE_CHECK_H_

#include <string>
#include <vector>

#include "scheduler/availability_index.h"
#include "scheduler/plan.h"

namespace tandem::scheduler {

struct Clash {
  enum class Kind {
    kTherapistBusy,    // absent, outside hours, closed, or booked
    kTherapistInactive,
    kDailyCap,
    kRoomBusy,         // out of service, outside opening hours, or booked
    kUnknownResource,  // not in the directory (any more)
    kOutsideHorizon,   // before today or beyond the index's horizon
  };
  Kind kind;
  int session_index;        // into plan.sessions
  std::string resource_id;  // therapist or room id; empty for kOutsideHorizon
};

// Every clash, in session order; empty when the plan can be committed.
std::vector<Clash> FindClashes(const AvailabilityIndex& index,
                               const Plan& plan);

}  // namespace tandem::scheduler

#endif  // TANDEM_SCHEDULER_FREE_CHECK_H_
