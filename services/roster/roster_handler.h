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
#include "services/common/date_range.h"
#include "services/roster/feed_token.h"
#include "services/roster/roster_sources.h"
#include "tandem/roster/v1/roster_service.pb.h"

namespace tandem::roster {

class RosterHandler {
 public:
  using Clock = std::function<absl::Time()>;
  // Neither pointer is owned; both must outlive the handler. Without
  // `feeds` (no --calendar_feed_key_file) there are no subscriptions.
  RosterHandler(RosterSources* sources, Clock clock,
                const FeedTokenSigner* feeds = nullptr)
      : sources_(sources), clock_(std::move(clock)), feeds_(feeds) {}

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
  absl::Status CreateCalendarFeed(const common::Caller& caller,
                                  const v1::CreateCalendarFeedRequest& request,
                                  v1::CreateCalendarFeedResponse* response);
  // `caller` is the link holder (see Credential::kInRequest): only the
  // token in the request counts.
  absl::Status GetCalendarFeed(const common::Caller& caller,
                               const v1::GetCalendarFeedRequest& request,
                               v1::GetCalendarFeedResponse* response);

 private:
  // What a therapist's calendar over `days` is made of: cancelled bookings
  // included (so calendar apps drop them), couples' labels not.
  absl::StatusOr<RosterInputs> ReadForCalendar(const std::string& therapist_id,
                                               const common::DayRange& days,
                                               absl::Time now);

  RosterSources* const sources_;
  const Clock clock_;
  const FeedTokenSigner* const feeds_;
};

}  // namespace tandem::roster

#endif  // TANDEM_SERVICES_ROSTER_ROSTER_HANDLER_H_
