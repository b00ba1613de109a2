#include "services/directory/validation.h"

#include <bitset>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"

namespace tandem::directory {

namespace {

using google::protobuf::RepeatedPtrField;
using tandem::common::v1::WeeklyHours;

absl::Status Invalid(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

absl::Status ValidateName(const std::string& name, absl::string_view field,
                          size_t max) {
  if (name.empty() || name.size() > max) {
    return Invalid(field,
                   absl::StrCat("required, at most ", max, " characters"));
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f)
      return Invalid(field, "contains control characters");
  }
  return absl::OkStatus();
}

absl::Status ValidateWeeklyHours(const RepeatedPtrField<WeeklyHours>& hours,
                                 absl::string_view field) {
  std::bitset<8> seen;
  for (int i = 0; i < hours.size(); ++i) {
    const std::string path = absl::StrCat(field, "[", i, "]");
    const WeeklyHours& day = hours[i];
    if (day.weekday() < tandem::common::v1::WEEKDAY_MONDAY ||
        day.weekday() > tandem::common::v1::WEEKDAY_SUNDAY) {
      return Invalid(absl::StrCat(path, ".weekday"), "required");
    }
    if (seen[day.weekday()]) {
      return Invalid(absl::StrCat(path, ".weekday"),
                     "given twice; one entry per weekday");
    }
    seen[day.weekday()] = true;
    ASSIGN_OR_RETURN(int start,
                     common::MinuteOfDayFromProto(
                         day.start_time(), absl::StrCat(path, ".start_time")));
    ASSIGN_OR_RETURN(
        int end, common::MinuteOfDayFromProto(day.end_time(),
                                              absl::StrCat(path, ".end_time")));
    if (end <= start) {
      return Invalid(absl::StrCat(path, ".end_time"),
                     "must be after start_time");
    }
  }
  return absl::OkStatus();
}

// Lower-case BCP 47 language tags: "en", "ta", "pt-br".
bool IsLanguageTag(const std::string& tag) {
  if (tag.size() < 2 || tag.size() > 35) return false;
  for (char c : tag) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-'))
      return false;
  }
  return absl::ascii_islower(tag[0]);
}

}  // namespace

absl::Status ValidateClinicSettings(const v1::ClinicSettings& settings) {
  RETURN_IF_ERROR(
      ValidateName(settings.display_name(), "settings.display_name", 100));
  absl::TimeZone zone;
  if (settings.time_zone().empty() ||
      !absl::LoadTimeZone(settings.time_zone(), &zone)) {
    return Invalid("settings.time_zone",
                   "not a known IANA time zone (e.g. Europe/London)");
  }
  RETURN_IF_ERROR(
      ValidateWeeklyHours(settings.opening_hours(), "settings.opening_hours"));
  switch (settings.booking_grid_minutes()) {
    case 5:
    case 10:
    case 15:
    case 20:
    case 30:
    case 60:
      break;
    default:
      return Invalid("settings.booking_grid_minutes",
                     "must be 5, 10, 15, 20, 30 or 60");
  }
  if (settings.contact_phone().size() > 40) {
    return Invalid("settings.contact_phone", "at most 40 characters");
  }
  return absl::OkStatus();
}

absl::Status ValidateTherapist(const v1::Therapist& therapist) {
  RETURN_IF_ERROR(
      ValidateName(therapist.display_name(), "therapist.display_name", 100));
  if (therapist.sex() != v1::SEX_MALE && therapist.sex() != v1::SEX_FEMALE) {
    return Invalid("therapist.sex", "must be MALE or FEMALE");
  }
  if (therapist.languages().empty() || therapist.languages_size() > 16) {
    return Invalid("therapist.languages", "between 1 and 16 languages");
  }
  std::set<std::string> languages;
  for (int i = 0; i < therapist.languages_size(); ++i) {
    const std::string& tag = therapist.languages(i);
    const std::string path = absl::StrCat("therapist.languages[", i, "]");
    if (!IsLanguageTag(tag)) {
      return Invalid(path, "a lower-case language tag such as 'en' or 'pt-br'");
    }
    if (!languages.insert(tag).second) return Invalid(path, "given twice");
  }
  if (therapist.qualifications_size() > 32) {
    return Invalid("therapist.qualifications", "at most 32");
  }
  for (int i = 0; i < therapist.qualifications_size(); ++i) {
    RETURN_IF_ERROR(
        ValidateName(therapist.qualifications(i),
                     absl::StrCat("therapist.qualifications[", i, "]"), 50));
  }
  RETURN_IF_ERROR(ValidateWeeklyHours(therapist.working_hours(),
                                      "therapist.working_hours"));
  if (therapist.daily_session_minutes_cap() < 1 ||
      therapist.daily_session_minutes_cap() > 720) {
    return Invalid("therapist.daily_session_minutes_cap",
                   "between 1 and 720 minutes");
  }
  return absl::OkStatus();
}

