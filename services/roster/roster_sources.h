// Reads a roster's inputs from the directory, booking and follow-up
// services: independent reads run at once (CallGroup), every call has a
// deadline, and a source that cannot answer makes the whole read fail with
// UNAVAILABLE naming it. Nothing is cached: the roster service is stateless,
// so what it shows is what the sources hold at the time of the call.
#ifndef TANDEM_SERVICES_ROSTER_ROSTER_SOURCES_H_
#define TANDEM_SERVICES_ROSTER_ROSTER_SOURCES_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/roster/roster_inputs.h"
#include "tandem/booking/v1/booking_service.grpc.pb.h"
#include "tandem/directory/v1/directory_service.grpc.pb.h"
#include "tandem/followup/v1/followup_service.grpc.pb.h"

namespace tandem::roster {

struct SourceAddresses {
  std::string directory = "127.0.0.1:7001";
  std::string booking = "127.0.0.1:7002";
  std::string followup = "127.0.0.1:7003";
  // Mutual TLS to the three (see ServiceSecurity::peer_credentials).
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      grpc::InsecureChannelCredentials();
};

// What to read for a therapist's roster or calendar.
struct TherapistQuery {
  std::string therapist_id;
  absl::CivilDay first_day;
  absl::CivilDay last_day;
  // The calendar feed shows cancellations; rosters do not.
  bool include_cancelled = false;
  // Rosters show couples' labels and today's numbers; the feed does not.
  bool with_couples = true;
};

class RosterSources {
 public:
  // `timeout` bounds each downstream call (and so each phase of a read).
  RosterSources(const SourceAddresses& addresses, absl::Duration timeout);

  // NOT_FOUND when the therapist or room does not exist.
  absl::StatusOr<RosterInputs> ReadTherapist(const TherapistQuery& query,
                                             absl::Time now);
  absl::StatusOr<RosterInputs> ReadRoom(const std::string& room_id,
                                        absl::CivilDay first_day,
                                        absl::CivilDay last_day,
                                        absl::Time now);
  absl::StatusOr<RosterInputs> ReadClinicDay(absl::CivilDay day,
                                             absl::Time now);
  // The directory's record of one therapist, inactive ones included;
  // NOT_FOUND when there is none.
  absl::StatusOr<dir::Therapist> ReadTherapistRecord(
      const std::string& therapist_id);

 private:
  class Read;

  // Names used in errors: "booking service at 127.0.0.1:7002".
  const std::string directory_name_, booking_name_, followup_name_;
  const std::unique_ptr<dir::DirectoryService::Stub> directory_;
  const std::unique_ptr<bk::BookingService::Stub> booking_;
  const std::unique_ptr<fu::FollowUpService::Stub> followup_;
  const absl::Duration timeout_;
};

}  // namespace tandem::roster

#endif  // TANDEM_SERVICES_ROSTER_ROSTER_SOURCES_H_
