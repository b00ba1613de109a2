// The directory's RPC logic, independent of gRPC's server machinery so that
// unit tests can call it directly. Each method reads: validate the request,
// read or write through the store (one transaction per mutation, replayed
// for a repeated request_id), convert, return.
//
// Thread-safe: one mutex serializes every use of the store; commits wake
// WatchChanges readers after the mutex is released.
#ifndef TANDEM_SERVICES_DIRECTORY_DIRECTORY_HANDLER_H_
#define TANDEM_SERVICES_DIRECTORY_DIRECTORY_HANDLER_H_

#include <functional>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/caller.h"
#include "services/common/change_log.h"
#include "services/common/change_notifier.h"
#include "services/common/idempotency.h"
#include "services/directory/directory_store.h"
#include "tandem/directory/v1/directory_service.pb.h"

namespace tandem::directory {

using Clock = std::function<absl::Time()>;

class DirectoryHandler {
 public:
  DirectoryHandler(std::unique_ptr<DirectoryStore> store, Clock clock);

  using Caller = common::Caller;

  absl::Status GetClinicSettings(const Caller&,
                                 const v1::GetClinicSettingsRequest&,
                                 v1::GetClinicSettingsResponse*);
  absl::Status UpdateClinicSettings(const Caller&,
                                    const v1::UpdateClinicSettingsRequest&,
                                    v1::UpdateClinicSettingsResponse*);
  absl::Status ListClosures(const Caller&, const v1::ListClosuresRequest&,
                            v1::ListClosuresResponse*);
  absl::Status CreateClosure(const Caller&, const v1::CreateClosureRequest&,
                             v1::CreateClosureResponse*);
  absl::Status DeleteClosure(const Caller&, const v1::DeleteClosureRequest&,
                             v1::DeleteClosureResponse*);
  absl::Status ImportClosures(const Caller&, const v1::ImportClosuresRequest&,
                              v1::ImportClosuresResponse*);

  absl::Status GetTherapist(const Caller&, const v1::GetTherapistRequest&,
                            v1::GetTherapistResponse*);
  absl::Status ListTherapists(const Caller&, const v1::ListTherapistsRequest&,
                              v1::ListTherapistsResponse*);
  absl::Status CreateTherapist(const Caller&, const v1::CreateTherapistRequest&,
                               v1::CreateTherapistResponse*);
  absl::Status UpdateTherapist(const Caller&, const v1::UpdateTherapistRequest&,
                               v1::UpdateTherapistResponse*);

  absl::Status GetAbsence(const Caller&, const v1::GetAbsenceRequest&,
                          v1::GetAbsenceResponse*);
  absl::Status ListAbsences(const Caller&, const v1::ListAbsencesRequest&,
                            v1::ListAbsencesResponse*);
  absl::Status CreateAbsence(const Caller&, const v1::CreateAbsenceRequest&,
                             v1::CreateAbsenceResponse*);
  absl::Status DeleteAbsence(const Caller&, const v1::DeleteAbsenceRequest&,
                             v1::DeleteAbsenceResponse*);

  absl::Status GetTeam(const Caller&, const v1::GetTeamRequest&,
                       v1::GetTeamResponse*);
  absl::Status ListTeams(const Caller&, const v1::ListTeamsRequest&,
                         v1::ListTeamsResponse*);
  absl::Status CreateTeam(const Caller&, const v1::CreateTeamRequest&,
                          v1::CreateTeamResponse*);
  absl::Status DeleteTeam(const Caller&, const v1::DeleteTeamRequest&,
                          v1::DeleteTeamResponse*);

  absl::Status GetRoom(const Caller&, const v1::GetRoomRequest&,
                       v1::GetRoomResponse*);
  absl::Status ListRooms(const Caller&, const v1::ListRoomsRequest&,
                         v1::ListRoomsResponse*);
  absl::Status CreateRoom(const Caller&, const v1::CreateRoomRequest&,
                          v1::CreateRoomResponse*);
  absl::Status UpdateRoom(const Caller&, const v1::UpdateRoomRequest&,
                          v1::UpdateRoomResponse*);

  absl::Status ListRoomOutages(const Caller&, const v1::ListRoomOutagesRequest&,
                               v1::ListRoomOutagesResponse*);
  absl::Status CreateRoomOutage(const Caller&,
                                const v1::CreateRoomOutageRequest&,
                                v1::CreateRoomOutageResponse*);
  absl::Status DeleteRoomOutage(const Caller&,
                                const v1::DeleteRoomOutageRequest&,
                                v1::DeleteRoomOutageResponse*);

  // For WatchChanges: a thread-safe reader of the change log, and the
  // notifier that wakes streams after each commit.
  common::ChangeReader change_reader();
  common::ChangeNotifier& notifier() { return notifier_; }

  // Housekeeping: forgets old idempotency records and change-log entries
  // beyond `keep_changes`.
  absl::Status Prune(absl::Duration request_retention, int64_t keep_changes);

 private:
  // Runs `body` in one idempotent transaction under the mutex, then wakes
  // watchers. `body` gets the commit time.
  template <typename Response>
  absl::StatusOr<Response> Mutate(
      absl::string_view method, const google::protobuf::Message& request,
      absl::string_view request_id,
      absl::FunctionRef<absl::StatusOr<Response>(absl::Time now)> body) {
    absl::StatusOr<Response> result;
    {
      absl::MutexLock lock(&mu_);
      const absl::Time now = clock_();
      result = common::RunIdempotent<Response>(store_->db(), method, request,
                                               request_id, now,
                                               [&]() { return body(now); });
    }
    if (result.ok()) notifier_.Publish();
    return result;
  }

  absl::Mutex mu_;
  std::unique_ptr<DirectoryStore> store_ ABSL_GUARDED_BY(mu_);
  const Clock clock_;
  common::ChangeNotifier notifier_;
};

}  // namespace tandem::directory

#endif  // TANDEM_SERVICES_DIRECTORY_DIRECTORY_HANDLER_H_