absl::Status ValidateRoom(const v1::Room& room) {
  RETURN_IF_ERROR(ValidateName(room.display_name(), "room.display_name", 100));
  if (room.capacity() < 1 || room.capacity() > 50) {
    return Invalid("room.capacity", "between 1 and 50");
  }
  if (room.kinds().empty()) return Invalid("room.kinds", "at least one kind");
  std::bitset<8> seen;
  for (int i = 0; i < room.kinds_size(); ++i) {
    const int kind = room.kinds(i);
    const std::string path = absl::StrCat("room.kinds[", i, "]");
    if (kind != v1::ROOM_KIND_JOINT && kind != v1::ROOM_KIND_INDIVIDUAL) {
      return Invalid(path, "must be JOINT or INDIVIDUAL");
    }
    if (seen[kind]) return Invalid(path, "given twice");
    seen[kind] = true;
  }
  return absl::OkStatus();
}

absl::Status ValidateTeamMembers(const v1::Therapist& male,
                                 const v1::Therapist& female) {
  if (male.sex() != v1::SEX_MALE) {
    return Invalid("team.male_therapist_id", "is not a male therapist");
  }
  if (female.sex() != v1::SEX_FEMALE) {
    return Invalid("team.female_therapist_id", "is not a female therapist");
  }
  if (!male.active()) {
    return Invalid("team.male_therapist_id", "therapist is inactive");
  }
  if (!female.active()) {
    return Invalid("team.female_therapist_id", "therapist is inactive");
  }
  return absl::OkStatus();
}

absl::StatusOr<Interval> ValidateInterval(
    const google::protobuf::Timestamp& start,
    const google::protobuf::Timestamp& end, absl::string_view prefix) {
  ASSIGN_OR_RETURN(
      absl::Time start_time,
      common::TimeFromProto(start, absl::StrCat(prefix, ".start_time")));
  ASSIGN_OR_RETURN(
      absl::Time end_time,
      common::TimeFromProto(end, absl::StrCat(prefix, ".end_time")));
  if (start_time == absl::UnixEpoch()) {
    return Invalid(absl::StrCat(prefix, ".start_time"), "required");
  }
  if (end_time <= start_time) {
    return Invalid(absl::StrCat(prefix, ".end_time"),
                   "must be after start_time");
  }
  if (end_time - start_time > kMaxInterval) {
    return Invalid(absl::StrCat(prefix, ".end_time"),
                   "one record covers at most 400 days");
  }
  return Interval{start_time, end_time};
}

absl::Status ValidateAbsenceReason(v1::AbsenceReason reason) {
  if (reason == v1::ABSENCE_REASON_UNSPECIFIED ||
      !v1::AbsenceReason_IsValid(reason)) {
    return Invalid("absence.reason", "required");
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::CivilDay> ValidateClosure(const v1::Closure& closure) {
  ASSIGN_OR_RETURN(absl::CivilDay day,
                   common::DayFromProto(closure.date(), "closure.date"));
  if (closure.kind() == v1::CLOSURE_KIND_UNSPECIFIED ||
      !v1::ClosureKind_IsValid(closure.kind())) {
    return Invalid("closure.kind", "must be PUBLIC_HOLIDAY or ONE_OFF");
  }
  if (closure.label().size() > 200) {
    return Invalid("closure.label", "at most 200 characters");
  }
  return day;
}

}  // namespace tandem::directory
