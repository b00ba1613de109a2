#include "services/roster/roster_handler.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/date_range.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"
#include "services/roster/calendar_feed.h"
#include "services/roster/roster_assembly.h"

namespace tandem::roster {
namespace {

// Rosters are for reading a few weeks at a time; a calendar feed covers a
// year, like a subscription would.
constexpr int kMaxRosterDays = 31;
constexpr int kMaxCalendarDays = 366;
// A subscription's window and life.
constexpr int kFeedDaysBack = 7;
constexpr int kFeedDaysAhead = 180;
constexpr absl::Duration kFeedLifetime = absl::Hours(24 * 365);
constexpr char kCalendarContentType[] = "text/calendar; charset=utf-8";

absl::Status CheckId(absl::string_view id, absl::string_view prefix,
                     absl::string_view field) {
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  if (!absl::StartsWith(id, prefix) || id.size() == prefix.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must look like '", prefix, "7'"));
  }
  return absl::OkStatus();
}

absl::StatusOr<common::DayRange> Days(
    bool present, const tandem::common::v1::DateRange& range, int max_days) {
  if (!present) return absl::InvalidArgumentError("date_range: required");
  ASSIGN_OR_RETURN(common::DayRange days, common::DayRangeFromProto(range));
  if (days.last - days.first >= max_days) {
    return absl::InvalidArgumentError(
        absl::StrCat("date_range: at most ", max_days, " days"));
  }
  return days;
}

// A therapist may read their own roster; coordinators and administrators
// (and services) read everyone's.
absl::Status MayReadTherapist(const common::Caller& caller,
                              const std::string& therapist_id) {
  if (!caller.OnlyTherapist() || caller.therapist_id == therapist_id) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      "therapist_id: therapists may read only their own roster");
}

absl::Status MayReadClinic(const common::Caller& caller) {
  if (!caller.OnlyTherapist()) return absl::OkStatus();
  return absl::PermissionDeniedError(
      "room and clinic-day rosters are for coordinators");
}

}  // namespace

absl::Status RosterHandler::GetTherapistRoster(
    const common::Caller& caller, const v1::GetTherapistRosterRequest& request,
    v1::GetTherapistRosterResponse* response) {
  RETURN_IF_ERROR(CheckId(request.therapist_id(), "th-", "therapist_id"));
  ASSIGN_OR_RETURN(common::DayRange days,
                   Days(request.has_date_range(), request.date_range(),
                        kMaxRosterDays));
  RETURN_IF_ERROR(MayReadTherapist(caller, request.therapist_id()));
  TherapistQuery query;
  query.therapist_id = request.therapist_id();
  query.first_day = days.first;
  query.last_day = days.last;
  ASSIGN_OR_RETURN(RosterInputs in, sources_->ReadTherapist(query, clock_()));
  *response->mutable_roster() = BuildTherapistRoster(in, request.therapist_id());
  return absl::OkStatus();
}

absl::Status RosterHandler::GetRoomRoster(
    const common::Caller& caller, const v1::GetRoomRosterRequest& request,
    v1::GetRoomRosterResponse* response) {
  RETURN_IF_ERROR(CheckId(request.room_id(), "rm-", "room_id"));
  ASSIGN_OR_RETURN(common::DayRange days,
                   Days(request.has_date_range(), request.date_range(),
                        kMaxRosterDays));
  RETURN_IF_ERROR(MayReadClinic(caller));
  ASSIGN_OR_RETURN(RosterInputs in,
                   sources_->ReadRoom(request.room_id(), days.first, days.last,
                                      clock_()));
  *response->mutable_roster() = BuildRoomRoster(in, request.room_id());
  return absl::OkStatus();
}

absl::Status RosterHandler::GetClinicDay(const common::Caller& caller,
                                         const v1::GetClinicDayRequest& request,
                                         v1::GetClinicDayResponse* response) {
  if (!request.has_date()) return absl::InvalidArgumentError("date: required");
  ASSIGN_OR_RETURN(absl::CivilDay day,
                   common::DayFromProto(request.date(), "date"));
  RETURN_IF_ERROR(MayReadClinic(caller));
  ASSIGN_OR_RETURN(RosterInputs in, sources_->ReadClinicDay(day, clock_()));
  *response->mutable_clinic_day() = BuildClinicDay(in);
  return absl::OkStatus();
}

