// Compares two indexes bit for bit (free masks and booked minutes), for
// tests that an incremental update equals a rebuild.
#ifndef TANDEM_SCHEDULER_TESTING_INDEX_EQUALITY_H_
#define TANDEM_SCHEDULER_TESTING_INDEX_EQUALITY_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "scheduler/availability_index.h"

namespace tandem::scheduler::testing {

// Empty if equal, else a description of the first difference.
inline std::string IndexDifference(const AvailabilityIndex& a,
                                   const AvailabilityIndex& b) {
  if (a.num_days() != b.num_days() ||
      a.num_therapists() != b.num_therapists() ||
      a.num_rooms() != b.num_rooms()) {
    return "shapes differ";
  }
  for (int d = 0; d < a.num_days(); ++d) {
    for (int t = 0; t < a.num_therapists(); ++t) {
      if (a.TherapistFree(t, d) != b.TherapistFree(t, d)) {
        return absl::StrCat("therapist ", t, " day ", d, " bits differ");
      }
      if (a.TherapistMinutes(t, d) != b.TherapistMinutes(t, d)) {
        return absl::StrCat("therapist ", t, " day ", d, " minutes differ");
      }
    }
    for (int r = 0; r < a.num_rooms(); ++r) {
      if (a.RoomFree(r, d) != b.RoomFree(r, d)) {
        return absl::StrCat("room ", r, " day ", d, " bits differ");
      }
    }
  }
  return "";
}

}  // namespace tandem::scheduler::testing

#endif  // TANDEM_SCHEDULER_TESTING_INDEX_EQUALITY_H_
