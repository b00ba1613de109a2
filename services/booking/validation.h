// Pure checks of booking input. Failures are INVALID_ARGUMENT naming the
// field path ("couple.partner_a.email"); messages never echo the value, as
// most of it is personal data.
#ifndef TANDEM_SERVICES_BOOKING_VALIDATION_H_
#define TANDEM_SERVICES_BOOKING_VALIDATION_H_

#include "absl/status/status.h"
#include "tandem/booking/v1/booking.pb.h"

namespace tandem::booking {

namespace v1 = ::tandem::booking::v1;

absl::Status ValidateCouple(const v1::Couple& couple);
absl::Status ValidateReferral(const v1::Referral& referral);
// A programme template as a coordinator may define it: complete days,
// well-formed sessions, parallel links to an earlier session of the same day
// that shares neither a partner nor a therapist, a span that fits the days.
// (Whether sessions fit the clinic's opening hours is checked when planning,
// against the clinic as it is then.)
absl::Status ValidateProgrammeTemplate(const v1::ProgrammeTemplate& t);

// The label shown to staff instead of names: the given initials
// ("A.K. & B.L."), when the coordinator did not set one.
std::string DefaultDisplayLabel(const v1::Couple& couple);

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_VALIDATION_H_
