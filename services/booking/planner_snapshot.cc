#include "services/booking/planner_snapshot.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"

namespace tandem::booking {

namespace v1 = ::tandem::directory::v1;
namespace cv1 = ::tandem::common::v1;

namespace {

// An inactive room is out of service for this many days from today: longer
// than any planning horizon (AvailabilityIndex allows at most 3660).
constexpr int kInactiveRoomDays = 3661;

absl::StatusOr<scheduler::WeeklyHours> ToWeeklyHours(
    const google::protobuf::RepeatedPtrField<cv1::WeeklyHours>& hours,
    const std::string& field) {
  scheduler::WeeklyHours out;
  for (int i = 0; i < hours.size(); ++i) {
    const std::string entry = absl::StrCat(field, "[", i, "]");
    const cv1::WeeklyHours& h = hours[i];
    if (h.weekday() < cv1::WEEKDAY_MONDAY ||
        h.weekday() > cv1::WEEKDAY_SUNDAY) {
      return absl::InvalidArgumentError(
          absl::StrCat(entry, ".weekday is unspecified"));
    }
    const int index = static_cast<int>(h.weekday()) - 1;  // Monday = 0
    if (out[index].has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat(entry, ".weekday appears twice"));
    }
    ASSIGN_OR_RETURN(int start, common::MinuteOfDayFromProto(
                                    h.start_time(), entry + ".start_time"));
    ASSIGN_OR_RETURN(int end, common::MinuteOfDayFromProto(
                                  h.end_time(), entry + ".end_time"));
    out[index] = scheduler::MinuteRange{.start = start, .end = end};
  }
  return out;
}

// Converts [start, end) to local time; nullopt if it ends before `from`.
absl::StatusOr<std::optional<scheduler::LocalInterval>> ToLocalIfRelevant(
    const google::protobuf::Timestamp& start,
    const google::protobuf::Timestamp& end, const std::string& field,
    absl::TimeZone zone, absl::CivilMinute from) {
  ASSIGN_OR_RETURN(absl::Time start_time,
                   common::TimeFromProto(start, field + ".start_time"));
  ASSIGN_OR_RETURN(absl::Time end_time,
                   common::TimeFromProto(end, field + ".end_time"));
  if (!(start_time < end_time)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": end_time must be after start_time"));
  }
  scheduler::LocalInterval local = ToLocalInterval(start_time, end_time, zone);
  if (local.end <= from) return std::nullopt;
  return local;
}

absl::StatusOr<scheduler::Sex> ToSex(v1::Sex sex, const std::string& field) {
  switch (sex) {
    case v1::SEX_MALE:
      return scheduler::Sex::kMale;
    case v1::SEX_FEMALE:
      return scheduler::Sex::kFemale;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".sex is unspecified"));
  }
}

absl::StatusOr<scheduler::RoomKind> ToRoomKind(int kind,
                                               const std::string& field) {
  switch (kind) {
    case v1::ROOM_KIND_JOINT:
      return scheduler::RoomKind::kJoint;
    case v1::ROOM_KIND_INDIVIDUAL:
      return scheduler::RoomKind::kIndividual;
    default:
      return absl::InvalidArgumentError(absl::StrCat(field, " is unspecified"));
  }
}

}  // namespace

absl::StatusOr<absl::TimeZone> ClinicTimeZone(const DirectoryState& state) {
  const std::string& name = state.clinic_settings.time_zone();
  absl::TimeZone zone;
  if (name.empty() || !absl::LoadTimeZone(name, &zone)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "clinic_settings.time_zone '", name, "' is not a known time zone"));
  }
  return zone;
}

scheduler::LocalInterval ToLocalInterval(absl::Time start, absl::Time end,
                                         absl::TimeZone zone) {
  // ToCivilMinute floors. For the end, round up unless the instant is a whole
  // local minute (zone offsets are whole minutes, except historical LMT).
  absl::CivilMinute local_end = absl::ToCivilMinute(end, zone);
  const absl::CivilSecond end_second = absl::ToCivilSecond(end, zone);
  const bool whole_second =
      end == absl::FromUnixSeconds(absl::ToUnixSeconds(end));
  if (end_second.second() != 0 || !whole_second) local_end += 1;
  return {.start = absl::ToCivilMinute(start, zone), .end = local_end};
}

