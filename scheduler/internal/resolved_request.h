// A request checked against the index and its template turned into concrete
// day patterns: which team member is in which session, how many grid slots
// each session takes, which rooms fit it. Shared by Propose, Explain, Repair
// and the waitlist so they agree on the model; ValidatePlan does NOT use it.
#ifndef TANDEM_SCHEDULER_INTERNAL_RESOLVED_REQUEST_H_
#define TANDEM_SCHEDULER_INTERNAL_RESOLVED_REQUEST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "scheduler/availability_index.h"
#include "scheduler/internal/slot_mask.h"
#include "scheduler/programme_template.h"
#include "scheduler/request.h"

namespace tandem::scheduler::internal {

struct ResolvedSession {
  const SessionTemplate* tmpl = nullptr;
  int slots = 0;           // Duration in grid slots.
  bool male = false;       // The team's male therapist takes part.
  bool female = false;     // The team's female therapist takes part.
  int people = 0;          // Clients plus therapists: the room capacity needed.
  std::vector<int> rooms;  // Indices of rooms of the right kind and size,
                           // ascending.
};

// Sessions that start together (a parallel set), in template order.
struct Group {
  std::vector<ResolvedSession> sessions;
  int slots = 0;  // Longest session: the next group starts after it.
};

// One concrete way to run a template day (kEither roles fixed).
struct DayPattern {
  std::vector<Group> groups;
  int male_minutes = 0;
  int female_minutes = 0;
  int sessions = 0;
};

struct ResolvedDay {
  std::vector<int> patterns;  // Alternatives, tried in order.
  int min_gap_days = 1;
};

struct ResolvedRequest {
  const Request* request = nullptr;
  const ProgrammeTemplate* tmpl = nullptr;
  std::vector<DayPattern> patterns;
  std::vector<ResolvedDay> days;
  std::vector<int> males;    // Eligible therapist indices, ascending.
  std::vector<int> females;  // Eligible therapist indices, ascending.
  absl::flat_hash_set<absl::CivilDay> blackouts;
  SlotMask preferred = 0;  // Slots in the preferred time of day; 0 = any.
  int first_start = 0;     // Day indices of the start window, clamped to the
  int last_start = -1;     // horizon (empty when last_start < first_start).
  int wanted_male = -1;    // Requested standing team, or -1.
  int wanted_female = -1;
  absl::flat_hash_set<uint64_t> standing_teams;    // PairKey(male, female).
  std::vector<std::pair<int, int>> standing_list;  // (male, female) indices.
  // Most sessions that can share "their kind's most-used room" minus one per
  // kind (the score's room term at best; see score.h), from first patterns.
  int max_same_room_sessions = 0;

  static uint64_t PairKey(int male, int female) {
    return (uint64_t(uint32_t(male)) << 32) | uint32_t(female);
  }
};

// INVALID_ARGUMENT naming the field for a bad request or template;
// OUT_OF_RANGE when the window lies wholly outside the index's horizon.
absl::StatusOr<ResolvedRequest> ResolveRequest(const AvailabilityIndex& index,
                                               const Request& request);

// Why a start day does or does not give programme dates.
enum class DatesStatus { kOk, kNotOpen, kTooLong, kBlackout };

// Fills `days` with the day index of each programme day for a programme
// starting on day index `start`.
DatesStatus ProgrammeDays(const AvailabilityIndex& index,
                          const ResolvedRequest& req, int start,
                          std::vector<int>* days);

// Slots whose start minute is within the time of day; 0 for kAny.
SlotMask PreferredSlots(const AvailabilityIndex& index, TimeOfDay when);

}  // namespace tandem::scheduler::internal

#endif  // TANDEM_SCHEDULER_INTERNAL_RESOLVED_REQUEST_H_
