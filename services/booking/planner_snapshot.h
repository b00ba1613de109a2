// Converts the directory replica's state into the planner's snapshot: UTC
// instants become clinic-local civil minutes in the clinic's IANA time zone,
// wire enums become the scheduler's.
//
// Only the directory's part is filled: clinic, today, therapists, teams and
// rooms. Booking adds commitments, booked_plans and templates itself.
//
// Example:
//   ASSIGN_OR_RETURN(scheduler::Snapshot snapshot,
//                    ToPlannerSnapshot(*replica.state(), today));
#ifndef TANDEM_SERVICES_BOOKING_PLANNER_SNAPSHOT_H_
#define TANDEM_SERVICES_BOOKING_PLANNER_SNAPSHOT_H_

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "scheduler/model.h"
#include "services/booking/directory_replica.h"

namespace tandem::booking {

// The clinic's time zone (ClinicSettings.time_zone, loaded from the system's
// zoneinfo). FAILED_PRECONDITION naming the zone if it is empty or unknown.
absl::StatusOr<absl::TimeZone> ClinicTimeZone(const DirectoryState& state);

// The clinic-local interval an instant interval covers: the start floored to
// the minute, the end ceiled (a 09:00:30 end blocks the minute 09:00).
scheduler::LocalInterval ToLocalInterval(absl::Time start, absl::Time end,
                                         absl::TimeZone zone);

// Builds the planner's view of the directory for planning from `today`
// (clinic-local, passed in: never read from a clock here).
//
//  - Opening and working hours: weekday Monday = index 0; minutes since
//    midnight.
//  - Closures: their dates.
//  - Therapists: all, inactive ones with active = false (the planner never
//    uses them, but booked plans may still name them). Absences that end
//    before `today` starts are left out.
//  - Teams: standing pairs whose members are a known male and a known
//    female therapist; a team that no longer is one (a member's sex was
//    corrected) is left out rather than failing every plan.
//  - Rooms: all; an inactive room is kept (booked plans may name it) but is
//    out of service from `today` for longer than any planning horizon.
//    Outages are converted like absences.
// Everything is ordered by id. Errors: FAILED_PRECONDITION for a bad time
// zone, INVALID_ARGUMENT naming the resource for values the directory should
// have rejected (an unspecified weekday, sex or room kind, a bad time).
absl::StatusOr<scheduler::Snapshot> ToPlannerSnapshot(
    const DirectoryState& state, absl::CivilDay today);

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_PLANNER_SNAPSHOT_H_
