// When follow-up contacts fall due and which times are tried when booking
// them. Pure calendar arithmetic on Abseil civil time: no clock, no time
// zone database, no protos.
//
//   DueDate(CivilDay(2027, 1, 31), {.months = 1})  ->  2027-02-28
//   CandidateDays(due, 2, earliest)  ->  due, due+1, due+2, due-1, due-2
//                                        (none before `earliest`)
//   CandidateMinutes({480, 600}, 50, 15)  ->  480, 495, 510, 525, 540
#ifndef TANDEM_SERVICES_FOLLOWUP_SCHEDULE_H_
#define TANDEM_SERVICES_FOLLOWUP_SCHEDULE_H_

#include <optional>
#include <vector>

#include "absl/time/civil_time.h"

namespace tandem::followup {

// A calendar offset: whole months first, then days.
struct Offset {
  int months = 0;
  int days = 0;
};

// `anchor` plus `offset`. Adding months keeps the day of the month, clamped
// to the month's last day ("1 month after 31 January" is the last day of
// February); the days are added after that.
absl::CivilDay DueDate(absl::CivilDay anchor, Offset offset);

// The days on which a contact due on `due` may be booked, in the order they
// are tried: the due day, then the following days up to `window_days` later,
// then the earlier days down to `window_days` before. Days before `earliest`
// (e.g. tomorrow) are left out.
std::vector<absl::CivilDay> CandidateDays(absl::CivilDay due, int window_days,
                                          absl::CivilDay earliest);

// Minutes since midnight, [start, end).
struct MinuteRange {
  int start = 0;
  int end = 0;
};

// Where two ranges overlap; nullopt if they do not.
std::optional<MinuteRange> Intersect(MinuteRange a, MinuteRange b);

// The start minutes of a `duration_minutes` contact inside `range`, every
// `step_minutes` from range.start, earliest first.
std::vector<int> CandidateMinutes(MinuteRange range, int duration_minutes,
                                  int step_minutes);

}  // namespace tandem::followup

#endif  // TANDEM_SERVICES_FOLLOWUP_SCHEDULE_H_
