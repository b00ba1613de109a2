// Repair: after a new absence or room outage, fix every intensive it breaks,
// changing as little as possible.
//
// For each committed plan with a session that needs the absent therapist or
// the closed room during the disruption (plans in booking-id order), and for
// each such session (parallel sessions move together; a session whose
// parallel partner is untouched keeps its start time):
//   1. keep the team: move the session to another time and/or room on the
//      same day (nearest time to the original, original room first);
//   2. else, for an absence, replace only the absent therapist, only for this
//      session, by an eligible therapist of the same sex (language, template
//      qualifications, not excluded, active), at the original time if
//      possible; the session records substitute_for;
//   3. else report the session as unsaved and drop it from the plan.
// Sessions the disruption does not touch are never changed.
//
// Only plans holding the resource on days inside the index's horizon are
// examined (the index knows nothing beyond it), and only plans of a known
// template: one-off commitments are left to their owner.
//
// Repair mutates the index: on return it holds the disruption and the
// repaired plans in place of the originals, so a caller persists
// `repaired_plans` (and the disruption) and the live index stays in step.
// On error the index is unchanged.
#ifndef TANDEM_SCHEDULER_REPAIR_H_
#define TANDEM_SCHEDULER_REPAIR_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scheduler/availability_index.h"
#include "scheduler/model.h"
#include "scheduler/plan.h"

namespace tandem::scheduler {

struct Disruption {
  enum class Kind { kTherapistAbsence, kRoomOutage };
  Kind kind = Kind::kTherapistAbsence;
  std::string resource_id;  // Therapist id or room id.
  LocalInterval interval;
};

struct SessionChange {
  std::string booking_id;
  PlannedSession before;
  std::optional<PlannedSession> after;  // Empty: the session was not saved.
  std::string description;  // E.g. "moved 10:00 -> 14:00; room J1 -> J2".
};

struct RepairResult {
  // New versions of every affected plan (unsaved sessions removed), in
  // booking-id order.
  std::vector<Plan> repaired_plans;
  std::vector<SessionChange> changes;  // Sessions moved or re-staffed.
  std::vector<SessionChange> unsaved;  // Sessions that could not be saved.
};

// NOT_FOUND for an unknown therapist or room; INVALID_ARGUMENT if the
// interval is empty.
absl::StatusOr<RepairResult> Repair(AvailabilityIndex& index,
                                    const Disruption& disruption);

}  // namespace tandem::scheduler

#endif  // TANDEM_SCHEDULER_REPAIR_H_
