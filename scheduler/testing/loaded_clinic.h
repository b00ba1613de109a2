// Seeded generator of clinics at a given load over a one-year horizon, for
// benchmarks: S = 20 therapists / 5 rooms, M = 60 / 15, L = 200 / 50.
//
// Weekdays 08:00-20:00 on a 15-minute grid, eight public holidays, therapists
// on 08:00-18:00 or 10:00-20:00 shifts with a two-week holiday each, 70% of
// rooms joint (capacity 4, also usable for individual sessions), the rest
// individual. Ten-day intensives (the shipped template's exact shape) are
// placed at random until the joint rooms or the therapists reach the target
// load, so Repair can move them. Same seed, same clinic.
#ifndef TANDEM_SCHEDULER_TESTING_LOADED_CLINIC_H_
#define TANDEM_SCHEDULER_TESTING_LOADED_CLINIC_H_

#include <cstdint>
#include <string>
#include <vector>

#include "scheduler/model.h"
#include "scheduler/request.h"

namespace tandem::scheduler::testing {

enum class ClinicSize { kS, kM, kL };

struct LoadedClinic {
  Snapshot snapshot;          // booked_plans hold the generated intensives.
  double therapist_load = 0;  // Booked / available therapist minutes.
  double room_load = 0;       // Booked / open minutes of joint rooms.
};

LoadedClinic GenerateLoadedClinic(ClinicSize size, uint64_t seed,
                                  double target_load = 0.8);

// Random ten-day requests with start windows of 14-30 days spread over the
// first ten months of the horizon; booking ids "<prefix><n>".
std::vector<Request> RandomRequests(const Snapshot& snapshot, int count,
                                    uint64_t seed, const std::string& prefix);

}  // namespace tandem::scheduler::testing

#endif  // TANDEM_SCHEDULER_TESTING_LOADED_CLINIC_H_
