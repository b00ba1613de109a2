// The clinic as the planner sees it: a plain-data snapshot in clinic-local
// civil time. The booking service converts UTC instants to clinic-local time
// before filling it; the scheduler never reads a clock or a time-zone database.
//
// Everything here is a value type with public fields so callers (and tests)
// can build snapshots with designated initialisers. Validation happens when an
// AvailabilityIndex is built from a snapshot (see availability_index.h).
#ifndef TANDEM_SCHEDULER_MODEL_H_
#define TANDEM_SCHEDULER_MODEL_H_

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "scheduler/plan.h"
#include "scheduler/programme_template.h"

namespace tandem::scheduler {

enum class Sex { kMale, kFemale };

// A range of minutes since local midnight, half-open: [start, end).
struct MinuteRange {
  int start = 0;
  int end = 0;
};

// A half-open interval of clinic-local civil time: [start, end).
struct LocalInterval {
  absl::CivilMinute start;
  absl::CivilMinute end;
};

// Hours per weekday, indexed 0 = Monday ... 6 = Sunday (absl::Weekday order).
// An empty entry means closed / not working that weekday. One range a day:
// a lunch break is modelled as a daily commitment or absence.
using WeeklyHours = std::array<std::optional<MinuteRange>, 7>;

struct Clinic {
  std::string time_zone;  // Informational only: all times are already local.
  WeeklyHours opening_hours;
  // Sessions start on this grid (minutes since midnight that are multiples of
  // it) and template durations must be multiples of it.
  int grid_minutes = 15;
  std::vector<absl::CivilDay> closures;  // Whole days the clinic is shut.
};

struct Therapist {
  std::string id;
  Sex sex = Sex::kMale;
  std::vector<std::string> languages;
  std::vector<std::string> qualifications;
  WeeklyHours working_hours;
  std::vector<LocalInterval> absences;
  // Session minutes per day may not exceed this (existing commitments count).
  int daily_cap_minutes = 360;
  bool active = true;
};

// A standing (preferred) co-therapy pair.
struct Team {
  std::string male_id;
  std::string female_id;
  friend bool operator==(const Team&, const Team&) = default;
};

struct Room {
  std::string id;
  int capacity = 0;  // People, clients and therapists together.
  std::vector<RoomKind> kinds;
  std::vector<LocalInterval> out_of_service;
};

// Time that is taken and is not an intensive the planner may repair:
// follow-up visits, meetings, or intensives known only as busy blocks.
// Counts against each named therapist's daily cap.
struct Commitment {
  std::string booking_id;
  std::vector<std::string> therapist_ids;
  std::string room_id;  // May be empty.
  LocalInterval interval;
};

struct Snapshot {
  Clinic clinic;
  // The first day the planner may use. Passed in: never read from a clock.
  absl::CivilDay today;
  std::vector<Therapist> therapists;
  std::vector<Team> teams;
  std::vector<Room> rooms;
  std::vector<Commitment> commitments;
  // Intensives already held or confirmed: busy time that Repair may move.
  std::vector<Plan> booked_plans;
  // Templates requests may name. Looked up first; ShippedTemplates() are used
  // for ids not found here.
  std::vector<ProgrammeTemplate> templates;
};

}  // namespace tandem::scheduler

#endif  // TANDEM_SCHEDULER_MODEL_H_
