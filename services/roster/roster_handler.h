// The roster service's logic behind the gRPC edge: validates requests
// (INVALID_ARGUMENT naming the field), checks who may read what (a
// therapist reads their own roster and calendar only; coordinators and
// administrators read everything), reads the sources and assembles.
#ifndef TANDEM_SERVICES_ROSTER_ROSTER_HANDLER_H_
#define TANDEM_SERVICES_ROSTER_ROSTER_HANDLER_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/common/caller.h"
#include "services/roster/roster_sources.h"
#include "tandem/roster/v1/roster_service.pb.h"

namespace tandem::roster {

class RosterHandler {
 public:
  using Clock = std::function<absl::Time()>;
  // `sources` is not owned and must outlive the handler.
  RosterHandler(RosterSources* sources, Clock clock)
      : sources_(sources), clock_(std::move(clock)) {}

  absl::Status GetTherapistRoster(const common::Caller& caller,
                                  const v1::GetTherapistRosterRequest& request,
                                  v1::GetTherapistRosterResponse* response);
  absl::Status GetRoomRoster(const common::Caller& caller,
                             const v1::GetRoomRosterRequest& request,
                             v1::GetRoomRosterResponse* response);
  absl::Status GetClinicDay(const common::Caller& caller,
                            const v1::GetClinicDayRequest& request,
                            v1::GetClinicDayResponse* response);
  absl::Status ExportTherapistCalendar(
      const common::Caller& caller,
      const v1::ExportTherapistCalendarRequest& request,
      v1::ExportTherapistCalendarResponse* response);

 private:
  RosterSources* const sources_;
  const Clock clock_;
};

}  // namespace tandem::roster

#endif  // TANDEM_SERVICES_ROSTER_ROSTER_HANDLER_H_
