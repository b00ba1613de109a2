#include "services/followup/contact_booker.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"
#include "services/followup/schedule.h"

namespace tandem::followup {

namespace {

constexpr int kStepMinutes = 15;
// Bounds the calls one search makes (a full week of a busy clinic).
constexpr int kMaxAttempts = 300;

// The hours of `weekday` in `hours`; nullopt if none.
std::optional<MinuteRange> HoursOn(const google::protobuf::RepeatedPtrField<
                                       tandem::common::v1::WeeklyHours>& hours,
                                   absl::CivilDay day) {
  const auto weekday = common::WeekdayToProto(absl::GetWeekday(day));
  for (const auto& h : hours) {
    if (h.weekday() != weekday) continue;
    return MinuteRange{h.start_time().hours() * 60 + h.start_time().minutes(),
                       h.end_time().hours() * 60 + h.end_time().minutes()};
  }
  return std::nullopt;
}

bool IsVisit(const ContactRow& row) {
  return row.contact.kind() == v1::CONTACT_KIND_OFFICE_VISIT;
}

}  // namespace

std::unique_ptr<ContactLocks::Held> ContactLocks::Acquire(
    const std::string& id) {
  absl::MutexLock lock(&mu_);
  auto free = [this, &id]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !held_.contains(id);
  };
  mu_.Await(absl::Condition(&free));
  held_.insert(id);
  return std::make_unique<Held>(this, id);
}

void ContactLocks::Release(const std::string& id) {
  absl::MutexLock lock(&mu_);
  held_.erase(id);
}

absl::StatusOr<absl::TimeZone> ContactBooker::ClinicZone(
    dir::ClinicSettings* settings) {
  ASSIGN_OR_RETURN(*settings, client_->GetClinicSettings());
  absl::TimeZone zone = absl::UTCTimeZone();
  if (!settings->time_zone().empty() &&
      !absl::LoadTimeZone(settings->time_zone(), &zone)) {
    return absl::FailedPreconditionError(
        "the clinic's time zone is unknown on this host");
  }
  return zone;
}

absl::StatusOr<absl::CivilDay> ContactBooker::ClinicDay(absl::Time time) {
  dir::ClinicSettings settings;
  ASSIGN_OR_RETURN(absl::TimeZone zone, ClinicZone(&settings));
  return absl::ToCivilDay(time, zone);
}

absl::StatusOr<std::vector<std::string>> ContactBooker::VisitRooms() {
  ASSIGN_OR_RETURN(std::vector<dir::Room> rooms, client_->ListRooms());
  auto individual = [](const dir::Room& room) {
    return std::find(room.kinds().begin(), room.kinds().end(),
                     dir::ROOM_KIND_INDIVIDUAL) != room.kinds().end();
  };
  std::stable_partition(rooms.begin(), rooms.end(), individual);
  std::vector<std::string> ids;
  for (const dir::Room& room : rooms) {
    if (room.active()) ids.push_back(room.id());
  }
  return ids;
}

absl::StatusOr<std::vector<ContactBooker::Candidate>>
ContactBooker::WindowCandidates(const ContactRow& row) {
  dir::ClinicSettings settings;
  ASSIGN_OR_RETURN(absl::TimeZone zone, ClinicZone(&settings));
  ASSIGN_OR_RETURN(dir::Therapist therapist,
                   client_->GetTherapist(row.contact.therapist_id()));
  std::vector<std::string> rooms = {""};
  if (IsVisit(row)) {
    ASSIGN_OR_RETURN(rooms, VisitRooms());
  }
  ASSIGN_OR_RETURN(absl::CivilDay due,
                   common::DayFromProto(row.contact.due_date(), "due_date"));
  const absl::CivilDay tomorrow = absl::ToCivilDay(clock_(), zone) + 1;
  std::vector<Candidate> out;
  for (absl::CivilDay day : CandidateDays(due, row.window_days, tomorrow)) {
    std::optional<MinuteRange> hours = HoursOn(therapist.working_hours(), day);
    if (hours && IsVisit(row)) {
      std::optional<MinuteRange> open = HoursOn(settings.opening_hours(), day);
      hours = open ? Intersect(*hours, *open) : std::nullopt;
    }
    if (!hours) continue;
    for (int minute : CandidateMinutes(
             *hours, static_cast<int>(absl::ToInt64Minutes(row.duration)),
             kStepMinutes)) {
      const absl::Time start =
          absl::FromCivil(absl::CivilMinute(day) + minute, zone);
      for (const std::string& room : rooms) out.push_back({start, room});
    }
  }
  return out;
}

