// Times read calls on the roster service: a fixed number of calls with one
// client, or as many as `clients` concurrent clients (each with its own
// connection) manage in a given time. The call itself is the caller's: a
// ReadCall sends request number `k` on the stub it is given and reports
// the size of the answer.
//
// Example:
//   ReadRun run = MeasureReads(target, 500, 20, [&](Stub& stub, int k) {
//     ... return ReadResult{status, response.ByteSizeLong(), items};
//   });
//   LatencySummary s = Summarize(run.latency);
#ifndef TANDEM_BENCH_ROSTER_READ_RUNNER_H_
#define TANDEM_BENCH_ROSTER_READ_RUNNER_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tandem/roster/v1/roster_service.grpc.pb.h"

namespace tandem::bench {

struct ReadResult {
  grpc::Status status;
  int64_t bytes = 0;  // serialized size of the response
  int64_t items = 0;  // what the caller counts in it (e.g. roster items)
};

using ReadCall =
    std::function<ReadResult(roster::v1::RosterService::Stub& stub, int k)>;

struct ReadRun {
  int clients = 0;
  absl::Duration wall;                  // measured calls only
  std::vector<absl::Duration> latency;  // successful and failed calls
  int64_t bytes = 0, items = 0;         // summed over successful calls
  int errors = 0;
  std::vector<std::string> error_samples;  // the first few
};

// One client: `warm_up` untimed calls (k = 0..warm_up-1), then `calls`
// timed ones (k = warm_up..).
ReadRun MeasureReads(const std::string& target, int calls, int warm_up,
                     const ReadCall& call);

// `clients` clients calling back to back for `duration` (k counts across
// all clients); calls started before the end are finished and counted.
ReadRun SustainReads(const std::string& target, int clients,
                     absl::Duration duration, const ReadCall& call);

// Calls per second over the run's wall time.
double ReadsPerSecond(const ReadRun& run);

}  // namespace tandem::bench

#endif  // TANDEM_BENCH_ROSTER_READ_RUNNER_H_
