#include "bench/booking/clinic_seeder.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/proto_time.h"

namespace tandem::bench {
namespace {

namespace dir = ::tandem::directory::v1;
namespace cv1 = ::tandem::common::v1;

constexpr absl::Duration kCallTimeout = absl::Seconds(30);

// One unary directory call with a deadline; the error names `what`.
template <typename Method, typename Request, typename Response>
absl::Status Call(dir::DirectoryService::Stub& stub, Method method,
                  const Request& request, Response* response,
                  const std::string& what) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kCallTimeout));
  const grpc::Status status = (stub.*method)(&context, request, response);
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

void AddHours(const scheduler::WeeklyHours& hours,
              google::protobuf::RepeatedPtrField<cv1::WeeklyHours>* out) {
  for (int weekday = 0; weekday < 7; ++weekday) {
    if (!hours[weekday].has_value()) continue;
    cv1::WeeklyHours* entry = out->Add();
    entry->set_weekday(static_cast<cv1::Weekday>(weekday + 1));  // Monday = 1
    *entry->mutable_start_time() =
        common::MinuteOfDayToProto(hours[weekday]->start);
    *entry->mutable_end_time() =
        common::MinuteOfDayToProto(hours[weekday]->end);
  }
}

absl::CivilMinute Shift(absl::CivilMinute minute, int days) {
  return minute + int64_t{days} * 24 * 60;
}

}  // namespace

std::string LanguageTag(const std::string& name) {
  if (name == "English") return "en";
  if (name == "Spanish") return "es";
  if (name == "Tamil") return "ta";
  return absl::AsciiStrToLower(name.substr(0, 2));
}

