#include "services/followup/schedule.h"

#include <algorithm>

namespace tandem::followup {

absl::CivilDay DueDate(absl::CivilDay anchor, Offset offset) {
  const absl::CivilMonth month = absl::CivilMonth(anchor) + offset.months;
  const int last_day = (absl::CivilDay(month + 1) - 1).day();
  const absl::CivilDay shifted(month.year(), month.month(),
                               std::min(anchor.day(), last_day));
  return shifted + offset.days;
}

std::vector<absl::CivilDay> CandidateDays(absl::CivilDay due, int window_days,
                                          absl::CivilDay earliest) {
  std::vector<absl::CivilDay> days;
  for (int n = 0; n <= window_days; ++n) {
    if (due + n >= earliest) days.push_back(due + n);
  }
  for (int n = 1; n <= window_days; ++n) {
    if (due - n >= earliest) days.push_back(due - n);
  }
  return days;
}

std::optional<MinuteRange> Intersect(MinuteRange a, MinuteRange b) {
  const MinuteRange both{std::max(a.start, b.start), std::min(a.end, b.end)};
  if (both.start >= both.end) return std::nullopt;
  return both;
}

std::vector<int> CandidateMinutes(MinuteRange range, int duration_minutes,
                                  int step_minutes) {
  std::vector<int> starts;
  if (duration_minutes <= 0 || step_minutes <= 0) return starts;
  for (int start = range.start; start + duration_minutes <= range.end;
       start += step_minutes) {
    starts.push_back(start);
  }
  return starts;
}

}  // namespace tandem::followup
