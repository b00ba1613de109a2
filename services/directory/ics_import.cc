#include "services/directory/ics_import.h"

#include <libical/ical.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"

namespace tandem::directory {

namespace {

constexpr int kMaxOccurrences = 10;

struct ComponentDeleter {
  void operator()(icalcomponent* component) const {
    icalcomponent_free(component);
  }
};

absl::CivilDay ToDay(const icaltimetype& t) {
  return absl::CivilDay(t.year, t.month, t.day);
}

// Adds the days of one all-day event starting at `start` and lasting
// `length_days`.
absl::Status AddDays(std::map<absl::CivilDay, std::string>& days,
                     absl::CivilDay start, int64_t length_days,
                     const std::string& label) {
  for (int64_t i = 0; i < length_days; ++i) {
    days.emplace(start + i, label);
    if (days.size() > kMaxImportedDays) {
      return absl::InvalidArgumentError(absl::StrCat(
          "ics_content: more than ", kMaxImportedDays, " closed days"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<HolidayDay>> ParseHolidayCalendar(
    absl::string_view ics) {
  if (ics.empty() || ics.size() > kMaxIcsBytes) {
    return absl::InvalidArgumentError(
        "ics_content: required, at most 1 MiB of iCalendar text");
  }
  std::string text(ics);
  std::unique_ptr<icalcomponent, ComponentDeleter> root(
      icalparser_parse_string(text.c_str()));
  if (root == nullptr ||
      icalcomponent_isa(root.get()) != ICAL_VCALENDAR_COMPONENT) {
    return absl::InvalidArgumentError(
        "ics_content: not an iCalendar file (expected BEGIN:VCALENDAR)");
  }
  std::map<absl::CivilDay, std::string> days;
  for (icalcomponent* event =
           icalcomponent_get_first_component(root.get(), ICAL_VEVENT_COMPONENT);
       event != nullptr; event = icalcomponent_get_next_component(
                             root.get(), ICAL_VEVENT_COMPONENT)) {
    const icaltimetype start = icalcomponent_get_dtstart(event);
    if (icaltime_is_null_time(start) || !start.is_date) continue;
    const icaltimetype end = icalcomponent_get_dtend(event);
    int64_t length = 1;
    if (!icaltime_is_null_time(end) && end.is_date) {
      length = std::max<int64_t>(1, ToDay(end) - ToDay(start));
    }
    const char* summary = icalcomponent_get_summary(event);
    std::string label = summary == nullptr ? "" : summary;
    if (label.size() > 200) label.resize(200);

    icalproperty* rrule =
        icalcomponent_get_first_property(event, ICAL_RRULE_PROPERTY);
    if (rrule == nullptr) {
      if (auto s = AddDays(days, ToDay(start), length, label); !s.ok())
        return s;
      continue;
    }
    icalrecurrencetype recurrence = icalproperty_get_rrule(rrule);
    icalrecur_iterator* it = icalrecur_iterator_new(recurrence, start);
    if (it == nullptr) continue;
    int occurrences = 0;
    for (icaltimetype next = icalrecur_iterator_next(it);
         !icaltime_is_null_time(next) && occurrences < kMaxOccurrences;
         next = icalrecur_iterator_next(it), ++occurrences) {
      if (auto s = AddDays(days, ToDay(next), length, label); !s.ok()) {
        icalrecur_iterator_free(it);
        return s;
      }
    }
    icalrecur_iterator_free(it);
  }
  std::vector<HolidayDay> result;
  result.reserve(days.size());
  for (auto& [day, label] : days) result.push_back({day, std::move(label)});
  return result;
}

}  // namespace tandem::directory
