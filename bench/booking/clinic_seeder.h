// Seeds a running directory service, through its public API, with the
// therapists, teams, rooms, closures and absences of a generated planner
// snapshot (scheduler/testing/loaded_clinic.h), so the booking service's
// replica sees the same clinic the scheduler benchmarks plan on.
//
// The snapshot is in clinic-local civil time from its own `today`; every day
// is moved by `day_shift` (a whole number of weeks, so weekdays stay put) so
// the clinic starts in the future of the service's clock. Generated ids
// ("m3", "joint-7") become the directory's ("th-7", "rm-8"); language names
// ("English") become tags ("en").
//
// Example:
//   auto stub = directory::v1::DirectoryService::NewStub(channel);
//   absl::StatusOr<SeededClinic> seeded =
//       SeedDirectory(*stub, clinic.snapshot, 47 * 7, "Europe/London");
#ifndef TANDEM_BENCH_BOOKING_CLINIC_SEEDER_H_
#define TANDEM_BENCH_BOOKING_CLINIC_SEEDER_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "scheduler/model.h"
#include "tandem/directory/v1/directory_service.grpc.pb.h"

namespace tandem::bench {

// What SeedDirectory created.
struct SeededClinic {
  // Generated therapist / room id -> directory id.
  absl::flat_hash_map<std::string, std::string> therapist_ids;
  absl::flat_hash_map<std::string, std::string> room_ids;
  // Language tags some therapist speaks, sorted.
  std::vector<std::string> languages;
  // Mutations sent (one per resource, plus the settings).
  int calls = 0;
};

// The lower-case tag the directory wants for a generated language name:
// "English" -> "en", "Spanish" -> "es", "Tamil" -> "ta"; otherwise the name's
// first two letters in lower case.
std::string LanguageTag(const std::string& name);

// Creates everything in `snapshot`: settings (Monday = weekday 1), closures,
// therapists, absences, teams, rooms and room outages. booked_plans and
// commitments are left out: bookings must go through the booking service,
// which signs its plans. `day_shift` must be a multiple of 7. Stops at the
// first failed call and returns its status, naming the resource. Not
// idempotent across runs (request ids repeat): use a fresh directory.
absl::StatusOr<SeededClinic> SeedDirectory(
    directory::v1::DirectoryService::Stub& stub,
    const scheduler::Snapshot& snapshot, int day_shift,
    const std::string& time_zone);

}  // namespace tandem::bench

#endif  // TANDEM_BENCH_BOOKING_CLINIC_SEEDER_H_
