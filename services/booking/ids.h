// The booking service's id prefixes (see common/resource_id.h).
#ifndef TANDEM_SERVICES_BOOKING_IDS_H_
#define TANDEM_SERVICES_BOOKING_IDS_H_

#include "absl/strings/string_view.h"
#include "services/common/resource_id.h"

namespace tandem::booking {

using common::FormatId;
using common::ParseId;

inline constexpr absl::string_view kCouplePrefix = "cp";
inline constexpr absl::string_view kReferralPrefix = "rf";
inline constexpr absl::string_view kTemplatePrefix = "pt";
inline constexpr absl::string_view kIntensivePrefix = "in";
inline constexpr absl::string_view kSessionPrefix = "se";
inline constexpr absl::string_view kAppointmentPrefix = "ap";

// The directory's therapist ids, which couples and plans refer to.
inline constexpr absl::string_view kTherapistPrefix = "th";

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_IDS_H_