absl::StatusOr<SeededClinic> SeedDirectory(dir::DirectoryService::Stub& stub,
                                           const scheduler::Snapshot& snapshot,
                                           int day_shift,
                                           const std::string& time_zone) {
  if (day_shift % 7 != 0) {
    return absl::InvalidArgumentError("day_shift must be whole weeks");
  }
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(time_zone, &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown time zone ", time_zone));
  }
  SeededClinic out;
  using Stub = dir::DirectoryService::Stub;
  {
    dir::UpdateClinicSettingsRequest request;
    request.set_request_id("load-settings");
    dir::ClinicSettings& settings = *request.mutable_settings();
    settings.set_display_name("Load Test Practice");
    settings.set_time_zone(time_zone);
    AddHours(snapshot.clinic.opening_hours, settings.mutable_opening_hours());
    settings.set_booking_grid_minutes(snapshot.clinic.grid_minutes);
    for (const char* path : {"display_name", "time_zone", "opening_hours",
                             "booking_grid_minutes"}) {
      request.mutable_update_mask()->add_paths(path);
    }
    dir::UpdateClinicSettingsResponse response;
    absl::Status status = Call(stub, &Stub::UpdateClinicSettings, request,
                               &response, "clinic settings");
    if (!status.ok()) return status;
    ++out.calls;
  }
  for (const absl::CivilDay day : snapshot.clinic.closures) {
    dir::CreateClosureRequest request;
    request.set_request_id(
        absl::StrCat("load-closure-", absl::FormatCivilTime(day + day_shift)));
    *request.mutable_closure()->mutable_date() =
        common::DayToProto(day + day_shift);
    request.mutable_closure()->set_kind(dir::CLOSURE_KIND_PUBLIC_HOLIDAY);
    request.mutable_closure()->set_label("Public holiday");
    dir::CreateClosureResponse response;
    absl::Status status =
        Call(stub, &Stub::CreateClosure, request, &response,
             absl::StrCat("closure ", absl::FormatCivilTime(day + day_shift)));
    if (!status.ok()) return status;
    ++out.calls;
  }
  std::set<std::string> languages;
  for (const scheduler::Therapist& therapist : snapshot.therapists) {
    dir::CreateTherapistRequest request;
    request.set_request_id(absl::StrCat("load-therapist-", therapist.id));
    dir::Therapist& t = *request.mutable_therapist();
    t.set_display_name(therapist.id);
    t.set_sex(therapist.sex == scheduler::Sex::kMale ? dir::SEX_MALE
                                                     : dir::SEX_FEMALE);
    for (const std::string& language : therapist.languages) {
      t.add_languages(LanguageTag(language));
      languages.insert(LanguageTag(language));
    }
    for (const std::string& q : therapist.qualifications) {
      t.add_qualifications(q);
    }
    AddHours(therapist.working_hours, t.mutable_working_hours());
    t.set_daily_session_minutes_cap(therapist.daily_cap_minutes);
    t.set_active(therapist.active);
    dir::CreateTherapistResponse response;
    absl::Status status = Call(stub, &Stub::CreateTherapist, request, &response,
                               absl::StrCat("therapist ", therapist.id));
    if (!status.ok()) return status;
    ++out.calls;
    out.therapist_ids[therapist.id] = response.therapist().id();
  }
  out.languages.assign(languages.begin(), languages.end());
  for (const scheduler::Therapist& therapist : snapshot.therapists) {
    for (const scheduler::LocalInterval& absence : therapist.absences) {
      dir::CreateAbsenceRequest request;
      request.set_request_id(
          absl::StrCat("load-absence-", therapist.id, "-",
                       absl::FormatCivilTime(absence.start)));
      dir::Absence& a = *request.mutable_absence();
      a.set_therapist_id(out.therapist_ids[therapist.id]);
      *a.mutable_start_time() = common::ToProto(
          absl::FromCivil(Shift(absence.start, day_shift), zone));
      *a.mutable_end_time() =
          common::ToProto(absl::FromCivil(Shift(absence.end, day_shift), zone));
      a.set_reason(dir::ABSENCE_REASON_LEAVE);
      dir::CreateAbsenceResponse response;
      absl::Status status = Call(stub, &Stub::CreateAbsence, request, &response,
                                 absl::StrCat("absence of ", therapist.id));
      if (!status.ok()) return status;
      ++out.calls;
    }
  }
  for (const scheduler::Team& team : snapshot.teams) {
    dir::CreateTeamRequest request;
    request.set_request_id(
        absl::StrCat("load-team-", team.male_id, "-", team.female_id));
    request.mutable_team()->set_male_therapist_id(
        out.therapist_ids[team.male_id]);
    request.mutable_team()->set_female_therapist_id(
        out.therapist_ids[team.female_id]);
    request.mutable_team()->set_label(
        absl::StrCat(team.male_id, "+", team.female_id));
    dir::CreateTeamResponse response;
    absl::Status status =
        Call(stub, &Stub::CreateTeam, request, &response,
             absl::StrCat("team ", team.male_id, "+", team.female_id));
    if (!status.ok()) return status;
    ++out.calls;
  }
  for (const scheduler::Room& room : snapshot.rooms) {
    dir::CreateRoomRequest request;
    request.set_request_id(absl::StrCat("load-room-", room.id));
    dir::Room& r = *request.mutable_room();
    r.set_display_name(room.id);
    r.set_capacity(room.capacity);
    for (const scheduler::RoomKind kind : room.kinds) {
      r.add_kinds(kind == scheduler::RoomKind::kJoint
                      ? dir::ROOM_KIND_JOINT
                      : dir::ROOM_KIND_INDIVIDUAL);
    }
    r.set_active(true);
    dir::CreateRoomResponse response;
    absl::Status status = Call(stub, &Stub::CreateRoom, request, &response,
                               absl::StrCat("room ", room.id));
    if (!status.ok()) return status;
    ++out.calls;
    out.room_ids[room.id] = response.room().id();
    for (const scheduler::LocalInterval& outage : room.out_of_service) {
      dir::CreateRoomOutageRequest outage_request;
      outage_request.set_request_id(absl::StrCat(
          "load-outage-", room.id, "-", absl::FormatCivilTime(outage.start)));
      dir::RoomOutage& o = *outage_request.mutable_room_outage();
      o.set_room_id(out.room_ids[room.id]);
      *o.mutable_start_time() = common::ToProto(
          absl::FromCivil(Shift(outage.start, day_shift), zone));
      *o.mutable_end_time() =
          common::ToProto(absl::FromCivil(Shift(outage.end, day_shift), zone));
      dir::CreateRoomOutageResponse outage_response;
      status = Call(stub, &Stub::CreateRoomOutage, outage_request,
                    &outage_response, absl::StrCat("outage of ", room.id));
      if (!status.ok()) return status;
      ++out.calls;
    }
  }
  return out;
}

}  // namespace tandem::bench
