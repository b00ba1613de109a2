#include "services/followup/validation.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/common/date_range.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"

namespace tandem::followup {

namespace {

absl::Status Invalid(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

// Code points in valid UTF-8, or -1.
int Utf8Length(absl::string_view text) {
  int count = 0;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const size_t length = c < 0x80           ? 1
                          : (c >> 5) == 0x6  ? 2
                          : (c >> 4) == 0xe  ? 3
                          : (c >> 3) == 0x1e ? 4
                                             : 0;
    if (length == 0 || i + length > text.size()) return -1;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return -1;
    }
    i += length;
    ++count;
  }
  return count;
}

absl::Status ValidateStep(const v1::FollowUpStep& step,
                          absl::string_view field) {
  const auto& offset = step.offset();
  if (offset.months() < 0 || offset.months() > kMaxOffsetMonths) {
    return Invalid(absl::StrCat(field, ".offset.months"), "must be 0-60");
  }
  if (offset.days() < 0 || offset.days() > kMaxOffsetDays) {
    return Invalid(absl::StrCat(field, ".offset.days"), "must be 0-366");
  }
  if (offset.months() == 0 && offset.days() == 0) {
    return Invalid(absl::StrCat(field, ".offset"),
                   "must fall after the last treatment day");
  }
  if (step.kind() == v1::CONTACT_KIND_UNSPECIFIED ||
      !v1::ContactKind_IsValid(step.kind())) {
    return Invalid(absl::StrCat(field, ".kind"), "required");
  }
  const absl::Duration duration = absl::Seconds(step.duration().seconds()) +
                                  absl::Nanoseconds(step.duration().nanos());
  if (duration < absl::Minutes(5) || duration > absl::Hours(2) ||
      duration % absl::Minutes(1) != absl::ZeroDuration()) {
    return Invalid(absl::StrCat(field, ".duration"),
                   "whole minutes, 5 minutes to 2 hours");
  }
  if (step.window_days() < 0 || step.window_days() > kMaxWindowDays) {
    return Invalid(absl::StrCat(field, ".window_days"), "must be 0-30");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateTemplate(const v1::FollowUpPlanTemplate& t,
                              absl::string_view field) {
  const int name_length = Utf8Length(t.display_name());
  if (name_length < 1 || name_length > 100) {
    return Invalid(absl::StrCat(field, ".display_name"), "1-100 characters");
  }
  if (t.steps_size() < 1 || t.steps_size() > kMaxSteps) {
    return Invalid(absl::StrCat(field, ".steps"), "1-20 steps");
  }
  for (int i = 0; i < t.steps_size(); ++i) {
    if (absl::Status s =
            ValidateStep(t.steps(i), absl::StrCat(field, ".steps[", i, "]"));
        !s.ok()) {
      return s;
    }
  }
  if (t.assignment_rule() == v1::ASSIGNMENT_RULE_UNSPECIFIED ||
      !v1::AssignmentRule_IsValid(t.assignment_rule())) {
    return Invalid(absl::StrCat(field, ".assignment_rule"), "required");
  }
  return absl::OkStatus();
}

absl::Status ValidateNote(absl::string_view note, absl::string_view field) {
  const int length = Utf8Length(note);
  if (length < 0) return Invalid(field, "not valid UTF-8");
  if (length > kMaxNoteCharacters)
    return Invalid(field, "at most 200 characters");
  for (char c : note) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Invalid(field, "no control characters");
    }
  }
  return absl::OkStatus();
}

absl::Status ParseDayRange(const tandem::common::v1::DateRange& range,
                           std::optional<absl::CivilDay>* first,
                           std::optional<absl::CivilDay>* last) {
  ASSIGN_OR_RETURN(common::DayRange days, common::DayRangeFromProto(range));
  *first = days.first;
  *last = days.last;
  return absl::OkStatus();
}

}  // namespace tandem::followup
