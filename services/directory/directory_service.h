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
                   const common::Authenticator* authenticator)
      : handler_(handler), authenticator_(authenticator) {}

#define TANDEM_DIRECTORY_UNARY(Method)                                        \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context,      \
                                   const v1::Method##Request* request,        \
                                   v1::Method##Response* response) override { \
    return common::UnaryCall(                                                 \
        context, *authenticator_, [&](const common::Caller& caller) {         \
          return handler_->Method(caller, *request, response);                \
        });                                                                   \
  }

  TANDEM_DIRECTORY_UNARY(GetClinicSettings)
  TANDEM_DIRECTORY_UNARY(UpdateClinicSettings)
  TANDEM_DIRECTORY_UNARY(ListClosures)
  TANDEM_DIRECTORY_UNARY(CreateClosure)
  TANDEM_DIRECTORY_UNARY(DeleteClosure)
  TANDEM_DIRECTORY_UNARY(ImportClosures)
  TANDEM_DIRECTORY_UNARY(GetTherapist)
  TANDEM_DIRECTORY_UNARY(ListTherapists)
  TANDEM_DIRECTORY_UNARY(CreateTherapist)
  TANDEM_DIRECTORY_UNARY(UpdateTherapist)
  TANDEM_DIRECTORY_UNARY(GetAbsence)
  TANDEM_DIRECTORY_UNARY(ListAbsences)
  TANDEM_DIRECTORY_UNARY(CreateAbsence)
  TANDEM_DIRECTORY_UNARY(DeleteAbsence)
  TANDEM_DIRECTORY_UNARY(GetTeam)
  TANDEM_DIRECTORY_UNARY(ListTeams)
  TANDEM_DIRECTORY_UNARY(CreateTeam)
  TANDEM_DIRECTORY_UNARY(DeleteTeam)
  TANDEM_DIRECTORY_UNARY(GetRoom)
  TANDEM_DIRECTORY_UNARY(ListRooms)
  TANDEM_DIRECTORY_UNARY(CreateRoom)
  TANDEM_DIRECTORY_UNARY(UpdateRoom)
  TANDEM_DIRECTORY_UNARY(ListRoomOutages)
  TANDEM_DIRECTORY_UNARY(CreateRoomOutage)
  TANDEM_DIRECTORY_UNARY(DeleteRoomOutage)
#undef TANDEM_DIRECTORY_UNARY

  grpc::ServerWriteReactor<v1::WatchChangesResponse>* WatchChanges(
      grpc::CallbackServerContext* context,
      const v1::WatchChangesRequest* request) override;

 private:
  DirectoryHandler* const handler_;
  const common::Authenticator* const authenticator_;
};

}  // namespace tandem::directory

#endif  // TANDEM_SERVICES_DIRECTORY_DIRECTORY_SERVICE_H_
