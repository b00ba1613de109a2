// ProposeIntensive's work, outside any lock and any gRPC machinery: from the
// directory replica, the couple, the template and the couple's referrals to
// the planner's best plans (or its explanation), in the API's terms.
//
// Planning runs in clinic-local time: "today" is the clinic's date at `now`,
// sessions come back as instants through the clinic's time zone.
#ifndef TANDEM_SERVICES_BOOKING_PROPOSAL_H_
#define TANDEM_SERVICES_BOOKING_PROPOSAL_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "scheduler/availability_index.h"
#include "services/booking/directory_replica.h"
#include "services/booking/proposal_token.h"
#include "tandem/booking/v1/booking_service.pb.h"

namespace tandem::booking {

namespace v1 = ::tandem::booking::v1;

inline constexpr int kDefaultMaxPlans = 5;
inline constexpr int kMaxPlans = 20;
inline constexpr int kMaxWindowDays = 366;
// How long a proposed plan may be held before it must be proposed again.
inline constexpr absl::Duration kProposalLifetime = absl::Minutes(30);

struct ProposalInputs {
  const DirectoryState* directory = nullptr;  // required
  v1::Couple couple;
  v1::ProgrammeTemplate programme;      // with its id
  std::vector<v1::Referral> referrals;  // all of the couple's
  absl::Time now;
  const ProposalSigner* signer = nullptr;  // required: signs every plan
  // The live index (directory + bookings + every template) to plan on; when
  // null, one is built from `directory` alone (tests, tools).
  const scheduler::AvailabilityIndex* index = nullptr;
  // Repair mode: the intensive being re-planned; each plan then says how
  // many of its sessions it changes (signed with the rest of the plan).
  const v1::Intensive* repairing = nullptr;
};

// INVALID_ARGUMENT naming the request field for bad dates or max_plans
// (earliest_start in the clinic's past, a window over 366 days, ...);
// FAILED_PRECONDITION if the directory's clinic settings cannot be planned
// with. A couple or template the programme cannot be planned for (archived,
// referral open, partner missing) is not an error: the response explains.
// Repair mode (request.repair_intensive_id) is the caller's: it plans on an
// index without the intensive's own booking and passes the intensive's team
// as the preferred team.
absl::StatusOr<v1::ProposeIntensiveResponse> ProposeIntensive(
    const v1::ProposeIntensiveRequest& request, const ProposalInputs& inputs);

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_PROPOSAL_H_
