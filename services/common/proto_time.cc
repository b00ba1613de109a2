#include "services/common/proto_time.h"

#include "absl/strings/str_cat.h"

namespace tandem::common {

namespace {
// google.protobuf.Timestamp's documented range: 0001-01-01 to 9999-12-31.
constexpr int64_t kMinSeconds = -62135596800;
constexpr int64_t kMaxSeconds = 253402300799;
}  // namespace

absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

google::protobuf::Timestamp ToProto(absl::Time time) {
  google::protobuf::Timestamp ts;
  const int64_t seconds = absl::ToUnixSeconds(time);
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
  return ts;
}

absl::StatusOr<absl::Time> TimeFromProto(const google::protobuf::Timestamp& ts,
                                         absl::string_view field) {
  if (ts.seconds() < kMinSeconds || ts.seconds() > kMaxSeconds ||
      ts.nanos() < 0 || ts.nanos() > 999999999) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": timestamp out of range"));
  }
  return FromProto(ts);
}

absl::StatusOr<absl::CivilDay> DayFromProto(const tandem::common::v1::Date& d,
                                            absl::string_view field) {
  if (d.year() < 1900 || d.year() > 9999 || d.month() < 1 || d.month() > 12 ||
      d.day() < 1 || d.day() > 31) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": not a valid date"));
  }
  absl::CivilDay day(d.year(), d.month(), d.day());
  // CivilDay normalises 02-30 to 03-02; a changed day means it was invalid.
  if (day.month() != d.month() || day.day() != d.day()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": not a valid date"));
  }
  return day;
}

tandem::common::v1::Date DayToProto(absl::CivilDay day) {
  tandem::common::v1::Date d;
  d.set_year(static_cast<int32_t>(day.year()));
  d.set_month(day.month());
  d.set_day(day.day());
  return d;
}

absl::StatusOr<int> MinuteOfDayFromProto(
    const tandem::common::v1::TimeOfDay& time, absl::string_view field) {
  const bool end_of_day = time.hours() == 24 && time.minutes() == 0;
  if (!end_of_day && (time.hours() < 0 || time.hours() > 23 ||
                      time.minutes() < 0 || time.minutes() > 59)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": not a valid time of day"));
  }
  return time.hours() * 60 + time.minutes();
}

tandem::common::v1::TimeOfDay MinuteOfDayToProto(int minute_of_day) {
  tandem::common::v1::TimeOfDay time;
  time.set_hours(minute_of_day / 60);
  time.set_minutes(minute_of_day % 60);
  return time;
}

tandem::common::v1::Weekday WeekdayToProto(absl::Weekday weekday) {
  switch (weekday) {
    case absl::Weekday::monday:
      return tandem::common::v1::WEEKDAY_MONDAY;
    case absl::Weekday::tuesday:
      return tandem::common::v1::WEEKDAY_TUESDAY;
    case absl::Weekday::wednesday:
      return tandem::common::v1::WEEKDAY_WEDNESDAY;
    case absl::Weekday::thursday:
      return tandem::common::v1::WEEKDAY_THURSDAY;
    case absl::Weekday::friday:
      return tandem::common::v1::WEEKDAY_FRIDAY;
    case absl::Weekday::saturday:
      return tandem::common::v1::WEEKDAY_SATURDAY;
    case absl::Weekday::sunday:
      return tandem::common::v1::WEEKDAY_SUNDAY;
  }
  return tandem::common::v1::WEEKDAY_UNSPECIFIED;
}

}  // namespace tandem::common
