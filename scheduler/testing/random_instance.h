// Seeded random small instances for property tests: a few therapists and
// rooms, random hours, absences, outages, closures and commitments, one of
// several small templates (including parallel and "either" sessions), and a
// request with a short window. Same seed, same instance.
#ifndef TANDEM_SCHEDULER_TESTING_RANDOM_INSTANCE_H_
#define TANDEM_SCHEDULER_TESTING_RANDOM_INSTANCE_H_

#include <cstdint>

#include "scheduler/model.h"
#include "scheduler/request.h"

namespace tandem::scheduler::testing {

struct Instance {
  Snapshot snapshot;
  Request request;
};

Instance RandomSmallInstance(uint64_t seed);

}  // namespace tandem::scheduler::testing

#endif  // TANDEM_SCHEDULER_TESTING_RANDOM_INSTANCE_H_
