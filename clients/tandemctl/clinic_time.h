// Dates and times as people type and read them: clinic-local, minute
// precision ("2026-12-01 09:00"). The clinic's zone is passed in (tandemctl
// reads it from the directory once per invocation, only when needed).
#ifndef TANDEM_CLIENTS_TANDEMCTL_CLINIC_TIME_H_
#define TANDEM_CLIENTS_TANDEMCTL_CLINIC_TIME_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/repeated_field.h"
#include "google/protobuf/timestamp.pb.h"
#include "tandem/common/v1/types.pb.h"

namespace tandem::cli {

// Formats and parses instants in one time zone.
class ClinicTime {
 public:
  explicit ClinicTime(absl::TimeZone zone) : zone_(zone) {}

  const absl::TimeZone& zone() const { return zone_; }

  // "2026-12-01 09:00".
  std::string DateTime(absl::Time t) const;
  std::string DateTime(const google::protobuf::Timestamp& t) const;
  // "09:00".
  std::string Clock(absl::Time t) const;
  std::string Clock(const google::protobuf::Timestamp& t) const;
  // "2026-12-01 09:00-10:30", or "2026-12-01 22:00 - 2026-12-02 06:00"
  // across midnight.
  std::string Range(const google::protobuf::Timestamp& start,
                    const google::protobuf::Timestamp& end) const;
  // An interval of whole clinic days as "2026-12-01 to 2026-12-05" (end
  // exclusive at midnight, shown inclusive; one day alone: "2026-12-01"),
  // anything else as Range().
  std::string Span(const google::protobuf::Timestamp& start,
                   const google::protobuf::Timestamp& end) const;
  // "09:00-10:30" (the date left out; across midnight "22:00-06:00+1").
  std::string ClockRange(const google::protobuf::Timestamp& start,
                         const google::protobuf::Timestamp& end) const;

  // The clinic-local day of `now`.
  absl::CivilDay Today(absl::Time now) const;

  // Parses a clinic-local time typed by a person: "2026-12-01T09:00",
  // "2026-12-01 09:00" (seconds allowed). A time skipped by a DST change
  // resolves to the instant after the gap. INVALID_ARGUMENT names `flag`.
  absl::StatusOr<absl::Time> ParseLocal(absl::string_view text,
                                        absl::string_view flag) const;

  // A day as the start (00:00) or end (24:00) of its clinic-local hours.
  absl::Time StartOfDay(absl::CivilDay day) const;

 private:
  absl::TimeZone zone_;
};

// "2026-12-01", "today", "tomorrow", "yesterday" or "+N"/"-N" (days from
// today). INVALID_ARGUMENT names `flag`.
absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view text,
                                        absl::CivilDay today,
                                        absl::string_view flag);

// "2026-12-01".
std::string FormatDay(absl::CivilDay day);
std::string FormatDate(const tandem::common::v1::Date& date);
// "09:00" (and "24:00").
std::string FormatTimeOfDay(const tandem::common::v1::TimeOfDay& time);

// Weekly hours as typed: comma-separated "DAYS=HH:MM-HH:MM" entries, DAYS a
// weekday ("mon") or a range ("mon-fri"); e.g.
// "mon-fri=08:00-18:00,sat=09:00-13:00". "none" (or empty) is no hours at
// all. Each weekday at most once; end after start.
absl::StatusOr<std::vector<tandem::common::v1::WeeklyHours>> ParseWeeklyHours(
    absl::string_view spec, absl::string_view flag);
// The reverse, with runs of days that share hours merged:
// "Mon-Fri 08:00-18:00, Sat 09:00-13:00"; "none" when empty.
std::string FormatWeeklyHours(
    const google::protobuf::RepeatedPtrField<tandem::common::v1::WeeklyHours>&
        hours);

// A length typed by a person: "30m", "2h", "1h30m", "14d" (days), or a
// bare number of minutes. Positive. INVALID_ARGUMENT names `flag`.
absl::StatusOr<absl::Duration> ParseLength(absl::string_view text,
                                           absl::string_view flag);
// "30 min", "1 h 30 min", "2 days".
std::string FormatLength(absl::Duration d);

}  // namespace tandem::cli

#endif  // TANDEM_CLIENTS_TANDEMCTL_CLINIC_TIME_H_
