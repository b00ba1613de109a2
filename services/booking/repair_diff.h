// How far a repair plan moves an intensive: the number of its current
// sessions that the plan would change (time, room or therapist), so that a
// coordinator re-planning after an absence can see which plan disturbs the
// couple least (Plan.changed_session_count in repair mode).
#ifndef TANDEM_SERVICES_BOOKING_REPAIR_DIFF_H_
#define TANDEM_SERVICES_BOOKING_REPAIR_DIFF_H_

#include "tandem/booking/v1/booking.pb.h"

namespace tandem::booking {

// Sessions of `current` (the intensive's, replaced ones excluded) whose
// counterpart in `plan` (same template session key and day number) starts
// or ends at another time, uses other rooms or other therapists, or is
// missing. Room and therapist lists compare as sets.
int ChangedSessionCount(const tandem::booking::v1::Intensive& current,
                        const tandem::booking::v1::Plan& plan);

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_REPAIR_DIFF_H_
