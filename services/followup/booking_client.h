// The follow-up service's calls to booking (appointments, intensives) and to
// the directory (clinic settings, a therapist's hours, rooms): unary calls
// with a deadline, their gRPC status turned back into absl::Status with
// booking's error details (ConflictInfo) kept as the status payload, so they
// reach our own caller unchanged.
//
// Thread-safe (gRPC stubs are).
#ifndef TANDEM_SERVICES_FOLLOWUP_BOOKING_CLIENT_H_
#define TANDEM_SERVICES_FOLLOWUP_BOOKING_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/grpc_client.h"
#include "tandem/booking/v1/booking_service.grpc.pb.h"
#include "tandem/directory/v1/directory_service.grpc.pb.h"

namespace tandem::followup {

namespace bk = ::tandem::booking::v1;
namespace dir = ::tandem::directory::v1;

using common::FromGrpc;
using common::MakeChannel;

// The clashes in a FAILED_PRECONDITION from booking (empty if none).
std::vector<bk::Conflict> ConflictsOf(const absl::Status& status);

// Errors worth retrying later (booking or the directory unreachable, busy,
// or a lost race).
bool IsTransient(const absl::Status& status);

class BookingClient {
 public:
  BookingClient(std::shared_ptr<grpc::Channel> booking,
                std::shared_ptr<grpc::Channel> directory,
                absl::Duration timeout = absl::Seconds(5));

  absl::StatusOr<bk::Appointment> CreateAppointment(
      const std::string& request_id, const bk::Appointment& appointment);
  // Changes start_time, end_time, therapist_id and room_id.
  absl::StatusOr<bk::Appointment> MoveAppointment(
      const std::string& request_id, const bk::Appointment& appointment);
  absl::StatusOr<bk::Appointment> CancelAppointment(
      const std::string& request_id, const std::string& id);
  // Appointments with this external_ref that are not cancelled.
  absl::StatusOr<std::vector<bk::Appointment>> LiveAppointments(
      const std::string& external_ref);

  // Every intensive (all pages), and the revision of the first page.
  struct Intensives {
    std::vector<bk::Intensive> intensives;
    int64_t revision = 0;
  };
  absl::StatusOr<Intensives> ListIntensives();
  absl::StatusOr<bk::Intensive> GetIntensive(const std::string& id);
  // The couple with contact details and consent: read when reminders are
  // planned and sent, never stored here.
  absl::StatusOr<bk::Couple> GetCouple(const std::string& id);
  // Booking's current revision (one cheap List call).
  absl::StatusOr<int64_t> Revision();

  absl::StatusOr<dir::ClinicSettings> GetClinicSettings();
  absl::StatusOr<dir::Therapist> GetTherapist(const std::string& id);
  // Active rooms.
  absl::StatusOr<std::vector<dir::Room>> ListRooms();

 private:
  template <typename Stub, typename Method, typename Request, typename Response>
  absl::Status Call(Stub& stub, Method method, const Request& request,
                    Response* response);

  const std::unique_ptr<bk::BookingService::Stub> booking_;
  const std::unique_ptr<dir::DirectoryService::Stub> directory_;
  const absl::Duration timeout_;
};

}  // namespace tandem::followup

#endif  // TANDEM_SERVICES_FOLLOWUP_BOOKING_CLIENT_H_
