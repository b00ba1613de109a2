#include "services/followup/delivery/quiet_hours.h"

#include "absl/time/civil_time.h"

namespace tandem::followup::delivery {
namespace {

// The instant of a local civil time: the first instant after a gap, the
// earlier of two repeated ones.
absl::Time LocalInstant(absl::CivilSecond local, absl::TimeZone zone) {
  const absl::TimeZone::TimeInfo info = zone.At(local);
  return info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans : info.pre;
}

}  // namespace

absl::StatusOr<SendWindow> SendWindow::Make(int start_minute, int end_minute) {
  if (start_minute < 0 || start_minute >= end_minute || end_minute > 24 * 60) {
    return absl::InvalidArgumentError(
        "send_window: start must be before end, both within the day");
  }
  return SendWindow{start_minute, end_minute};
}

absl::Time NextSendTime(absl::Time due, absl::TimeZone zone,
                        const SendWindow& window) {
  const absl::CivilSecond local = absl::ToCivilSecond(due, zone);
  const absl::CivilDay day(local);
  const int minute = local.hour() * 60 + local.minute();
  if (minute >= window.start_minute && minute < window.end_minute) return due;
  const absl::CivilDay start_day = minute < window.start_minute ? day : day + 1;
  return LocalInstant(
      absl::CivilSecond(start_day) + int64_t{window.start_minute} * 60, zone);
}

bool IsTooLate(absl::Time send_time, std::optional<absl::Time> event_time,
               absl::Duration margin) {
  return event_time.has_value() && *event_time - send_time < margin;
}

}  // namespace tandem::followup::delivery
