// BookingHandler: one-off appointments (follow-up calls and office visits),
// booked through the same conflict checks as intensive sessions.
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/booking/booking_handler.h"
#include "services/booking/claims.h"
#include "services/common/date_range.h"
#include "services/booking/ids.h"
#include "services/booking/planner_snapshot.h"
#include "services/booking/therapist_access.h"
#include "services/common/grpc_status.h"
#include "services/common/list_page.h"
#include "services/common/pagination.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"

namespace tandem::booking {

namespace {

constexpr absl::string_view kAppointmentsScope = "appointments";
constexpr absl::string_view kRoomPrefix = "rm";
constexpr absl::Duration kLongestAppointment = absl::Hours(8);
constexpr size_t kMaxExternalRef = 64;

const std::initializer_list<absl::string_view> kAppointmentOutputOnly = {
    "id", "status", "attention_reason", "create_time", "update_time"};

// Field checks that need no directory.
absl::Status ValidateAppointment(const v1::Appointment& a) {
  if (a.kind() == v1::APPOINTMENT_KIND_UNSPECIFIED ||
      !v1::AppointmentKind_IsValid(a.kind())) {
    return absl::InvalidArgumentError("appointment.kind: required");
  }
  RETURN_IF_ERROR(ParseId(kTherapistPrefix, a.therapist_id(),
                          "appointment.therapist_id").status());
  RETURN_IF_ERROR(
      ParseId(kCouplePrefix, a.couple_id(), "appointment.couple_id").status());
  if (a.kind() == v1::APPOINTMENT_KIND_OFFICE_VISIT) {
    RETURN_IF_ERROR(
        ParseId(kRoomPrefix, a.room_id(), "appointment.room_id").status());
  } else if (!a.room_id().empty()) {
    return absl::InvalidArgumentError(
        "appointment.room_id: a phone call takes no room");
  }
  if (!a.has_start_time() || !a.has_end_time()) {
    return absl::InvalidArgumentError(
        "appointment.start_time, appointment.end_time: required");
  }
  const absl::Time start = common::FromProto(a.start_time());
  const absl::Time end = common::FromProto(a.end_time());
  if (end <= start || end - start > kLongestAppointment) {
    return absl::InvalidArgumentError(absl::StrCat(
        "appointment.end_time: after start_time, at most ",
        absl::FormatDuration(kLongestAppointment), " later"));
  }
  if (a.external_ref().size() > kMaxExternalRef) {
    return absl::InvalidArgumentError(
        "appointment.external_ref: at most 64 characters");
  }
  return absl::OkStatus();
}

// FAILED_PRECONDITION with ConflictInfo details.
absl::Status Clash(const std::vector<v1::Conflict>& conflicts) {
  const std::string message = absl::StrCat(
      "the appointment's time is not free: ", conflicts.front().resource_id(),
      conflicts.front().blocking_id().empty()
          ? ""
          : absl::StrCat(" (", conflicts.front().blocking_id(), ")"));
  v1::ConflictInfo info;
  for (const v1::Conflict& c : conflicts) *info.add_conflicts() = c;
  v1::ErrorStatus details;
  details.set_code(static_cast<int>(absl::StatusCode::kFailedPrecondition));
  details.set_message(message);
  details.add_details()->PackFrom(info);
  absl::Status status = absl::FailedPreconditionError(message);
  status.SetPayload(common::kStatusDetailsPayload,
                    absl::Cord(details.SerializeAsString()));
  return status;
}

// Books `appointment` (new or moved) after every check; under the lock.
absl::StatusOr<v1::Appointment> BookChecked(
    BookingStore& store, v1::Appointment appointment, absl::Time now,
    IndexEffects& effects,
    const std::function<absl::StatusOr<std::vector<v1::Conflict>>(
        const std::vector<Claim>&, const scheduler::Plan&)>& conflicts_of,
    absl::TimeZone zone) {
  ASSIGN_OR_RETURN(int64_t couple_id, ParseId(kCouplePrefix,
                                              appointment.couple_id(),
                                              "appointment.couple_id"));
  ASSIGN_OR_RETURN(v1::Couple couple, store.GetCouple(couple_id));
  if (couple.archived()) {
    return absl::FailedPreconditionError(
        absl::StrCat("couple ", couple.id(), " is archived"));
  }
  scheduler::Plan plan = AppointmentToPlan(appointment, zone);
  ASSIGN_OR_RETURN(std::vector<v1::Conflict> conflicts,
                   conflicts_of(AppointmentClaims(appointment), plan));
  if (!conflicts.empty()) return Clash(conflicts);
  appointment.set_status(v1::APPOINTMENT_STATUS_SCHEDULED);
  appointment.clear_attention_reason();
  const absl::CivilDay day =
      absl::ToCivilDay(common::FromProto(appointment.start_time()), zone);
  ASSIGN_OR_RETURN(v1::Appointment saved,
                   store.SaveAppointment(std::move(appointment), day, now));
  plan.booking_id = saved.id();
  effects.release.push_back(saved.id());
  effects.commit.push_back(std::move(plan));
  return saved;
}

}  // namespace

absl::Status BookingHandler::CreateAppointment(
    const Caller&, const v1::CreateAppointmentRequest& request,
    v1::CreateAppointmentResponse* response) {
  v1::Appointment appointment = request.appointment();
  appointment.clear_id();
  RETURN_IF_ERROR(ValidateAppointment(appointment));
  ASSIGN_OR_RETURN(std::shared_ptr<const DirectoryState> directory,
                   Directory());
  ASSIGN_OR_RETURN(absl::TimeZone zone, ClinicTimeZone(*directory));
  ASSIGN_OR_RETURN(
      *response,
      MutateBooking<v1::CreateAppointmentResponse>(
          "CreateAppointment", request, request.request_id(),
          [&](BookingStore& store, absl::Time now, IndexEffects& effects)
              -> absl::StatusOr<v1::CreateAppointmentResponse> {
            RETURN_IF_ERROR(EnsureLive(store, now));
            RETURN_IF_ERROR(ExpireHolds(store, now, effects));
            v1::CreateAppointmentResponse out;
            ASSIGN_OR_RETURN(
                *out.mutable_appointment(),
                BookChecked(
                    store, appointment, now, effects,
                    [&](const std::vector<Claim>& claims,
                        const scheduler::Plan& plan) {
                      return Conflicts(store, claims, plan, "", effects);
                    },
                    zone));
            return out;
          }));
  return absl::OkStatus();
}

absl::Status BookingHandler::UpdateAppointment(
    const Caller&, const v1::UpdateAppointmentRequest& request,
    v1::UpdateAppointmentResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kAppointmentPrefix,
                                       request.appointment().id(),
                                       "appointment.id"));
  RETURN_IF_ERROR(common::ValidateUpdateMask(
      request.update_mask(), request.appointment(), kAppointmentOutputOnly));
  for (const std::string& path : request.update_mask().paths()) {
    if (path == "kind" || path == "couple_id") {
      return absl::InvalidArgumentError(absl::StrCat(
          "update_mask: ", path, " cannot change; cancel and book anew"));
    }
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const DirectoryState> directory,
                   Directory());
  ASSIGN_OR_RETURN(absl::TimeZone zone, ClinicTimeZone(*directory));
  ASSIGN_OR_RETURN(
      *response,
      MutateBooking<v1::UpdateAppointmentResponse>(
          "UpdateAppointment", request, request.request_id(),
          [&](BookingStore& store, absl::Time now, IndexEffects& effects)
              -> absl::StatusOr<v1::UpdateAppointmentResponse> {
            ASSIGN_OR_RETURN(v1::Appointment appointment,
                             store.GetAppointment(id));
            if (appointment.status() == v1::APPOINTMENT_STATUS_CANCELLED) {
              return absl::FailedPreconditionError(absl::StrCat(
                  "appointment ", appointment.id(), " is cancelled"));
            }
            common::ApplyUpdateMask(request.appointment(),
                                    request.update_mask(), &appointment);
            RETURN_IF_ERROR(ValidateAppointment(appointment));
            RETURN_IF_ERROR(EnsureLive(store, now));
            RETURN_IF_ERROR(ExpireHolds(store, now, effects));
            v1::UpdateAppointmentResponse out;
            ASSIGN_OR_RETURN(
                *out.mutable_appointment(),
                BookChecked(
                    store, appointment, now, effects,
                    [&](const std::vector<Claim>& claims,
                        const scheduler::Plan& plan) {
                      return Conflicts(store, claims, plan, appointment.id(),
                                       effects);
                    },
                    zone));
            return out;
          }));
  return absl::OkStatus();
}

