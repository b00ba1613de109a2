// Conversions between Tandem's wire types (google.protobuf.Timestamp,
// tandem.common.v1.Date/TimeOfDay) and Abseil's time types. Validation
// failures name the field given by the caller.
#ifndef TANDEM_SERVICES_COMMON_PROTO_TIME_H_
#define TANDEM_SERVICES_COMMON_PROTO_TIME_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "tandem/common/v1/types.pb.h"

namespace tandem::common {

absl::Time FromProto(const google::protobuf::Timestamp& ts);
google::protobuf::Timestamp ToProto(absl::Time time);
// Rejects out-of-range seconds/nanos; `field` names the field in the error.
absl::StatusOr<absl::Time> TimeFromProto(const google::protobuf::Timestamp& ts,
                                         absl::string_view field);

// Rejects impossible dates such as 2027-02-30.
absl::StatusOr<absl::CivilDay> DayFromProto(const tandem::common::v1::Date& d,
                                            absl::string_view field);
tandem::common::v1::Date DayToProto(absl::CivilDay day);

// Minutes since midnight, 0..1440 (24:00 allowed as an end of day).
absl::StatusOr<int> MinuteOfDayFromProto(
    const tandem::common::v1::TimeOfDay& time, absl::string_view field);
tandem::common::v1::TimeOfDay MinuteOfDayToProto(int minute_of_day);

// Monday = 1 ... Sunday = 7, matching tandem.common.v1.Weekday.
tandem::common::v1::Weekday WeekdayToProto(absl::Weekday weekday);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_PROTO_TIME_H_
