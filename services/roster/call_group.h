// Runs several downstream unary calls at once and waits for all of them, so
// a roster costs about the slowest call rather than the sum of all calls.
// Each call gets the group's deadline. A failure is reported under the name
// of its source ("booking"), and an unreachable or slow source becomes
// UNAVAILABLE naming it: the caller learns which service is missing.
//
//   CallGroup group("directory", absl::Seconds(2));
//   group.Start([&](grpc::ClientContext* context, CallGroup::Done done) {
//     stub->async()->GetClinicSettings(context, &request, &response,
//                                      std::move(done));
//   });
//   RETURN_IF_ERROR(group.Wait());
//
// Requests and responses belong to the caller and must outlive Wait().
#ifndef TANDEM_SERVICES_ROSTER_CALL_GROUP_H_
#define TANDEM_SERVICES_ROSTER_CALL_GROUP_H_

#include <grpcpp/grpcpp.h>

#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace tandem::roster {

// A downstream status as this service reports it: UNAVAILABLE naming
// `source` when the source could not answer in time, otherwise the source's
// own status (NOT_FOUND for an unknown therapist stays NOT_FOUND).
absl::Status FromSource(const std::string& source, const grpc::Status& status);

class CallGroup {
 public:
  using Done = std::function<void(grpc::Status)>;

  explicit CallGroup(absl::Duration timeout);
  ~CallGroup();  // waits for calls still running
  CallGroup(const CallGroup&) = delete;
  CallGroup& operator=(const CallGroup&) = delete;

  // Starts one call to `source`; `start` must begin exactly one async call
  // with the given context and callback.
  void Start(const std::string& source,
             const std::function<void(grpc::ClientContext*, Done)>& start);

  // Waits for every call started so far; the first failure (in start order),
  // mapped by FromSource, or OK.
  absl::Status Wait();

 private:
  struct Call {
    std::string source;
    grpc::ClientContext context;
    grpc::Status status;
  };

  const absl::Time deadline_;
  absl::Mutex mu_;
  int running_ ABSL_GUARDED_BY(mu_) = 0;
  std::deque<std::unique_ptr<Call>> calls_;
};

}  // namespace tandem::roster

#endif  // TANDEM_SERVICES_ROSTER_CALL_GROUP_H_
