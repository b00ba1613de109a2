// Which roles may call each roster RPC. Every roster shows client names,
// so every call is audited. A therapist reads their own roster and calendar
// (checked in the handler); coordinators read every roster. Administrators
// do not: they run settings, not couples.
#ifndef TANDEM_SERVICES_ROSTER_ROSTER_ACCESS_POLICY_H_
#define TANDEM_SERVICES_ROSTER_ROSTER_ACCESS_POLICY_H_

#include "services/common/access_policy.h"

namespace tandem::roster {

const common::AccessPolicy& RosterAccessPolicy();

}  // namespace tandem::roster

#endif  // TANDEM_SERVICES_ROSTER_ROSTER_ACCESS_POLICY_H_
