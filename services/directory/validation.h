// Pure checks of directory input. Each failure is INVALID_ARGUMENT naming the
// offending field by its path in the request ("therapist.languages[1]"), so a
// coordinator's form can point at it. Messages never echo free text back.
#ifndef TANDEM_SERVICES_DIRECTORY_VALIDATION_H_
#define TANDEM_SERVICES_DIRECTORY_VALIDATION_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "tandem/directory/v1/directory.pb.h"

namespace tandem::directory {

namespace v1 = ::tandem::directory::v1;

// The longest absence or outage one record may cover. Longer leave is
// recorded as several records, which keeps a typo (year 2207) harmless.
inline constexpr absl::Duration kMaxInterval = absl::Hours(24 * 400);

absl::Status ValidateClinicSettings(const v1::ClinicSettings& settings);
absl::Status ValidateTherapist(const v1::Therapist& therapist);
absl::Status ValidateRoom(const v1::Room& room);
// A standing team: `male` is an active MALE, `female` an active FEMALE.
absl::Status ValidateTeamMembers(const v1::Therapist& male,
                                 const v1::Therapist& female);

struct Interval {
  absl::Time start;
  absl::Time end;
};
// `prefix` is the message's field path ("absence").
absl::StatusOr<Interval> ValidateInterval(
    const google::protobuf::Timestamp& start,
    const google::protobuf::Timestamp& end, absl::string_view prefix);

absl::Status ValidateAbsenceReason(v1::AbsenceReason reason);
// Returns the closed day.
absl::StatusOr<absl::CivilDay> ValidateClosure(const v1::Closure& closure);

}  // namespace tandem::directory

#endif  // TANDEM_SERVICES_DIRECTORY_VALIDATION_H_