absl::StatusOr<scheduler::Snapshot> ToPlannerSnapshot(
    const DirectoryState& state, absl::CivilDay today) {
  ASSIGN_OR_RETURN(absl::TimeZone zone, ClinicTimeZone(state));
  const absl::CivilMinute from(today);
  scheduler::Snapshot snapshot;
  snapshot.today = today;

  const v1::ClinicSettings& settings = state.clinic_settings;
  snapshot.clinic.time_zone = settings.time_zone();
  snapshot.clinic.grid_minutes = settings.booking_grid_minutes();
  ASSIGN_OR_RETURN(
      snapshot.clinic.opening_hours,
      ToWeeklyHours(settings.opening_hours(), "clinic_settings.opening_hours"));
  for (const auto& [id, closure] : state.closures) {
    ASSIGN_OR_RETURN(
        absl::CivilDay day,
        common::DayFromProto(closure.date(),
                             absl::StrCat("closures[", id, "].date")));
    snapshot.clinic.closures.push_back(day);
  }

  for (const auto& [id, therapist] : state.therapists) {
    const std::string field = absl::StrCat("therapists[", id, "]");
    scheduler::Therapist& out = snapshot.therapists.emplace_back();
    out.id = id;
    ASSIGN_OR_RETURN(out.sex, ToSex(therapist.sex(), field));
    out.languages.assign(therapist.languages().begin(),
                         therapist.languages().end());
    out.qualifications.assign(therapist.qualifications().begin(),
                              therapist.qualifications().end());
    ASSIGN_OR_RETURN(
        out.working_hours,
        ToWeeklyHours(therapist.working_hours(), field + ".working_hours"));
    out.daily_cap_minutes = therapist.daily_session_minutes_cap();
    out.active = therapist.active();
  }
  absl::flat_hash_map<std::string, scheduler::Therapist*> therapist_by_id;
  for (scheduler::Therapist& t : snapshot.therapists) {
    therapist_by_id[t.id] = &t;
  }
  for (const auto& [id, absence] : state.absences) {
    auto therapist = therapist_by_id.find(absence.therapist_id());
    if (therapist == therapist_by_id.end())
      continue;  // unknown: no one to block
    ASSIGN_OR_RETURN(
        std::optional<scheduler::LocalInterval> local,
        ToLocalIfRelevant(absence.start_time(), absence.end_time(),
                          absl::StrCat("absences[", id, "]"), zone, from));
    if (local.has_value()) therapist->second->absences.push_back(*local);
  }

  for (const auto& [id, team] : state.teams) {
    auto male = therapist_by_id.find(team.male_therapist_id());
    auto female = therapist_by_id.find(team.female_therapist_id());
    if (male == therapist_by_id.end() || female == therapist_by_id.end() ||
        male->second->sex != scheduler::Sex::kMale ||
        female->second->sex != scheduler::Sex::kFemale) {
      continue;
    }
    snapshot.teams.push_back({.male_id = team.male_therapist_id(),
                              .female_id = team.female_therapist_id()});
  }

  absl::flat_hash_map<std::string, size_t> room_index;
  for (const auto& [id, room] : state.rooms) {
    const std::string field = absl::StrCat("rooms[", id, "]");
    room_index[id] = snapshot.rooms.size();
    scheduler::Room& out = snapshot.rooms.emplace_back();
    out.id = id;
    out.capacity = room.capacity();
    for (int k = 0; k < room.kinds_size(); ++k) {
      ASSIGN_OR_RETURN(
          scheduler::RoomKind kind,
          ToRoomKind(room.kinds(k), absl::StrCat(field, ".kinds[", k, "]")));
      out.kinds.push_back(kind);
    }
    if (!room.active()) {
      out.out_of_service.push_back(
          {.start = from, .end = absl::CivilMinute(today + kInactiveRoomDays)});
    }
  }
  for (const auto& [id, outage] : state.room_outages) {
    auto room = room_index.find(outage.room_id());
    if (room == room_index.end()) continue;
    ASSIGN_OR_RETURN(
        std::optional<scheduler::LocalInterval> local,
        ToLocalIfRelevant(outage.start_time(), outage.end_time(),
                          absl::StrCat("room_outages[", id, "]"), zone, from));
    if (local.has_value()) {
      snapshot.rooms[room->second].out_of_service.push_back(*local);
    }
  }
  auto by_start = [](const scheduler::LocalInterval& a,
                     const scheduler::LocalInterval& b) {
    return a.start < b.start || (a.start == b.start && a.end < b.end);
  };
  for (scheduler::Therapist& t : snapshot.therapists) {
    std::sort(t.absences.begin(), t.absences.end(), by_start);
  }
  for (scheduler::Room& r : snapshot.rooms) {
    std::sort(r.out_of_service.begin(), r.out_of_service.end(), by_start);
  }
  return snapshot;
}

}  // namespace tandem::booking
