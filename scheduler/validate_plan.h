// ValidatePlan: an independent check of every hard rule for one plan.
//
// Written apart from the planner on purpose (it uses no bitsets and none of
// the planner's internals): it is the oracle the tests trust and the gate the
// booking service uses before committing a plan a client edited.
//
// Rules checked, against the snapshot's data (including its booked_plans and
// commitments, except those carrying the plan's own booking id):
//  - the plan's booking and template match the request; every session of the
//    template appears exactly once, on its programme day;
//  - day 1 lies in the request window and not before today; each later day is
//    the first open clinic day at least the template's gap after the previous
//    one; the programme fits its maximum span; no session on a closure or a
//    couple blackout date;
//  - the team is one active male and one active female therapist, both speak
//    the language, hold the template's qualifications and are not excluded;
//    each session has exactly the team members its role asks for (a session
//    may name a same-sex, equally eligible substitute via substitute_for);
//  - sessions start on the booking grid and last their template duration,
//    inside opening hours and each therapist's working hours, clear of
//    absences and room outages; rooms exist, have the kind and the capacity;
//  - parallel sessions start together in different rooms; no therapist, room
//    or partner is in two places at once, within the plan or against other
//    bookings; each therapist's session minutes per day stay within the cap.
#ifndef TANDEM_SCHEDULER_VALIDATE_PLAN_H_
#define TANDEM_SCHEDULER_VALIDATE_PLAN_H_

#include "absl/status/status.h"
#include "scheduler/model.h"
#include "scheduler/plan.h"
#include "scheduler/request.h"

namespace tandem::scheduler {

struct ValidateOptions {
  // Accept a plan with template sessions missing (Repair drops sessions it
  // cannot save); every session present must still keep every rule.
  bool allow_missing_sessions = false;
};

// OK, or FAILED_PRECONDITION with the first broken rule (naming the session),
// or INVALID_ARGUMENT when the request itself is malformed.
absl::Status ValidatePlan(const Snapshot& snapshot, const Request& request,
                          const Plan& plan,
                          const ValidateOptions& options = {});

}  // namespace tandem::scheduler

#endif  // TANDEM_SCHEDULER_VALIDATE_PLAN_H_
