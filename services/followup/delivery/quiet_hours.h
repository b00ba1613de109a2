// Quiet hours: reminders go out only inside a daily send window in the
// recipient's time zone (default 08:00-21:00, start inclusive, end
// exclusive). A reminder falling due outside it waits for the window's next
// start, counted in local wall-clock time, so it is right across daylight
// saving changes.
//
// Example (Europe/Berlin, default window):
//   SendWindow window;                                 // 08:00-21:00
//   absl::Time at = NextSendTime(due, berlin, window);
//   // due 2027-03-27 22:30 local -> 2027-03-28 08:00 CEST (UTC+2)
//   if (IsTooLate(at, event_start, absl::Hours(2))) {
//     // enqueue (or mark) the reminder SUPPRESSED with TOO_LATE
//   }
#ifndef TANDEM_SERVICES_FOLLOWUP_DELIVERY_QUIET_HOURS_H_
#define TANDEM_SERVICES_FOLLOWUP_DELIVERY_QUIET_HOURS_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tandem::followup::delivery {

// The daily send window in local minutes since midnight: [start, end).
struct SendWindow {
  int start_minute = 8 * 60;
  int end_minute = 21 * 60;

  // INVALID_ARGUMENT unless 0 <= start < end <= 1440 (24:00 may end a day).
  static absl::StatusOr<SendWindow> Make(int start_minute, int end_minute);
};

// `due` if its local time in `zone` is inside `window`; otherwise the next
// window start after it (today's if `due` is before it, else tomorrow's).
// A window start that does not exist that day (skipped by a DST change)
// becomes the first instant after the gap; one that happens twice, the
// first of the two.
absl::Time NextSendTime(absl::Time due, absl::TimeZone zone,
                        const SendWindow& window);

// Whether a reminder sent at `send_time` comes too late for an event at
// `event_time`: the event starts in less than `margin` (or is past). An
// unknown event time is never too late.
bool IsTooLate(absl::Time send_time, std::optional<absl::Time> event_time,
               absl::Duration margin);

}  // namespace tandem::followup::delivery

#endif  // TANDEM_SERVICES_FOLLOWUP_DELIVERY_QUIET_HOURS_H_