absl::Status BookingHandler::CancelAppointment(
    const Caller&, const v1::CancelAppointmentRequest& request,
    v1::CancelAppointmentResponse* response) {
  ASSIGN_OR_RETURN(int64_t id,
                   ParseId(kAppointmentPrefix, request.id(), "id"));
  ASSIGN_OR_RETURN(std::shared_ptr<const DirectoryState> directory,
                   Directory());
  ASSIGN_OR_RETURN(absl::TimeZone zone, ClinicTimeZone(*directory));
  ASSIGN_OR_RETURN(
      *response,
      MutateBooking<v1::CancelAppointmentResponse>(
          "CancelAppointment", request, request.request_id(),
          [&](BookingStore& store, absl::Time now, IndexEffects& effects)
              -> absl::StatusOr<v1::CancelAppointmentResponse> {
            ASSIGN_OR_RETURN(v1::Appointment appointment,
                             store.GetAppointment(id));
            v1::CancelAppointmentResponse out;
            if (appointment.status() != v1::APPOINTMENT_STATUS_CANCELLED) {
              appointment.set_status(v1::APPOINTMENT_STATUS_CANCELLED);
              appointment.clear_attention_reason();
              const absl::CivilDay day = absl::ToCivilDay(
                  common::FromProto(appointment.start_time()), zone);
              ASSIGN_OR_RETURN(appointment, store.SaveAppointment(
                                                std::move(appointment), day,
                                                now));
              effects.release.push_back(appointment.id());
            }
            *out.mutable_appointment() = std::move(appointment);
            return out;
          }));
  return absl::OkStatus();
}

