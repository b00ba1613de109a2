// When a programme may go ahead as far as medical referrals are concerned.
// A template with referral_clearance_required needs every referral of the
// couple cleared or marked not needed before a booking is confirmed.
#ifndef TANDEM_SERVICES_BOOKING_REFERRAL_RULES_H_
#define TANDEM_SERVICES_BOOKING_REFERRAL_RULES_H_

#include <optional>
#include <string>
#include <vector>

#include "tandem/booking/v1/booking.pb.h"

namespace tandem::booking {

inline bool ReferralSettled(const tandem::booking::v1::Referral& referral) {
  return referral.status() == tandem::booking::v1::REFERRAL_STATUS_CLEARED ||
         referral.status() == tandem::booking::v1::REFERRAL_STATUS_NOT_NEEDED;
}

// The id of the first referral that blocks confirming `programme`, if any.
inline std::optional<std::string> UnsettledReferral(
    const tandem::booking::v1::ProgrammeTemplate& programme,
    const std::vector<tandem::booking::v1::Referral>& referrals) {
  if (!programme.referral_clearance_required()) return std::nullopt;
  for (const tandem::booking::v1::Referral& referral : referrals) {
    if (!ReferralSettled(referral)) return referral.id();
  }
  return std::nullopt;
}

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_REFERRAL_RULES_H_
