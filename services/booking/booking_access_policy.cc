#include "services/booking/booking_access_policy.h"

namespace tandem::booking {

const common::AccessPolicy& BookingAccessPolicy() {
  using common::Audit;
  using common::Role;
  const common::Roles coordinator = {Role::kCoordinator};
  const common::Roles treating = {Role::kCoordinator, Role::kTherapist};
  const common::Roles treating_or_service = {
      Role::kCoordinator, Role::kTherapist, Role::kService};
  const common::Roles booking_service_peer = {Role::kCoordinator,
                                              Role::kService};
  const common::Roles settings = {Role::kAdmin, Role::kCoordinator};
  static const common::AccessPolicy* const policy = new common::AccessPolicy(
      "booking",
      {
          {"GetCouple", {treating_or_service, Audit::kYes}},
          {"ListCouples", {treating, Audit::kYes}},
          {"CreateCouple", {coordinator, Audit::kYes}},
          {"UpdateCouple", {coordinator, Audit::kYes}},
          {"ArchiveCouple", {coordinator, Audit::kYes}},
          {"GetReferral", {treating, Audit::kYes}},
          {"ListReferrals", {treating, Audit::kYes}},
          {"CreateReferral", {coordinator, Audit::kYes}},
          {"UpdateReferral", {coordinator, Audit::kYes}},
          {"GetProgrammeTemplate", {common::kStaffAndServices, Audit::kNo}},
          {"ListProgrammeTemplates", {common::kStaffAndServices, Audit::kNo}},
          {"CreateProgrammeTemplate", {settings, Audit::kYes}},
          {"UpdateProgrammeTemplate", {settings, Audit::kYes}},
          {"DeleteProgrammeTemplate", {settings, Audit::kYes}},
          {"GetIntensive", {treating_or_service, Audit::kYes}},
          {"ListIntensives", {treating_or_service, Audit::kYes}},
          {"GetAppointment", {treating_or_service, Audit::kYes}},
          {"ListAppointments", {treating_or_service, Audit::kYes}},
          {"CreateAppointment", {booking_service_peer, Audit::kYes}},
          {"UpdateAppointment", {booking_service_peer, Audit::kYes}},
          {"CancelAppointment", {booking_service_peer, Audit::kYes}},
          {"ListSessions", {treating_or_service, Audit::kYes}},
          {"ProposeIntensive", {coordinator, Audit::kYes}},
          {"HoldIntensive", {coordinator, Audit::kYes}},
          {"ConfirmIntensive", {coordinator, Audit::kYes}},
          {"CancelIntensive", {coordinator, Audit::kYes}},
          {"RescheduleIntensive", {coordinator, Audit::kYes}},
          // The change stream carries every booking: internal only.
          {"WatchChanges", {{Role::kService}, Audit::kNo}},
      });
  return *policy;
}

}  // namespace tandem::booking
