// The directory's RPC logic, independent of gRPC's server machinery so that
// unit tests can call it directly. Each method reads: validate the request,
// read or write through the store (one transaction per mutation, replayed
// for a repeated request_id), convert, return.
//
// Thread-safe: every use of the store goes through one GuardedStore.
#ifndef TANDEM_SERVICES_DIRECTORY_DIRECTORY_HANDLER_H_
#define TANDEM_SERVICES_DIRECTORY_DIRECTORY_HANDLER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/caller.h"
#include "services/common/guarded_store.h"
#include "services/directory/directory_store.h"
#include "tandem/directory/v1/directory_service.pb.h"

namespace tandem::directory {

class DirectoryHandler {
 public:
  DirectoryHandler(std::unique_ptr<DirectoryStore> store, common::Clock clock);

  using Caller = common::Caller;

  absl::Status GetClinicSettings(const Caller&,
                                 const v1::GetClinicSettingsRequest&,
                                 v1::GetClinicSettingsResponse*);
  absl::Status UpdateClinicSettings(const Caller&,
                                    const v1::UpdateClinicSettingsRequest&,
                                    v1::UpdateClinicSettingsResponse*);
  absl::Status ListClosures(const Caller&, const v1::ListClosuresRequest&,
                            v1::ListClosuresResponse*);
  absl::Status CreateClosure(const Caller&, const v1::CreateClosureRequest&,
                             v1::CreateClosureResponse*);
  absl::Status DeleteClosure(const Caller&, const v1::DeleteClosureRequest&,
                             v1::DeleteClosureResponse*);
  absl::Status ImportClosures(const Caller&, const v1::ImportClosuresRequest&,
                              v1::ImportClosuresResponse*);

  absl::Status GetTherapist(const Caller&, const v1::GetTherapistRequest&,
                            v1::GetTherapistResponse*);
  absl::Status ListTherapists(const Caller&, const v1::ListTherapistsRequest&,
                              v1::ListTherapistsResponse*);
  absl::Status CreateTherapist(const Caller&, const v1::CreateTherapistRequest&,
                               v1::CreateTherapistResponse*);
  absl::Status UpdateTherapist(const Caller&, const v1::UpdateTherapistRequest&,
                               v1::UpdateTherapistResponse*);

  absl::Status GetAbsence(const Caller&, const v1::GetAbsenceRequest&,
                          v1::GetAbsenceResponse*);
  absl::Status ListAbsences(const Caller&, const v1::ListAbsencesRequest&,
                            v1::ListAbsencesResponse*);
  absl::Status CreateAbsence(const Caller&, const v1::CreateAbsenceRequest&,
                             v1::CreateAbsenceResponse*);
  absl::Status DeleteAbsence(const Caller&, const v1::DeleteAbsenceRequest&,
                             v1::DeleteAbsenceResponse*);

  absl::Status GetTeam(const Caller&, const v1::GetTeamRequest&,
                       v1::GetTeamResponse*);
  absl::Status ListTeams(const Caller&, const v1::ListTeamsRequest&,
                         v1::ListTeamsResponse*);
  absl::Status CreateTeam(const Caller&, const v1::CreateTeamRequest&,
                          v1::CreateTeamResponse*);
  absl::Status DeleteTeam(const Caller&, const v1::DeleteTeamRequest&,
                          v1::DeleteTeamResponse*);

  absl::Status GetRoom(const Caller&, const v1::GetRoomRequest&,
                       v1::GetRoomResponse*);
  absl::Status ListRooms(const Caller&, const v1::ListRoomsRequest&,
                         v1::ListRoomsResponse*);
  absl::Status CreateRoom(const Caller&, const v1::CreateRoomRequest&,
                          v1::CreateRoomResponse*);
  absl::Status UpdateRoom(const Caller&, const v1::UpdateRoomRequest&,
                          v1::UpdateRoomResponse*);

  absl::Status ListRoomOutages(const Caller&, const v1::ListRoomOutagesRequest&,
                               v1::ListRoomOutagesResponse*);
  absl::Status CreateRoomOutage(const Caller&,
                                const v1::CreateRoomOutageRequest&,
                                v1::CreateRoomOutageResponse*);
  absl::Status DeleteRoomOutage(const Caller&,
                                const v1::DeleteRoomOutageRequest&,
                                v1::DeleteRoomOutageResponse*);

  // For WatchChanges streams and housekeeping.
  common::GuardedStore<DirectoryStore>& store() { return store_; }

 private:
  common::GuardedStore<DirectoryStore> store_;
};

}  // namespace tandem::directory

#endif  // TANDEM_SERVICES_DIRECTORY_DIRECTORY_HANDLER_H_
