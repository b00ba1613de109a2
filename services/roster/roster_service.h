// The gRPC face of the roster service: one line per RPC, forwarding to
// RosterHandler. Synchronous API: every call waits on other services.
#ifndef TANDEM_SERVICES_ROSTER_ROSTER_SERVICE_H_
#define TANDEM_SERVICES_ROSTER_ROSTER_SERVICE_H_

#include "services/common/caller.h"
#include "services/common/unary_call.h"
#include "services/roster/roster_handler.h"
#include "tandem/roster/v1/roster_service.grpc.pb.h"

namespace tandem::roster {

class RosterService final : public v1::RosterService::Service {
 public:
  // Neither pointer is owned; both must outlive the service.
  RosterService(RosterHandler* handler,
                const common::CallGate* gate)
      : handler_(handler), gate_(gate) {}

  TANDEM_FORWARD_SYNC_UNARY(GetTherapistRoster)
  TANDEM_FORWARD_SYNC_UNARY(GetRoomRoster)
  TANDEM_FORWARD_SYNC_UNARY(GetClinicDay)
  TANDEM_FORWARD_SYNC_UNARY(ExportTherapistCalendar)
  TANDEM_FORWARD_SYNC_UNARY(CreateCalendarFeed)
  TANDEM_FORWARD_SYNC_UNARY(GetCalendarFeed)

 private:
  RosterHandler* const handler_;
  const common::CallGate* const gate_;
};

}  // namespace tandem::roster

#endif  // TANDEM_SERVICES_ROSTER_ROSTER_SERVICE_H_
