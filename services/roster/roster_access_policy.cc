#include "services/roster/roster_access_policy.h"

namespace tandem::roster {

const common::AccessPolicy& RosterAccessPolicy() {
  using common::Audit;
  using common::Role;
  const common::Roles coordinator = {Role::kCoordinator};
  const common::Roles treating = {Role::kCoordinator, Role::kTherapist};
  static const common::AccessPolicy* const policy = new common::AccessPolicy(
      "roster", {
                    {"GetTherapistRoster", {treating, Audit::kYes}},
                    {"ExportTherapistCalendar", {treating, Audit::kYes}},
                    {"GetRoomRoster", {coordinator, Audit::kYes}},
                    {"GetClinicDay", {coordinator, Audit::kYes}},
                    {"CreateCalendarFeed", {treating, Audit::kYes}},
                    // Calendar apps cannot sign in: the feed's token is
                    // the credential, checked by the handler.
                    {"GetCalendarFeed",
                     {{}, Audit::kYes, common::Credential::kInRequest}},
                });
  return *policy;
}

}  // namespace tandem::roster