absl::Status BookingHandler::GetAppointment(
    const Caller& caller, const v1::GetAppointmentRequest& request,
    v1::GetAppointmentResponse* response) {
  ASSIGN_OR_RETURN(int64_t id,
                   ParseId(kAppointmentPrefix, request.id(), "id"));
  ASSIGN_OR_RETURN(std::optional<TherapistScope> scope,
                   ScopeFor(caller, store_.Now()));
  auto store = store_.Lock();
  absl::StatusOr<v1::Appointment> appointment = store->GetAppointment(id);
  if (scope) {  // missing and someone else's read the same
    if (absl::IsNotFound(appointment.status()) ||
        (appointment.ok() &&
         appointment->therapist_id() != scope->therapist_id)) {
      return NotTheirs("id", kNotTheirAppointment);
    }
  }
  ASSIGN_OR_RETURN(*response->mutable_appointment(), std::move(appointment));
  return absl::OkStatus();
}

absl::Status BookingHandler::ListAppointments(
    const Caller& caller, const v1::ListAppointmentsRequest& request,
    v1::ListAppointmentsResponse* response) {
  ASSIGN_OR_RETURN(int limit, common::EffectivePageSize(request.page_size()));
  ASSIGN_OR_RETURN(common::PageCursor after,
                   common::DecodePageToken(kAppointmentsScope,
                                           request.page_token()));
  AppointmentFilter filter;
  filter.therapist_id = request.therapist_id();
  ASSIGN_OR_RETURN(std::optional<TherapistScope> scope,
                   ScopeFor(caller, store_.Now()));
  if (scope) {  // a therapist lists their own appointments only
    RETURN_IF_ERROR(RequireOwnTherapistFilter(*scope, request.therapist_id(),
                                              "therapist_id", "appointments"));
    filter.therapist_id = scope->therapist_id;
  }
  filter.room_id = request.room_id();
  filter.external_ref = request.external_ref();
  filter.include_cancelled = request.include_cancelled();
  if (!request.couple_id().empty()) {
    ASSIGN_OR_RETURN(filter.couple_id,
                     ParseId(kCouplePrefix, request.couple_id(), "couple_id"));
  }
  if (request.has_date_range()) {
    ASSIGN_OR_RETURN(common::DayRange range, common::DayRangeFromProto(request.date_range()));
    filter.first_day = range.first;
    filter.last_day = range.last;
  }
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(auto page, store->ListAppointments(filter, after, limit));
  ASSIGN_OR_RETURN(int64_t revision, store->Revision());
  common::FillListResponse(std::move(page), kAppointmentsScope, revision,
                           response->mutable_appointments(), response);
  return absl::OkStatus();
}

}  // namespace tandem::booking
