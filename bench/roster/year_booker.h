// Fills a running booking service with a year of confirmed intensives,
// through its public API, as fast as several clients can: per intensive one
// CreateCouple (no referrals, so Confirm passes), then ProposeIntensive
// (max_plans 1) -> HoldIntensive of that plan -> ConfirmIntensive.
//
// The start windows are 21 days long and spread evenly over the year from
// `first_day` (in a seeded random order, so concurrent clients rarely race
// for the same slot). No plan in a window: the next window two weeks later
// (wrapping to the start of the year) is tried, at most kWindows windows.
// Hold ABORTED (another client took the time): propose again, at most
// kAbortRetries times per window. Any other error is counted, its first few
// messages kept, and the intensive given up.
//
// Example:
//   YearBooking booked = BookYear(booking->target(), {.count = 2600,
//       .clients = 4, .first_day = first_day, .languages = {"en", "es"}});
#ifndef TANDEM_BENCH_ROSTER_YEAR_BOOKER_H_
#define TANDEM_BENCH_ROSTER_YEAR_BOOKER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace tandem::bench {

struct YearBookingSpec {
  int count = 0;    // intensives wanted
  int clients = 1;  // concurrent clients, each with its own connection
  absl::CivilDay first_day;
  int days = 365;  // the windows' starts span [first_day, first_day + days)
  // Couple k speaks languages[k % size] (tags the directory knows).
  std::vector<std::string> languages;
  uint64_t seed = 42;
};

struct YearBooking {
  int booked = 0;
  int gave_up = 0;       // no plan in any window, or an error
  int aborted = 0;       // holds refused with ABORTED, then proposed again
  int windows_full = 0;  // proposals without a plan
  int errors = 0;        // calls that failed with anything but ABORTED
  std::vector<std::string> error_samples;  // the first few, with their call
  absl::CivilDay last_start;               // latest booked start date
  absl::Duration wall;
};

// Books spec.count intensives (template "pt-1") on the booking service at
// `target` ("127.0.0.1:PORT"). Couples' request ids start with "yb-": use a
// fresh booking service.
YearBooking BookYear(const std::string& target, const YearBookingSpec& spec);

}  // namespace tandem::bench

#endif  // TANDEM_BENCH_ROSTER_YEAR_BOOKER_H_
