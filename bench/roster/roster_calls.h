// The roster reads the load client measures, as ReadCalls (read_runner.h):
// request k asks for a seeded random therapist and/or day of the booked
// year, so the same seed gives the same requests.
#ifndef TANDEM_BENCH_ROSTER_ROSTER_CALLS_H_
#define TANDEM_BENCH_ROSTER_ROSTER_CALLS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "bench/roster/read_runner.h"

namespace tandem::bench {

// What the requests pick from.
struct ReadSpace {
  std::vector<std::string> therapist_ids;  // directory ids ("th-7")
  absl::CivilDay first_day;                // the booked year's first day
  int days = 365;                          // its length
  uint64_t seed = 42;
};

// GetTherapistRoster over `span_days` days starting on a random day of the
// year (the range stays inside it); items = roster items over all days.
ReadCall TherapistRosterCall(const ReadSpace& space, int span_days);

// GetClinicDay of a random day; items = the therapists' items.
ReadCall ClinicDayCall(const ReadSpace& space);

// ExportTherapistCalendar of a random therapist over `span_days` days from
// the year's first day; bytes = the calendar's size, items = its events.
ReadCall ExportCalendarCall(const ReadSpace& space, int span_days);

}  // namespace tandem::bench

#endif  // TANDEM_BENCH_ROSTER_ROSTER_CALLS_H_
