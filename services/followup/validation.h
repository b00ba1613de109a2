// Pure checks of follow-up input. Failures are INVALID_ARGUMENT naming the
// field path ("follow_up_plan_template.steps[2].duration"); messages never
// echo a note or any other free text.
#ifndef TANDEM_SERVICES_FOLLOWUP_VALIDATION_H_
#define TANDEM_SERVICES_FOLLOWUP_VALIDATION_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "tandem/common/v1/types.pb.h"
#include "tandem/followup/v1/followup.pb.h"

namespace tandem::followup {

namespace v1 = ::tandem::followup::v1;

// Limits documented in followup.proto.
inline constexpr int kMaxSteps = 20;
inline constexpr int kMaxOffsetMonths = 60;
inline constexpr int kMaxOffsetDays = 366;
inline constexpr int kMaxWindowDays = 30;
inline constexpr int kMaxNoteCharacters = 200;

// A template as a coordinator may define it (`field` prefixes the paths):
// a 1-100 character name, 1-20 steps each with an offset after the last
// treatment day (months 0-60, days 0-366, not both 0), a kind, a duration of
// whole minutes from 5 minutes to 2 hours and a window of 0-30 days, and an
// assignment rule.
absl::Status ValidateTemplate(const v1::FollowUpPlanTemplate& t,
                              absl::string_view field);

// At most 200 characters (UTF-8), no control characters.
absl::Status ValidateNote(absl::string_view note, absl::string_view field);

// The clinic-local days of a List's `date_range` filter, both ends included;
// INVALID_ARGUMENT naming date_range.start_date or .end_date.
absl::Status ParseDayRange(const tandem::common::v1::DateRange& range,
                           std::optional<absl::CivilDay>* first,
                           std::optional<absl::CivilDay>* last);

}  // namespace tandem::followup

#endif  // TANDEM_SERVICES_FOLLOWUP_VALIDATION_H_
