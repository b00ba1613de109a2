// The gRPC face of the directory: one line per RPC, forwarding to
// DirectoryHandler, plus the WatchChanges stream.
#ifndef TANDEM_SERVICES_DIRECTORY_DIRECTORY_SERVICE_H_
#define TANDEM_SERVICES_DIRECTORY_DIRECTORY_SERVICE_H_

#include "services/common/caller.h"
#include "services/common/unary_call.h"
#include "services/directory/directory_handler.h"
#include "tandem/directory/v1/directory_service.grpc.pb.h"

namespace tandem::directory {

class DirectoryService final : public v1::DirectoryService::CallbackService {
 public:
  // Neither pointer is owned; both must outlive the service.
  DirectoryService(DirectoryHandler* handler,
                   const common::CallGate* gate)
      : handler_(handler), gate_(gate) {}

  TANDEM_FORWARD_UNARY(GetClinicSettings)
  TANDEM_FORWARD_UNARY(UpdateClinicSettings)
  TANDEM_FORWARD_UNARY(ListClosures)
  TANDEM_FORWARD_UNARY(CreateClosure)
  TANDEM_FORWARD_UNARY(DeleteClosure)
  TANDEM_FORWARD_UNARY(ImportClosures)
  TANDEM_FORWARD_UNARY(GetTherapist)
  TANDEM_FORWARD_UNARY(ListTherapists)
  TANDEM_FORWARD_UNARY(CreateTherapist)
  TANDEM_FORWARD_UNARY(UpdateTherapist)
  TANDEM_FORWARD_UNARY(GetAbsence)
  TANDEM_FORWARD_UNARY(ListAbsences)
  TANDEM_FORWARD_UNARY(CreateAbsence)
  TANDEM_FORWARD_UNARY(DeleteAbsence)
  TANDEM_FORWARD_UNARY(GetTeam)
  TANDEM_FORWARD_UNARY(ListTeams)
  TANDEM_FORWARD_UNARY(CreateTeam)
  TANDEM_FORWARD_UNARY(DeleteTeam)
  TANDEM_FORWARD_UNARY(GetRoom)
  TANDEM_FORWARD_UNARY(ListRooms)
  TANDEM_FORWARD_UNARY(CreateRoom)
  TANDEM_FORWARD_UNARY(UpdateRoom)
  TANDEM_FORWARD_UNARY(ListRoomOutages)
  TANDEM_FORWARD_UNARY(CreateRoomOutage)
  TANDEM_FORWARD_UNARY(DeleteRoomOutage)
#undef TANDEM_DIRECTORY_UNARY

  grpc::ServerWriteReactor<v1::WatchChangesResponse>* WatchChanges(
      grpc::CallbackServerContext* context,
      const v1::WatchChangesRequest* request) override;

 private:
  DirectoryHandler* const handler_;
  const common::CallGate* const gate_;
};

}  // namespace tandem::directory

#endif  // TANDEM_SERVICES_DIRECTORY_DIRECTORY_SERVICE_H_
