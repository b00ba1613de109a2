// The gRPC face of the booking service: one line per RPC, forwarding to
// BookingHandler, plus the WatchChanges stream.
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
                 const common::CallGate* gate)
      : handler_(handler), gate_(gate) {}

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
  TANDEM_FORWARD_UNARY(GetIntensive)
  TANDEM_FORWARD_UNARY(ListIntensives)
  TANDEM_FORWARD_UNARY(GetAppointment)
  TANDEM_FORWARD_UNARY(ListAppointments)
  TANDEM_FORWARD_UNARY(CreateAppointment)
  TANDEM_FORWARD_UNARY(UpdateAppointment)
  TANDEM_FORWARD_UNARY(CancelAppointment)
  TANDEM_FORWARD_UNARY(ListSessions)
  TANDEM_FORWARD_UNARY(ProposeIntensive)
  TANDEM_FORWARD_UNARY(HoldIntensive)
  TANDEM_FORWARD_UNARY(ConfirmIntensive)
  TANDEM_FORWARD_UNARY(CancelIntensive)
  TANDEM_FORWARD_UNARY(RescheduleIntensive)

  grpc::ServerWriteReactor<v1::WatchChangesResponse>* WatchChanges(
      grpc::CallbackServerContext* context,
      const v1::WatchChangesRequest* request) override;

 private:
  BookingHandler* const handler_;
  const common::CallGate* const gate_;
};

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_BOOKING_SERVICE_H_