absl::StatusOr<RosterInputs> RosterHandler::ReadForCalendar(
    const std::string& therapist_id, const common::DayRange& days,
    absl::Time now) {
  TherapistQuery query;
  query.therapist_id = therapist_id;
  query.first_day = days.first;
  query.last_day = days.last;
  query.include_cancelled = true;
  query.with_couples = false;
  return sources_->ReadTherapist(query, now);
}

absl::Status RosterHandler::ExportTherapistCalendar(
    const common::Caller& caller,
    const v1::ExportTherapistCalendarRequest& request,
    v1::ExportTherapistCalendarResponse* response) {
  RETURN_IF_ERROR(CheckId(request.therapist_id(), "th-", "therapist_id"));
  ASSIGN_OR_RETURN(common::DayRange days,
                   Days(request.has_date_range(), request.date_range(),
                        kMaxCalendarDays));
  RETURN_IF_ERROR(MayReadTherapist(caller, request.therapist_id()));
  const absl::Time now = clock_();
  ASSIGN_OR_RETURN(RosterInputs in,
                   ReadForCalendar(request.therapist_id(), days, now));
  ASSIGN_OR_RETURN(std::string feed,
                   BuildCalendarFeed(in, request.therapist_id(), now));
  response->set_content(std::move(feed));
  response->set_content_type(kCalendarContentType);
  response->set_filename(absl::StrCat(request.therapist_id(), ".ics"));
  return absl::OkStatus();
}

absl::Status RosterHandler::CreateCalendarFeed(
    const common::Caller& caller, const v1::CreateCalendarFeedRequest& request,
    v1::CreateCalendarFeedResponse* response) {
  RETURN_IF_ERROR(CheckId(request.therapist_id(), "th-", "therapist_id"));
  RETURN_IF_ERROR(MayReadTherapist(caller, request.therapist_id()));
  if (feeds_ == nullptr) {
    return absl::FailedPreconditionError(
        "calendar subscriptions are off: the roster service runs without "
        "--calendar_feed_key_file; download the calendar instead");
  }
  const absl::Time now = clock_();
  // An address for someone who cannot be rostered would be a dead link.
  ASSIGN_OR_RETURN(const dir::Therapist therapist,
                   sources_->ReadTherapistRecord(request.therapist_id()));
  if (!therapist.active()) {
    return absl::FailedPreconditionError(
        "therapist_id: the therapist is inactive; their calendar has no "
        "subscription");
  }
  const absl::Time expire = now + kFeedLifetime;
  std::string token = feeds_->Mint(request.therapist_id(), expire);
  response->set_path(absl::StrCat("/calendar/", token, ".ics"));
  response->set_feed_token(std::move(token));
  *response->mutable_expire_time() = common::ToProto(expire);
  return absl::OkStatus();
}

absl::Status RosterHandler::GetCalendarFeed(
    const common::Caller& /*caller*/, const v1::GetCalendarFeedRequest& request,
    v1::GetCalendarFeedResponse* response) {
  if (request.feed_token().empty()) {
    return absl::InvalidArgumentError("feed_token: required");
  }
  if (feeds_ == nullptr) return absl::NotFoundError("no such calendar feed");
  const absl::Time now = clock_();
  ASSIGN_OR_RETURN(const std::string therapist_id,
                   feeds_->Verify(request.feed_token(), now));
  // The clinic's own "today" needs its time zone, which only the read
  // brings; a day either side of UTC's is the same window for a calendar.
  const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
  ASSIGN_OR_RETURN(
      RosterInputs in,
      ReadForCalendar(therapist_id,
                      {today - kFeedDaysBack - 1, today + kFeedDaysAhead + 1},
                      now));
  // Made inactive (or gone): the subscription ends with their rostering.
  const auto therapist = in.therapists.find(therapist_id);
  if (therapist == in.therapists.end() || !therapist->second.active()) {
    return absl::NotFoundError("no such calendar feed");
  }
  ASSIGN_OR_RETURN(std::string feed, BuildCalendarFeed(in, therapist_id, now));
  v1::CalendarFeed* out = response->mutable_feed();
  out->set_therapist_id(therapist_id);
  out->set_content(std::move(feed));
  out->set_content_type(kCalendarContentType);
  return absl::OkStatus();
}

}  // namespace tandem::roster
