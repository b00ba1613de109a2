// The four real service binaries the roster reads through, started as
// children by the integration harness (port 0, a temp dir and SQLite file
// each): directory (seeded with a generated clinic), booking replicating
// it, then follow-up following booking and the roster over all three.
//
// Started in two steps so that bookings can be made before follow-up
// starts (its catch-up is then timed on its own):
//   ServiceStack stack;
//   RETURN_IF_ERROR(StartDirectoryAndBooking(binaries, snapshot, shift,
//                                            "Europe/London", stack));
//   ... book ...
//   RETURN_IF_ERROR(StartFollowUpAndRoster(binaries, stack));
//   absl::StatusOr<int> plans = WaitForFollowUpPlans(stack, booked, timeout);
//   absl::StatusOr<int> contacts = WaitForScheduledContacts(stack, 3s, t);
#ifndef TANDEM_BENCH_ROSTER_SERVICE_STACK_H_
#define TANDEM_BENCH_ROSTER_SERVICE_STACK_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/booking/clinic_seeder.h"
#include "scheduler/model.h"
#include "tests/integration/service_process.h"

namespace tandem::bench {

struct ServiceBinaries {
  std::string directory, booking, followup, roster;
  std::string synchronous = "FULL";  // booking's and follow-up's --synchronous
  std::string downstream_timeout = "2s";  // the roster's
};

struct ServiceStack {
  std::unique_ptr<testing::ServiceProcess> directory, booking, followup, roster;
  // Process ids (the harness's children), for /proc; 0 until started.
  pid_t directory_pid = 0, booking_pid = 0, followup_pid = 0, roster_pid = 0;
  SeededClinic seeded;
  absl::Duration seed_time;  // seeding the directory through its API
};

// Starts the directory, seeds it with `snapshot` (days moved by
// `day_shift`), then starts booking and waits until it reports SERVING
// (its replica has the clinic).
absl::Status StartDirectoryAndBooking(const ServiceBinaries& binaries,
                                      const scheduler::Snapshot& snapshot,
                                      int day_shift,
                                      const std::string& time_zone,
                                      ServiceStack& stack);

// Starts follow-up and the roster; waits until both report SERVING
// (follow-up: once it has caught up with booking's changes).
absl::Status StartFollowUpAndRoster(const ServiceBinaries& binaries,
                                    ServiceStack& stack);

// Polls follow-up until it lists at least `want` follow-up plans (one per
// booked intensive); returns how many it lists. DEADLINE_EXCEEDED, with the
// count reached, after `timeout`.
absl::StatusOr<int> WaitForFollowUpPlans(ServiceStack& stack, int want,
                                         absl::Duration timeout);

// Polls follow-up's SCHEDULED contacts (their appointments booked) until
// the count has not changed for `settle`; returns it. DEADLINE_EXCEEDED
// after `timeout`.
absl::StatusOr<int> WaitForScheduledContacts(ServiceStack& stack,
                                             absl::Duration settle,
                                             absl::Duration timeout);

}  // namespace tandem::bench

#endif  // TANDEM_BENCH_ROSTER_SERVICE_STACK_H_
