#include "services/followup/booking_client.h"

#include <utility>

#include "services/common/grpc_status.h"
#include "services/common/status_macros.h"

namespace tandem::followup {

std::vector<bk::Conflict> ConflictsOf(const absl::Status& status) {
  std::vector<bk::Conflict> conflicts;
  const auto payload = status.GetPayload(common::kStatusDetailsPayload);
  if (!payload.has_value()) return conflicts;
  bk::ErrorStatus details;
  if (!details.ParseFromString(std::string(*payload))) return conflicts;
  for (const auto& any : details.details()) {
    bk::ConflictInfo info;
    if (any.UnpackTo(&info)) {
      for (const bk::Conflict& c : info.conflicts()) conflicts.push_back(c);
    }
  }
  return conflicts;
}

bool IsTransient(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kInternal:
      return true;
    default:
      return false;
  }
}

BookingClient::BookingClient(std::shared_ptr<grpc::Channel> booking,
                             std::shared_ptr<grpc::Channel> directory,
                             absl::Duration timeout)
    : booking_(bk::BookingService::NewStub(std::move(booking))),
      directory_(dir::DirectoryService::NewStub(std::move(directory))),
      timeout_(timeout) {}

template <typename Stub, typename Method, typename Request, typename Response>
absl::Status BookingClient::Call(Stub& stub, Method method,
                                 const Request& request, Response* response) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
  return FromGrpc((stub.*method)(&context, request, response));
}

absl::StatusOr<bk::Appointment> BookingClient::CreateAppointment(
    const std::string& request_id, const bk::Appointment& appointment) {
  bk::CreateAppointmentRequest request;
  request.set_request_id(request_id);
  *request.mutable_appointment() = appointment;
  bk::CreateAppointmentResponse response;
  RETURN_IF_ERROR(Call(*booking_, &bk::BookingService::Stub::CreateAppointment,
                       request, &response));
  return response.appointment();
}

absl::StatusOr<bk::Appointment> BookingClient::MoveAppointment(
    const std::string& request_id, const bk::Appointment& appointment) {
  bk::UpdateAppointmentRequest request;
  request.set_request_id(request_id);
  *request.mutable_appointment() = appointment;
  for (const char* path :
       {"start_time", "end_time", "therapist_id", "room_id"}) {
    request.mutable_update_mask()->add_paths(path);
  }
  bk::UpdateAppointmentResponse response;
  RETURN_IF_ERROR(Call(*booking_, &bk::BookingService::Stub::UpdateAppointment,
                       request, &response));
  return response.appointment();
}

absl::StatusOr<bk::Appointment> BookingClient::CancelAppointment(
    const std::string& request_id, const std::string& id) {
  bk::CancelAppointmentRequest request;
  request.set_request_id(request_id);
  request.set_id(id);
  bk::CancelAppointmentResponse response;
  RETURN_IF_ERROR(Call(*booking_, &bk::BookingService::Stub::CancelAppointment,
                       request, &response));
  return response.appointment();
}

absl::StatusOr<std::vector<bk::Appointment>> BookingClient::LiveAppointments(
    const std::string& external_ref) {
  bk::ListAppointmentsRequest request;
  request.set_external_ref(external_ref);
  std::vector<bk::Appointment> out;
  do {
    bk::ListAppointmentsResponse response;
    RETURN_IF_ERROR(Call(*booking_, &bk::BookingService::Stub::ListAppointments,
                         request, &response));
    for (const auto& a : response.appointments()) out.push_back(a);
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return out;
}

absl::StatusOr<BookingClient::Intensives> BookingClient::ListIntensives() {
  bk::ListIntensivesRequest request;
  request.set_page_size(1000);
  Intensives out;
  bool first = true;
  do {
    bk::ListIntensivesResponse response;
    RETURN_IF_ERROR(Call(*booking_, &bk::BookingService::Stub::ListIntensives,
                         request, &response));
    if (first) out.revision = response.revision();
    first = false;
    for (const auto& i : response.intensives()) out.intensives.push_back(i);
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return out;
}

absl::StatusOr<bk::Intensive> BookingClient::GetIntensive(
    const std::string& id) {
  bk::GetIntensiveRequest request;
  request.set_id(id);
  bk::GetIntensiveResponse response;
  RETURN_IF_ERROR(Call(*booking_, &bk::BookingService::Stub::GetIntensive,
                       request, &response));
  return response.intensive();
}

absl::StatusOr<bk::Couple> BookingClient::GetCouple(const std::string& id) {
  bk::GetCoupleRequest request;
  request.set_id(id);
  bk::GetCoupleResponse response;
  RETURN_IF_ERROR(Call(*booking_, &bk::BookingService::Stub::GetCouple,
                       request, &response));
  return response.couple();
}

absl::StatusOr<int64_t> BookingClient::Revision() {
  bk::ListIntensivesRequest request;
  request.set_page_size(1);
  bk::ListIntensivesResponse response;
  RETURN_IF_ERROR(Call(*booking_, &bk::BookingService::Stub::ListIntensives,
                       request, &response));
  return response.revision();
}

absl::StatusOr<dir::ClinicSettings> BookingClient::GetClinicSettings() {
  dir::GetClinicSettingsResponse response;
  RETURN_IF_ERROR(Call(*directory_,
                       &dir::DirectoryService::Stub::GetClinicSettings,
                       dir::GetClinicSettingsRequest(), &response));
  return response.settings();
}

absl::StatusOr<dir::Therapist> BookingClient::GetTherapist(
    const std::string& id) {
  dir::GetTherapistRequest request;
  request.set_id(id);
  dir::GetTherapistResponse response;
  RETURN_IF_ERROR(Call(*directory_, &dir::DirectoryService::Stub::GetTherapist,
                       request, &response));
  return response.therapist();
}

absl::StatusOr<std::vector<dir::Room>> BookingClient::ListRooms() {
  dir::ListRoomsRequest request;
  request.set_page_size(1000);
  std::vector<dir::Room> rooms;
  do {
    dir::ListRoomsResponse response;
    RETURN_IF_ERROR(Call(*directory_, &dir::DirectoryService::Stub::ListRooms,
                         request, &response));
    for (const auto& r : response.rooms()) rooms.push_back(r);
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return rooms;
}

}  // namespace tandem::followup
