// Programme templates between the API (tandem.booking.v1.ProgrammeTemplate,
// what coordinators see and edit) and the planner (scheduler::
// ProgrammeTemplate, what Propose plans with).
//
// The planner's shipped templates are the single source of the formats
// Tandem ships; the API adds what only people need: a session kind for
// rosters, a programme kind, the referral rule.
#ifndef TANDEM_SERVICES_BOOKING_TEMPLATE_CONVERT_H_
#define TANDEM_SERVICES_BOOKING_TEMPLATE_CONVERT_H_

#include "absl/status/statusor.h"
#include "scheduler/programme_template.h"
#include "tandem/booking/v1/booking.pb.h"

namespace tandem::booking {

namespace v1 = ::tandem::booking::v1;

// A shipped planner template as the API shows it (id left empty: the store
// assigns it; `shipped` set). Session kinds follow one documented rule:
//   both partners with both therapists: ROUND_TABLE for the key
//     "round-table", else JOINT;
//   one partner in an INDIVIDUAL programme: INDIVIDUAL;
//   one partner otherwise: INDIVIDUAL_ASSESSMENT.
// Intensive formats require referrals to be settled before day one.
v1::ProgrammeTemplate ShippedTemplateToProto(
    const scheduler::ProgrammeTemplate& shipped);

// The planner's view of a (validated) API template; the planner template's
// id is the API id ("pt-3"). INVALID_ARGUMENT naming the field for what the
// planner cannot express (a duration that is not whole minutes).
absl::StatusOr<scheduler::ProgrammeTemplate> ToPlannerTemplate(
    const v1::ProgrammeTemplate& api);

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_TEMPLATE_CONVERT_H_
