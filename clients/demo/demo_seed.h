// `tandemctl demo seed`: fills an empty Tandem system with a believable demo
// clinic (a dozen therapists in standing male+female teams, rooms, public
// holidays, absences, a few couples with referrals and bookings), so that a
// first run shows real rosters within a minute. Talks only to the public
// gRPC APIs, like any client.
#ifndef TANDEM_CLIENTS_DEMO_DEMO_SEED_H_
#define TANDEM_CLIENTS_DEMO_DEMO_SEED_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace tandem::demo {

struct DemoSeedChannels {
  std::shared_ptr<grpc::Channel> directory;
  std::shared_ptr<grpc::Channel> booking;
  std::shared_ptr<grpc::Channel> followup;
};

struct DemoSeedOptions {
  // Clinic-local day the demo is built around: bookings start on or after
  // it. Unset (the default, year 1970): today in the demo clinic's zone.
  absl::CivilDay today = absl::CivilDay(1970, 1, 1);
  // IANA zone of the demo clinic.
  std::string time_zone = "Europe/London";
  // Deadline of each call.
  absl::Duration call_timeout = absl::Seconds(10);
  // Progress lines for people ("created 12 therapists"); may be empty.
  std::function<void(const std::string&)> progress;
};

struct DemoSeedSummary {
  int therapists = 0;
  int teams = 0;
  int rooms = 0;
  int closures = 0;
  int absences = 0;
  int couples = 0;
  int intensives = 0;       // confirmed
  int held_intensives = 0;  // held, not yet confirmed
  int referrals = 0;
  int open_referrals = 0;  // neither cleared nor marked not needed
  // What the follow-up service had planned by the end of the seed (it plans
  // confirmed intensives on its own, shortly after; 0 without a channel).
  int follow_up_plans = 0;
  int follow_up_contacts = 0;
  // A therapist and a clinic-local day worth looking at first (the first
  // day of the earliest demo booking), for the "try this next" hint.
  std::string sample_therapist_id;
  absl::CivilDay sample_day;
};

// Seeds the demo. Refuses with FAILED_PRECONDITION (saying why) when the
// system is not empty (any therapist or couple exists), so it never mixes
// demo data into a real clinic. Every mutation carries a deterministic
// request_id, so a run cut short can be resumed with `resume = true`, which
// skips the emptiness check and replays the same requests idempotently.
// Resume with the same `today` as the first run: requests are built from it,
// and booking and directory refuse a request_id reused for a different body
// (INVALID_ARGUMENT). Same `today`, same demo: no randomness.
absl::StatusOr<DemoSeedSummary> SeedDemo(const DemoSeedChannels& channels,
                                         const DemoSeedOptions& options,
                                         bool resume = false);

}  // namespace tandem::demo

#endif  // TANDEM_CLIENTS_DEMO_DEMO_SEED_H_
