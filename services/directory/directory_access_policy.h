// Which roles may call each directory RPC. Everyone signed in reads the
// clinic's staff, rooms and calendar (no client data lives here);
// administrators change settings, staff and rooms; coordinators also
// record absences and room outages, which they learn of first. The change
// stream is internal (booking, follow-up and roster replicate from it).
// Changes are audited; reads are not.
#ifndef TANDEM_SERVICES_DIRECTORY_DIRECTORY_ACCESS_POLICY_H_
#define TANDEM_SERVICES_DIRECTORY_DIRECTORY_ACCESS_POLICY_H_

#include "services/common/access_policy.h"

namespace tandem::directory {

const common::AccessPolicy& DirectoryAccessPolicy();

}  // namespace tandem::directory

#endif  // TANDEM_SERVICES_DIRECTORY_DIRECTORY_ACCESS_POLICY_H_
