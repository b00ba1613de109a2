// Turns what the sources hold (RosterInputs) into the roster messages:
// items per clinic-local day in time order, with names, "day 3 of 10",
// absences, closures, and the calls due today. Pure functions: no I/O, no
// clock (RosterInputs::today stands for now).
#ifndef TANDEM_SERVICES_ROSTER_ROSTER_ASSEMBLY_H_
#define TANDEM_SERVICES_ROSTER_ROSTER_ASSEMBLY_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/roster/roster_inputs.h"
#include "tandem/roster/v1/roster.pb.h"

namespace tandem::roster {

namespace v1 = ::tandem::roster::v1;

// Every session and appointment of the inputs as a roster item, in time
// order. `viewer` is the therapist whose roster it is ("" for room and
// clinic views): their co-therapist is named on each item.
std::vector<v1::RosterItem> AllItems(const RosterInputs& in,
                                     absl::string_view viewer);

v1::TherapistRoster BuildTherapistRoster(const RosterInputs& in,
                                         const std::string& therapist_id);
v1::RoomRoster BuildRoomRoster(const RosterInputs& in,
                               const std::string& room_id);
// The day is in.first_day.
v1::ClinicDay BuildClinicDay(const RosterInputs& in);

// "Anna Kowalska" -> "A.K."; used for partners on the calls-due list.
std::string Initials(absl::string_view given_name,
                     absl::string_view family_name);

}  // namespace tandem::roster

#endif  // TANDEM_SERVICES_ROSTER_ROSTER_ASSEMBLY_H_
