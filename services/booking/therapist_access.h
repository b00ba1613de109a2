// Object-level access in the booking service: what a caller who is only a
// therapist (common::Caller::OnlyTherapist) may read. Coordinators, admins
// and services are not narrowed here; which roles may call an RPC at all is
// the access policy's business (booking_access_policy.h).
//
// A therapist sees the intensives whose team includes them, unless
// CANCELLED or a lapsed hold (see TherapistScope in booking_store.h), those
// intensives' couples, referrals and sessions, and the appointments they
// take themselves. A Get of anything else is PERMISSION_DENIED naming the
// id field, also for ids that do not exist, so that a therapist cannot
// probe which ids exist. A List returns only what the therapist sees,
// filtered inside the store's query so that pages stay full and tokens
// stay valid; a List filter naming another therapist is PERMISSION_DENIED.
//
// Example (a handler):
//   ASSIGN_OR_RETURN(std::optional<TherapistScope> scope,
//                    ScopeFor(caller, store_.Now()));
//   auto store = store_.Lock();
//   if (scope) {
//     RETURN_IF_ERROR(RequireInScope(store->InScopeCouple(*scope, id), "id",
//                                    kNotTheirCouple));
//   }
#ifndef TANDEM_SERVICES_BOOKING_THERAPIST_ACCESS_H_
#define TANDEM_SERVICES_BOOKING_THERAPIST_ACCESS_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/booking/booking_store.h"
#include "services/common/caller.h"

namespace tandem::booking {

// What the denials say after "<field>: not ".
inline constexpr absl::string_view kNotTheirCouple =
    "a couple of your intensives";
inline constexpr absl::string_view kNotTheirIntensive =
    "one of your intensives";
inline constexpr absl::string_view kNotTheirReferral =
    "a referral of your couples";
inline constexpr absl::string_view kNotTheirAppointment =
    "one of your appointments";

// The scope that narrows `caller`'s reads at `now`, or nullopt for a caller
// who sees everything. PERMISSION_DENIED for a therapist without a
// therapist id (an authenticator should never let one through; failing
// closed keeps an empty id from reading as "no filter").
absl::StatusOr<std::optional<TherapistScope>> ScopeFor(
    const common::Caller& caller, absl::Time now);

// PERMISSION_DENIED "<field>: not <what>". Carries no data.
absl::Status NotTheirs(absl::string_view field, absl::string_view what);

// The error of `in_scope`, NotTheirs(field, what) when it is false, else OK.
absl::Status RequireInScope(const absl::StatusOr<bool>& in_scope,
                            absl::string_view field, absl::string_view what);

// For List filters that name a therapist ("th-N"): OK when `requested` is
// empty or the scope's own id, else PERMISSION_DENIED naming `field`.
absl::Status RequireOwnTherapistFilter(const TherapistScope& scope,
                                       absl::string_view requested,
                                       absl::string_view field,
                                       absl::string_view listing);

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_THERAPIST_ACCESS_H_
