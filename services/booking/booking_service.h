// The gRPC face of the booking service: one line per implemented RPC,
// forwarding to BookingHandler, plus the WatchChanges stream. RPCs not yet
// implemented answer UNIMPLEMENTED (the generated base class does that).
#ifndef TANDEM_SERVICES_BOOKING_BOOKING_SERVICE_H_
#define TANDEM_SERVICES_BOOKING_BOOKING_SERVICE_H_

#include "services/booking/booking_handler.h"
#include "services/common/caller.h"
#include "services/common/unary_call.h"
#include "tandem/booking/v1/booking_service.grpc.pb.h"

namespace tandem::booking {

class BookingService final : public v1::BookingService::CallbackService {
 public:
  // Neither pointer is owned; both must outlive the service.
  BookingService(BookingHandler* handler,
                 const common::Authenticator* authenticator)
      : handler_(handler), authenticator_(authenticator) {}

  TANDEM_FORWARD_UNARY(GetCouple)
  TANDEM_FORWARD_UNARY(ListCouples)
  TANDEM_FORWARD_UNARY(CreateCouple)
  TANDEM_FORWARD_UNARY(UpdateCouple)
  TANDEM_FORWARD_UNARY(ArchiveCouple)
  TANDEM_FORWARD_UNARY(GetReferral)
  TANDEM_FORWARD_UNARY(ListReferrals)
  TANDEM_FORWARD_UNARY(CreateReferral)
  TANDEM_FORWARD_UNARY(UpdateReferral)
  TANDEM_FORWARD_UNARY(GetProgrammeTemplate)
  TANDEM_FORWARD_UNARY(ListProgrammeTemplates)
  TANDEM_FORWARD_UNARY(CreateProgrammeTemplate)
  TANDEM_FORWARD_UNARY(UpdateProgrammeTemplate)
  TANDEM_FORWARD_UNARY(DeleteProgrammeTemplate)
  TANDEM_FORWARD_UNARY(ProposeIntensive)

  grpc::ServerWriteReactor<v1::WatchChangesResponse>* WatchChanges(
      grpc::CallbackServerContext* context,
      const v1::WatchChangesRequest* request) override;

 private:
  BookingHandler* const handler_;
  const common::Authenticator* const authenticator_;
};

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_BOOKING_SERVICE_H_
