// The intensive's state machine (documented on IntensiveStatus in
// booking.proto) as pure functions on the proto: what each transition does
// to the status, the sessions and the history. No storage, no clock: the
// caller passes `now` and the actor, and saves the result.
#ifndef TANDEM_SERVICES_BOOKING_INTENSIVE_LIFECYCLE_H_
#define TANDEM_SERVICES_BOOKING_INTENSIVE_LIFECYCLE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tandem/booking/v1/booking.pb.h"

namespace tandem::booking {

namespace v1 = ::tandem::booking::v1;

// The actor recorded for clock- and directory-driven changes.
inline constexpr absl::string_view kSystemActor = "system";

// A new HELD intensive for `couple` from a verified plan of `programme`:
// TENTATIVE sessions with kind, participants and "day n of m" from the
// template. INVALID_ARGUMENT naming the session if the plan names a session
// key the template does not have.
absl::StatusOr<v1::Intensive> IntensiveFromPlan(
    const v1::Plan& plan, const v1::Couple& couple,
    const v1::ProgrammeTemplate& programme);

// Sessions for `plan` replacing intensive.sessions(): sessions equal in key,
// day, time, rooms and therapists keep their id and status; the others are
// new, TENTATIVE for a hold and SCHEDULED otherwise. Team and dates follow
// the plan.
absl::StatusOr<v1::Intensive> ApplyPlan(v1::Intensive intensive,
                                        const v1::Plan& plan,
                                        const v1::ProgrammeTemplate& programme);

// Appends a history entry with the intensive's current status.
void RecordTransition(v1::Intensive& intensive, v1::IntensiveEvent event,
                      absl::string_view actor, absl::Time now);

// True for COMPLETED and CANCELLED.
bool IsFinal(v1::IntensiveStatus status);

// The status a NEEDS_ATTENTION intensive returns to once fixed: the last
// other status in its history (IN_PROGRESS if a BOOKED one has started).
v1::IntensiveStatus StatusBeforeAttention(const v1::Intensive& intensive,
                                          absl::Time now);

// Status names for messages ("HELD", "CANCELLED (hold expired)").
std::string DescribeStatus(const v1::Intensive& intensive);

// Transitions. Each sets status, session statuses and the history entry;
// the caller has checked that the transition is allowed.
void Confirm(v1::Intensive& intensive, absl::string_view actor,
             absl::Time now);
void Cancel(v1::Intensive& intensive, v1::CancelReason reason,
            absl::string_view actor, absl::Time now);
void Start(v1::Intensive& intensive, absl::Time now);
void Complete(v1::Intensive& intensive, absl::Time now);

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_INTENSIVE_LIFECYCLE_H_
