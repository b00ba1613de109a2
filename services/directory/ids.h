// The directory's id prefixes (see common/resource_id.h).
#ifndef TANDEM_SERVICES_DIRECTORY_IDS_H_
#define TANDEM_SERVICES_DIRECTORY_IDS_H_

#include "absl/strings/string_view.h"
#include "services/common/resource_id.h"

namespace tandem::directory {

using common::FormatId;
using common::ParseId;

inline constexpr absl::string_view kTherapistPrefix = "th";
inline constexpr absl::string_view kRoomPrefix = "rm";
inline constexpr absl::string_view kTeamPrefix = "tm";
inline constexpr absl::string_view kAbsencePrefix = "ab";
inline constexpr absl::string_view kRoomOutagePrefix = "ro";
inline constexpr absl::string_view kClosurePrefix = "cl";

}  // namespace tandem::directory

#endif  // TANDEM_SERVICES_DIRECTORY_IDS_H_
