// The follow-up service's id prefixes (see common/resource_id.h), and the
// prefixes of the other services' ids it refers to.
#ifndef TANDEM_SERVICES_FOLLOWUP_IDS_H_
#define TANDEM_SERVICES_FOLLOWUP_IDS_H_

#include "absl/strings/string_view.h"
#include "services/common/resource_id.h"

namespace tandem::followup {

using common::FormatId;
using common::ParseId;

inline constexpr absl::string_view kTemplatePrefix = "ft";
inline constexpr absl::string_view kPlanPrefix = "fp";
inline constexpr absl::string_view kContactPrefix = "fc";

// Booking's and the directory's ids.
inline constexpr absl::string_view kIntensivePrefix = "in";
inline constexpr absl::string_view kCouplePrefix = "cp";
inline constexpr absl::string_view kAppointmentPrefix = "ap";
inline constexpr absl::string_view kTherapistPrefix = "th";
inline constexpr absl::string_view kRoomPrefix = "rm";

}  // namespace tandem::followup

#endif  // TANDEM_SERVICES_FOLLOWUP_IDS_H_
