// Reads the closed days out of an iCalendar (RFC 5545) file of public
// holidays, as published by governments and calendar apps.
#ifndef TANDEM_SERVICES_DIRECTORY_ICS_IMPORT_H_
#define TANDEM_SERVICES_DIRECTORY_ICS_IMPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace tandem::directory {

struct HolidayDay {
  absl::CivilDay day;
  std::string label;  // the event's SUMMARY, cut to 200 bytes
};

inline constexpr size_t kMaxIcsBytes = 1 << 20;
inline constexpr size_t kMaxImportedDays = 2000;

// Every day covered by an all-day VEVENT (DTSTART;VALUE=DATE, up to the
// exclusive DTEND, one day when DTEND is absent), sorted, without
// duplicates. Events with a time of day are not closures and are skipped;
// yearly RRULEs are expanded for ten occurrences. INVALID_ARGUMENT naming
// ics_content if the text is not iCalendar or is too large.
absl::StatusOr<std::vector<HolidayDay>> ParseHolidayCalendar(
    absl::string_view ics);

}  // namespace tandem::directory

#endif  // TANDEM_SERVICES_DIRECTORY_ICS_IMPORT_H_
