// A therapist's roster as an iCalendar file (RFC 5545) for calendar apps.
//
// - One VEVENT per session or appointment, with a UID that survives moves
//   (an intensive's session keeps "<intensive>.<template session>@tandem"
//   when it is rescheduled, an appointment keeps its id), and a SEQUENCE that
//   grows with every change of the booking, so apps update events in place.
// - Cancelled bookings stay in the feed as STATUS:CANCELLED, so subscribed
//   calendars remove them instead of keeping a stale copy.
// - Times are local to the clinic, with TZID and a VTIMEZONE built from the
//   system's zone rules for the feed's years.
// - Entries leave the clinic: no client name or label, no programme name,
//   no clinical word. "Session (Room 2) with co-therapist J. Rao" and the
//   booking reference is all they say.
#ifndef TANDEM_SERVICES_ROSTER_CALENDAR_FEED_H_
#define TANDEM_SERVICES_ROSTER_CALENDAR_FEED_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/roster/roster_inputs.h"

namespace tandem::roster {

// The calendar (UTF-8, CRLF line endings) of `therapist_id` over the days of
// `in` (which should include cancelled sessions and appointments).
absl::StatusOr<std::string> BuildCalendarFeed(const RosterInputs& in,
                                              const std::string& therapist_id,
                                              absl::Time now);

// "Jaya Rao" -> "J. Rao": colleagues' names as calendars show them.
std::string ShortName(const std::string& display_name);

}  // namespace tandem::roster

#endif  // TANDEM_SERVICES_ROSTER_CALENDAR_FEED_H_
