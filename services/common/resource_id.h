// Public resource ids: a kind prefix and the row id ("th-7" is therapist row
// 7). The prefix makes a mixed-up id (a room id passed as a therapist) a
// clear INVALID_ARGUMENT instead of a wrong row.
#ifndef TANDEM_SERVICES_COMMON_RESOURCE_ID_H_
#define TANDEM_SERVICES_COMMON_RESOURCE_ID_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tandem::common {

std::string FormatId(absl::string_view prefix, int64_t row_id);
// INVALID_ARGUMENT naming `field` unless `id` is "<prefix>-<positive int>".
absl::StatusOr<int64_t> ParseId(absl::string_view prefix, absl::string_view id,
                                absl::string_view field);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_RESOURCE_ID_H_
