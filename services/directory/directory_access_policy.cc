#include "services/directory/directory_access_policy.h"

namespace tandem::directory {

const common::AccessPolicy& DirectoryAccessPolicy() {
  using common::Audit;
  using common::Role;
  const common::Roles admin = {Role::kAdmin};
  const common::Roles planners = {Role::kAdmin, Role::kCoordinator};
  const common::MethodRule read = {common::kStaffAndServices, Audit::kNo};
  static const common::AccessPolicy* const policy = new common::AccessPolicy(
      "directory",
      {
          {"GetClinicSettings", read},
          {"UpdateClinicSettings", {admin, Audit::kYes}},
          {"ListClosures", read},
          {"CreateClosure", {admin, Audit::kYes}},
          {"DeleteClosure", {admin, Audit::kYes}},
          {"ImportClosures", {admin, Audit::kYes}},
          {"GetTherapist", read},
          {"ListTherapists", read},
          {"CreateTherapist", {admin, Audit::kYes}},
          {"UpdateTherapist", {admin, Audit::kYes}},
          {"GetAbsence", read},
          {"ListAbsences", read},
          {"CreateAbsence", {planners, Audit::kYes}},
          {"DeleteAbsence", {planners, Audit::kYes}},
          {"GetTeam", read},
          {"ListTeams", read},
          {"CreateTeam", {admin, Audit::kYes}},
          {"DeleteTeam", {admin, Audit::kYes}},
          {"GetRoom", read},
          {"ListRooms", read},
          {"CreateRoom", {admin, Audit::kYes}},
          {"UpdateRoom", {admin, Audit::kYes}},
          {"ListRoomOutages", read},
          {"CreateRoomOutage", {planners, Audit::kYes}},
          {"DeleteRoomOutage", {planners, Audit::kYes}},
          {"WatchChanges", {{Role::kService}, Audit::kNo}},
      });
  return *policy;
}

}  // namespace tandem::directory
