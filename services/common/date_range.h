// The `date_range` filter of Lists: clinic-local days, both ends
// included, errors naming date_range.start_date / .end_date.
#ifndef TANDEM_SERVICES_COMMON_DATE_RANGE_H_
#define TANDEM_SERVICES_COMMON_DATE_RANGE_H_

#include <utility>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"
#include "tandem/common/v1/types.pb.h"

namespace tandem::common {

struct DayRange {
  absl::CivilDay first;
  absl::CivilDay last;
};

// INVALID_ARGUMENT naming the field for a bad date or an end before the
// start.
inline absl::StatusOr<DayRange> DayRangeFromProto(
    const tandem::common::v1::DateRange& range) {
  DayRange out;
  ASSIGN_OR_RETURN(out.first, DayFromProto(range.start_date(),
                                                   "date_range.start_date"));
  ASSIGN_OR_RETURN(out.last, DayFromProto(range.end_date(),
                                                  "date_range.end_date"));
  if (out.last < out.first) {
    return absl::InvalidArgumentError(
        "date_range.end_date: must not be before start_date");
  }
  return out;
}

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_DATE_RANGE_H_