absl::StatusOr<std::optional<bk::Appointment>> ContactBooker::TryCandidates(
    const ContactRow& row, const std::string& therapist_id,
    const std::vector<Candidate>& candidates, absl::Status* last_clash) {
  const v1::FollowUpContact& c = row.contact;
  const bool move = !c.appointment_id().empty();
  // A clash of the therapist or the couple holds whatever the room: the
  // candidates from the clashing one until the clash ends are skipped.
  absl::Time blocked_from = absl::InfiniteFuture();
  absl::Time blocked_until = absl::InfinitePast();
  int attempts = 0;
  for (const Candidate& candidate : candidates) {
    if (candidate.start >= blocked_from && candidate.start < blocked_until) {
      continue;
    }
    if (++attempts > kMaxAttempts) break;
    bk::Appointment a;
    a.set_id(c.appointment_id());
    a.set_kind(static_cast<bk::AppointmentKind>(c.kind()));
    a.set_therapist_id(therapist_id);
    a.set_room_id(candidate.room_id);
    a.set_couple_id(c.couple_id());
    *a.mutable_start_time() = common::ToProto(candidate.start);
    *a.mutable_end_time() = common::ToProto(candidate.start + row.duration);
    a.set_external_ref(c.id());
    const std::string request_id = absl::StrCat(
        "fu-", c.id(), "-v", row.version, move ? "-mv-" : "-bk-",
        absl::ToUnixSeconds(candidate.start) / 60, "-",
        candidate.room_id.empty() ? "ph" : candidate.room_id,
        therapist_id == c.therapist_id() ? ""
                                         : absl::StrCat("-", therapist_id));
    absl::StatusOr<bk::Appointment> booked =
        move ? client_->MoveAppointment(request_id, a)
             : client_->CreateAppointment(request_id, a);
    if (booked.ok()) return *std::move(booked);
    const std::vector<bk::Conflict> conflicts = ConflictsOf(booked.status());
    if (!absl::IsFailedPrecondition(booked.status()) || conflicts.empty()) {
      return booked.status();
    }
    *last_clash = booked.status();
    for (const bk::Conflict& conflict : conflicts) {
      if (absl::StartsWith(conflict.resource_id(), "rm-")) continue;
      if (blocked_from != candidate.start) {
        blocked_from = candidate.start;
        blocked_until = candidate.start + absl::Minutes(1);
      }
      blocked_until =
          std::max(blocked_until, common::FromProto(conflict.end_time()));
    }
  }
  return std::nullopt;
}

absl::StatusOr<std::optional<bk::Appointment>> ContactBooker::BookInWindow(
    const ContactRow& row) {
  ASSIGN_OR_RETURN(std::vector<bk::Appointment> live,
                   client_->LiveAppointments(row.contact.id()));
  if (!live.empty()) return live.front();
  ASSIGN_OR_RETURN(std::vector<Candidate> candidates, WindowCandidates(row));
  absl::Status clash;
  return TryCandidates(row, row.contact.therapist_id(), candidates, &clash);
}

absl::StatusOr<std::optional<bk::Appointment>> ContactBooker::MoveInWindow(
    const ContactRow& row) {
  ASSIGN_OR_RETURN(std::vector<Candidate> candidates, WindowCandidates(row));
  absl::Status clash;
  return TryCandidates(row, row.contact.therapist_id(), candidates, &clash);
}

absl::StatusOr<bk::Appointment> ContactBooker::BookAt(const ContactRow& row,
                                                      const SlotRequest& slot) {
  ContactRow target = row;
  if (target.contact.appointment_id().empty()) {
    // A booking made under this contact's id whose answer was lost is moved,
    // not doubled.
    ASSIGN_OR_RETURN(std::vector<bk::Appointment> live,
                     client_->LiveAppointments(row.contact.id()));
    if (!live.empty()) target.contact.set_appointment_id(live.front().id());
  }
  std::vector<std::string> rooms = {""};
  if (IsVisit(row)) {
    if (!slot.room_id.empty()) {
      rooms = {slot.room_id};
    } else {
      ASSIGN_OR_RETURN(rooms, VisitRooms());
      auto kept = std::find(rooms.begin(), rooms.end(), row.contact.room_id());
      if (kept != rooms.end()) std::rotate(rooms.begin(), kept, kept + 1);
    }
  }
  std::vector<Candidate> candidates;
  for (const std::string& room : rooms)
    candidates.push_back({slot.start, room});
  absl::Status clash = absl::FailedPreconditionError(
      "no active room is free for the office visit");
  ASSIGN_OR_RETURN(
      std::optional<bk::Appointment> booked,
      TryCandidates(target,
                    slot.therapist_id.empty() ? row.contact.therapist_id()
                                              : slot.therapist_id,
                    candidates, &clash));
  if (!booked) return clash;
  return *std::move(booked);
}

absl::Status ContactBooker::Cancel(const std::string& appointment_id) {
  absl::StatusOr<bk::Appointment> cancelled = client_->CancelAppointment(
      absl::StrCat("fu-cancel-", appointment_id), appointment_id);
  if (absl::IsNotFound(cancelled.status())) return absl::OkStatus();
  return cancelled.status();
}

}  // namespace tandem::followup
