// The demo seeder: walks the tables of demo_data.h and turns each row into
// one idempotent call of the public APIs, in an order that lets later calls
// refer to earlier results (teams to therapists, couples to excluded
// therapists, bookings to couples and templates).
//
// Determinism: every request is built from the tables and `today` alone, and
// all plans are held before any is confirmed, so the follow-up service (which
// books its contacts only for confirmed intensives) cannot take time that a
// later plan would have used. Same `today`, same demo.
#include "clients/demo/demo_seed.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/types/span.h"
#include "clients/demo/demo_data.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"
#include "tandem/booking/v1/booking_service.grpc.pb.h"
#include "tandem/directory/v1/directory_service.grpc.pb.h"
#include "tandem/followup/v1/followup_service.grpc.pb.h"

namespace tandem::demo {

namespace {

namespace bk = ::tandem::booking::v1;
namespace dir = ::tandem::directory::v1;
namespace fu = ::tandem::followup::v1;
namespace cv1 = ::tandem::common::v1;

using BookingStub = bk::BookingService::Stub;
using DirectoryStub = dir::DirectoryService::Stub;
using FollowUpStub = fu::FollowUpService::Stub;

// Public holidays this far ahead become closures.
constexpr int kHolidayHorizonDays = 365;
// A plan is looked for this many days after a couple's earliest start.
constexpr int kProposalWindowDays = 60;
// The demo's unconfirmed hold waits this long for its referral.
constexpr absl::Duration kHoldWaitingForReferral = absl::Hours(7 * 24);
// How long booking may take to see the directory the demo just wrote.
constexpr absl::Duration kReplicaWait = absl::Seconds(20);
// How long to wait for follow-up to plan the confirmed intensives.
constexpr absl::Duration kFollowUpWait = absl::Seconds(10);
// Calls answered UNAVAILABLE are tried this often in all (all are
// idempotent: mutations carry request ids, the rest only read).
constexpr int kAttempts = 5;

absl::CivilDay DayOf(const cv1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

cv1::DateRange RangeProto(absl::CivilDay first, absl::CivilDay last) {
  cv1::DateRange out;
  *out.mutable_start_date() = common::DayToProto(first);
  *out.mutable_end_date() = common::DayToProto(last);
  return out;
}

google::protobuf::Timestamp TimestampProto(absl::CivilDay day,
                                           absl::TimeZone zone) {
  return common::ToProto(absl::FromCivil(day, zone));
}

// Monday to Friday, `start` to `end` minutes after midnight.
void AddWeekdayHours(
    int start, int end,
    google::protobuf::RepeatedPtrField<cv1::WeeklyHours>* hours) {
  for (int weekday = cv1::WEEKDAY_MONDAY; weekday <= cv1::WEEKDAY_FRIDAY;
       ++weekday) {
    cv1::WeeklyHours* h = hours->Add();
    h->set_weekday(static_cast<cv1::Weekday>(weekday));
    *h->mutable_start_time() = common::MinuteOfDayToProto(start);
    *h->mutable_end_time() = common::MinuteOfDayToProto(end);
  }
}

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday w = absl::GetWeekday(day);
  return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
}

bool Active(bk::IntensiveStatus status) {
  return status != bk::INTENSIVE_STATUS_CANCELLED &&
         status != bk::INTENSIVE_STATUS_COMPLETED;
}

bool Settled(bk::ReferralStatus status) {
  return status == bk::REFERRAL_STATUS_CLEARED ||
         status == bk::REFERRAL_STATUS_NOT_NEEDED;
}

// A template a couple without recorded partner sexes can use: no session
// pairs a partner with a therapist by sex.
bool NeedsNoPartnerSex(const bk::ProgrammeTemplate& t) {
  for (const bk::TemplateDay& day : t.days()) {
    for (const bk::TemplateSession& s : day.sessions()) {
      if (s.therapists() == bk::THERAPIST_RULE_SAME_SEX_AS_PARTNER ||
          s.therapists() == bk::THERAPIST_RULE_OTHER_SEX_THAN_PARTNER) {
        return false;
      }
    }
  }
  return true;
}

// One session of TenDayTemplate().
struct SessionRow {
  const char* key;
  bk::SessionKind kind;
  int minutes;
  bk::SessionParticipants who;
  bk::TherapistRule with;
  bk::SessionRoomKind room;
  const char* parallel_with;
};

constexpr SessionRow kAssessmentDay[] = {
    {"joint-assessment", bk::SESSION_KIND_JOINT, 90,
     bk::SESSION_PARTICIPANTS_BOTH_PARTNERS, bk::THERAPIST_RULE_BOTH,
     bk::SESSION_ROOM_KIND_JOINT, ""},
    {"individual-assessment-a", bk::SESSION_KIND_INDIVIDUAL_ASSESSMENT, 60,
     bk::SESSION_PARTICIPANTS_PARTNER_A, bk::THERAPIST_RULE_MALE,
     bk::SESSION_ROOM_KIND_INDIVIDUAL, ""},
    {"individual-assessment-b", bk::SESSION_KIND_INDIVIDUAL_ASSESSMENT, 60,
     bk::SESSION_PARTICIPANTS_PARTNER_B, bk::THERAPIST_RULE_FEMALE,
     bk::SESSION_ROOM_KIND_INDIVIDUAL, "individual-assessment-a"},
};
constexpr SessionRow kJointDay[] = {
    {"joint", bk::SESSION_KIND_JOINT, 120,
     bk::SESSION_PARTICIPANTS_BOTH_PARTNERS, bk::THERAPIST_RULE_BOTH,
     bk::SESSION_ROOM_KIND_JOINT, ""},
};

// The shipped ten-day format, for a booking service that ships none: an
// assessment day (joint, then both partners alone at once, in two rooms),
// then nine days of one joint session.
bk::ProgrammeTemplate TenDayTemplate() {
  bk::ProgrammeTemplate t;
  t.set_display_name("Ten-day intensive");
  t.set_kind(bk::PROGRAMME_KIND_INTENSIVE);
  t.set_max_span_days(14);
  t.set_referral_clearance_required(true);
  for (int day = 1; day <= 10; ++day) {
    bk::TemplateDay* d = t.add_days();
    d->set_day_number(day);
    for (const SessionRow& row : day == 1 ? absl::MakeConstSpan(kAssessmentDay)
                                          : absl::MakeConstSpan(kJointDay)) {
      bk::TemplateSession* s = d->add_sessions();
      s->set_key(row.key);
      s->set_kind(row.kind);
      s->mutable_duration()->set_seconds(row.minutes * 60);
      s->set_participants(row.who);
      s->set_therapists(row.with);
      s->set_room_kind(row.room);
      s->set_parallel_with(row.parallel_with);
      s->set_preferred_day_part(bk::DAY_PART_ANY);
    }
  }
  return t;
}

class Seeder {
 public:
  Seeder(const DemoSeedChannels& channels, const DemoSeedOptions& options,
         absl::TimeZone zone, absl::CivilDay today)
      : directory_(dir::DirectoryService::NewStub(channels.directory)),
        booking_(bk::BookingService::NewStub(channels.booking)),
        followup_(channels.followup
                      ? fu::FollowUpService::NewStub(channels.followup)
                      : nullptr),
        options_(options),
        zone_(zone),
        today_(today) {}

  absl::StatusOr<DemoSeedSummary> Run(bool resume) {
    const absl::Time started = absl::Now();
    Progress(absl::StrCat("demo clinic for ", absl::FormatCivilTime(today_),
                          " in ", options_.time_zone,
                          resume ? " (resuming)" : ""));
    if (!resume) {
      RETURN_IF_ERROR(CheckEmpty());
    }
    for (absl::Status (Seeder::*step)() :
         {&Seeder::SeedSettings, &Seeder::SeedRooms, &Seeder::SeedTherapists,
          &Seeder::SeedClosures, &Seeder::SeedAbsences, &Seeder::SeedTeams,
          &Seeder::FindTemplates, &Seeder::SeedCouples,
          &Seeder::WaitForBookingReplica, &Seeder::HoldPlans,
          &Seeder::ConfirmPlans}) {
      RETURN_IF_ERROR((this->*step)());
    }
    CountFollowUps();
    Progress(absl::StrFormat("demo ready in %.1f s",
                             absl::ToDoubleSeconds(absl::Now() - started)));
    return summary_;
  }

 private:
  void Progress(const std::string& line) const {
    if (options_.progress) options_.progress(line);
  }

  // One unary call with the options' deadline; a failure names `step`.
  template <typename Stub, typename Request, typename Response>
  absl::Status Call(absl::string_view step, Stub& stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                 const Request&, Response*),
                    const Request& request, Response* response) const {
    grpc::Status status;
    for (int attempt = 1; attempt <= kAttempts; ++attempt) {
      grpc::ClientContext context;
      context.set_deadline(
          absl::ToChronoTime(absl::Now() + options_.call_timeout));
      status = (stub.*method)(&context, request, response);
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
      absl::SleepFor(absl::Milliseconds(100) * attempt);
    }
    if (status.ok()) return absl::OkStatus();
    const auto code = static_cast<absl::StatusCode>(status.error_code());
    return absl::Status(
        code, absl::StrCat(step, ": ", absl::StatusCodeToString(code), ": ",
                           status.error_message()));
  }

  absl::Status CheckEmpty() {
    dir::ListTherapistsRequest therapists;
    therapists.set_page_size(1);
    therapists.set_include_inactive(true);
    dir::ListTherapistsResponse listed_therapists;
    RETURN_IF_ERROR(Call("checking for therapists", *directory_,
                         &DirectoryStub::ListTherapists, therapists,
                         &listed_therapists));
    bk::ListCouplesRequest couples;
    couples.set_page_size(1);
    couples.set_include_archived(true);
    bk::ListCouplesResponse listed_couples;
    RETURN_IF_ERROR(Call("checking for couples", *booking_,
                         &BookingStub::ListCouples, couples, &listed_couples));
    std::vector<std::string> found;
    if (listed_therapists.therapists_size() > 0) found.push_back("therapists");
    if (listed_couples.couples_size() > 0) found.push_back("couples");
    if (found.empty()) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat(
        "demo seed: the system is not empty (it already has ",
        absl::StrJoin(found, " and "),
        "); the demo only fills an empty system, so nothing was written. "
        "To finish an interrupted demo seed, resume it."));
  }

  absl::Status SeedSettings() {
    dir::UpdateClinicSettingsRequest request;
    request.set_request_id("demo-clinic-settings");
    dir::ClinicSettings* settings = request.mutable_settings();
    settings->set_display_name(kClinicDisplayName);
    settings->set_time_zone(options_.time_zone);
    AddWeekdayHours(kOpenMinute, kCloseMinute,
                    settings->mutable_opening_hours());
    settings->set_booking_grid_minutes(kBookingGridMinutes);
    settings->set_contact_phone(kClinicPhone);
    for (const char* path : {"display_name", "time_zone", "opening_hours",
                             "booking_grid_minutes", "contact_phone"}) {
      request.mutable_update_mask()->add_paths(path);
    }
    dir::UpdateClinicSettingsResponse response;
    RETURN_IF_ERROR(Call("setting up the clinic", *directory_,
                         &DirectoryStub::UpdateClinicSettings, request,
                         &response));
    Progress(
        absl::StrFormat("clinic: %s, open Monday to Friday %02d:%02d-%02d:%02d",
                        kClinicDisplayName, kOpenMinute / 60, kOpenMinute % 60,
                        kCloseMinute / 60, kCloseMinute % 60));
    return absl::OkStatus();
  }

  absl::Status SeedRooms() {
    int n = 0;
    for (const RoomRow& row : Rooms()) {
      ++n;
      dir::CreateRoomRequest request;
      request.set_request_id(absl::StrCat("demo-room-", n));
      dir::Room* room = request.mutable_room();
      room->set_display_name(row.display_name);
      room->set_capacity(row.capacity);
      room->set_active(true);
      if (row.joint) room->add_kinds(dir::ROOM_KIND_JOINT);
      if (row.individual) room->add_kinds(dir::ROOM_KIND_INDIVIDUAL);
      dir::CreateRoomResponse response;
      RETURN_IF_ERROR(Call(absl::StrCat("creating room ", n), *directory_,
                           &DirectoryStub::CreateRoom, request, &response));
    }
    summary_.rooms = n;
    Progress(absl::StrCat(n, " rooms"));
    return absl::OkStatus();
  }

  absl::Status SeedTherapists() {
    int n = 0;
    for (const TherapistRow& row : Therapists()) {
      ++n;
      dir::CreateTherapistRequest request;
      request.set_request_id(absl::StrCat("demo-therapist-", n));
      dir::Therapist* t = request.mutable_therapist();
      t->set_display_name(row.display_name);
      t->set_sex(row.sex);
      for (absl::string_view tag : absl::StrSplit(row.languages, ','))
        t->add_languages(std::string(tag));
      for (absl::string_view tag : absl::StrSplit(row.qualifications, ','))
        t->add_qualifications(std::string(tag));
      AddWeekdayHours(row.start_minute, row.end_minute,
                      t->mutable_working_hours());
      t->set_daily_session_minutes_cap(row.daily_cap_minutes);
      t->set_active(true);
      dir::CreateTherapistResponse response;
      RETURN_IF_ERROR(Call(absl::StrCat("creating therapist ", n), *directory_,
                           &DirectoryStub::CreateTherapist, request,
                           &response));
      therapist_ids_.push_back(response.therapist().id());
    }
    summary_.therapists = n;
    Progress(absl::StrCat(n, " therapists"));
    return absl::OkStatus();
  }

  absl::Status SeedClosures() {
    const std::vector<Holiday> holidays = PublicHolidays(
        options_.time_zone, today_, today_ + kHolidayHorizonDays);
    int n = 0;
    for (const Holiday& holiday : holidays) {
      ++n;
      dir::CreateClosureRequest request;
      request.set_request_id(
          absl::StrCat("demo-closure-", absl::FormatCivilTime(holiday.day)));
      dir::Closure* closure = request.mutable_closure();
      *closure->mutable_date() = common::DayToProto(holiday.day);
      closure->set_kind(dir::CLOSURE_KIND_PUBLIC_HOLIDAY);
      closure->set_label(holiday.label);
      dir::CreateClosureResponse response;
      absl::Status s =
          Call(absl::StrCat("closing the clinic on ",
                            absl::FormatCivilTime(holiday.day)),
               *directory_, &DirectoryStub::CreateClosure, request, &response);
      // A day someone closed already stays closed: fine for the demo.
      if (!s.ok() && !absl::IsAlreadyExists(s)) return s;
    }
    summary_.closures = n;
    Progress(holidays.empty()
                 ? std::string("no public holidays in the next year")
                 : absl::StrCat(n, " public holidays as closures, the first ",
                                holidays.front().label, " on ",
                                absl::FormatCivilTime(holidays.front().day)));
    return absl::OkStatus();
  }

  absl::Status SeedAbsences() {
    int n = 0;
    for (const AbsenceRow& row : Absences()) {
      ++n;
      absl::CivilDay first = today_ + row.offset_days;
      if (row.from_monday) {
        first = absl::NextWeekday(first - 1, absl::Weekday::monday);
      }
      while (IsWeekend(first)) ++first;
      absl::CivilDay end = first;  // exclusive
      for (int weekdays = 0; weekdays < row.days; ++end) {
        if (!IsWeekend(end)) ++weekdays;
      }
      dir::CreateAbsenceRequest request;
      request.set_request_id(absl::StrCat("demo-absence-", n));
      dir::Absence* absence = request.mutable_absence();
      absence->set_therapist_id(therapist_ids_.at(row.therapist));
      *absence->mutable_start_time() = TimestampProto(first, zone_);
      *absence->mutable_end_time() = TimestampProto(end, zone_);
      absence->set_reason(row.reason);
      dir::CreateAbsenceResponse response;
      RETURN_IF_ERROR(Call(absl::StrCat("recording absence ", n), *directory_,
                           &DirectoryStub::CreateAbsence, request, &response));
    }
    summary_.absences = n;
    Progress(absl::StrCat(n, " absences (leave and a training day)"));
    return absl::OkStatus();
  }

  // Last of the directory: once booking knows the last team, it knows
  // everything before it (its replica applies changes in order).
  absl::Status SeedTeams() {
    int n = 0;
    for (const TeamRow& row : Teams()) {
      ++n;
      dir::CreateTeamRequest request;
      request.set_request_id(absl::StrCat("demo-team-", n));
      dir::Team* team = request.mutable_team();
      team->set_male_therapist_id(therapist_ids_.at(row.male));
      team->set_female_therapist_id(therapist_ids_.at(row.female));
      team->set_label(row.label);
      dir::CreateTeamResponse response;
      RETURN_IF_ERROR(Call(absl::StrCat("forming team ", n), *directory_,
                           &DirectoryStub::CreateTeam, request, &response));
      team_ids_.push_back(response.team().id());
    }
    summary_.teams = n;
    Progress(absl::StrCat(n, " standing teams"));
    return absl::OkStatus();
  }

  // The shipped templates, or a ten-day one made here if booking has none.
  absl::Status FindTemplates() {
    bk::ListProgrammeTemplatesRequest request;
    request.set_page_size(1000);
    bk::ListProgrammeTemplatesResponse response;
    RETURN_IF_ERROR(Call("listing programme templates", *booking_,
                         &BookingStub::ListProgrammeTemplates, request,
                         &response));
    for (const bk::ProgrammeTemplate& t : response.programme_templates()) {
      if (t.kind() == bk::PROGRAMME_KIND_INTENSIVE && intensive_.empty() &&
          NeedsNoPartnerSex(t)) {
        intensive_ = t.id();
        intensive_name_ = t.display_name();
      }
      if (t.kind() == bk::PROGRAMME_KIND_WEEKLY && weekly_.empty()) {
        weekly_ = t.id();
        weekly_name_ = t.display_name();
      }
    }
    if (intensive_.empty()) {
      bk::CreateProgrammeTemplateRequest create;
      create.set_request_id("demo-template-ten-day");
      *create.mutable_programme_template() = TenDayTemplate();
      bk::CreateProgrammeTemplateResponse created;
      RETURN_IF_ERROR(Call("creating the ten-day template", *booking_,
                           &BookingStub::CreateProgrammeTemplate, create,
                           &created));
      intensive_ = created.programme_template().id();
      intensive_name_ = created.programme_template().display_name();
    }
    if (weekly_.empty()) {  // the weekly couple gets an intensive instead
      weekly_ = intensive_;
      weekly_name_ = intensive_name_;
    }
    Progress(absl::StrCat("programme templates: ", intensive_name_, " (",
                          intensive_, "), ", weekly_name_, " (", weekly_, ")"));
    return absl::OkStatus();
  }

  void FillPartner(const PartnerRow& row, int couple, int partner,
                   bk::Partner* out) const {
    out->set_given_name(row.given_name);
    out->set_family_name(row.family_name);
    out->set_phone(DemoPhone(couple, partner, row));
    out->set_email(DemoEmail(row));
    out->set_preferred_channel(row.channel);
    out->set_sms_consent(row.channel == bk::CONTACT_CHANNEL_SMS);
    out->set_email_consent(row.channel == bk::CONTACT_CHANNEL_EMAIL);
    out->set_sex(row.sex);
  }

  absl::Status SeedCouples() {
    int n = 0;
    for (const CoupleRow& row : Couples()) {
      bk::CreateCoupleRequest request;
      request.set_request_id(absl::StrCat("demo-couple-", row.key));
      bk::Couple* couple = request.mutable_couple();
      FillPartner(row.a, n, 0, couple->mutable_partner_a());
      if (row.b.given_name != nullptr)
        FillPartner(row.b, n, 1, couple->mutable_partner_b());
      couple->set_language(row.language);
      couple->set_display_label(InitialsLabel(row));
      if (row.excluded_therapist >= 0) {
        couple->add_excluded_therapist_ids(
            therapist_ids_.at(row.excluded_therapist));
      }
      if (row.blackout_days > 0) {
        const absl::CivilDay first = today_ + row.blackout_offset_days;
        *couple->add_blackout_dates() =
            RangeProto(first, first + (row.blackout_days - 1));
      }
      ++n;
      bk::CreateCoupleResponse response;
      RETURN_IF_ERROR(Call(absl::StrCat("creating couple ", n), *booking_,
                           &BookingStub::CreateCouple, request, &response));
      couple_ids_.push_back(response.couple().id());
      if (row.referral.specialty == bk::REFERRAL_SPECIALTY_UNSPECIFIED)
        continue;
      RETURN_IF_ERROR(CreateReferral(row, response.couple().id()));
    }
    summary_.couples = n;
    Progress(absl::StrCat(n, " couples, ", summary_.referrals, " referrals (",
                          summary_.open_referrals, " still open)"));
    return absl::OkStatus();
  }

  // Dated as a coordinator would have recorded it over the past weeks.
  absl::Status CreateReferral(const CoupleRow& row,
                              const std::string& couple_id) {
    const bk::ReferralStatus status = row.referral.status;
    bk::CreateReferralRequest request;
    request.set_request_id(absl::StrCat("demo-referral-", row.key));
    bk::Referral* referral = request.mutable_referral();
    referral->set_couple_id(couple_id);
    referral->set_partner(row.referral.partner);
    referral->set_specialty(row.referral.specialty);
    referral->set_status(status);
    *referral->mutable_suggest_date() = common::DayToProto(today_ - 28);
    if (status != bk::REFERRAL_STATUS_SUGGESTED &&
        status != bk::REFERRAL_STATUS_NOT_NEEDED) {
      *referral->mutable_request_date() = common::DayToProto(today_ - 21);
    }
    if (status == bk::REFERRAL_STATUS_SEEN ||
        status == bk::REFERRAL_STATUS_CLEARED) {
      *referral->mutable_seen_date() = common::DayToProto(today_ - 10);
    }
    if (Settled(status))
      *referral->mutable_settle_date() = common::DayToProto(today_ - 5);
    bk::CreateReferralResponse response;
    RETURN_IF_ERROR(
        Call(absl::StrCat("recording the referral of couple ", row.key),
             *booking_, &BookingStub::CreateReferral, request, &response));
    ++summary_.referrals;
    if (!Settled(status)) ++summary_.open_referrals;
    return absl::OkStatus();
  }

  bk::ProposeIntensiveRequest ProposeRequest(size_t couple) const {
    const CoupleRow& row = Couples()[couple];
    const absl::CivilDay earliest = today_ + row.earliest_offset_days;
    bk::ProposeIntensiveRequest request;
    request.set_couple_id(couple_ids_.at(couple));
    request.set_template_id(row.format == Format::kWeekly ? weekly_
                                                          : intensive_);
    *request.mutable_earliest_start() = common::DayToProto(earliest);
    *request.mutable_latest_start() = common::DayToProto(earliest + kProposalWindowDays);
    request.mutable_preferences()->set_day_part(row.day_part);
    if (row.preferred_team >= 0) {
      request.mutable_preferences()->set_preferred_team_id(
          team_ids_.at(row.preferred_team));
    }
    request.mutable_preferences()->set_same_room_every_day(true);
    request.set_max_plans(1);
    return request;
  }

  // Booking follows the directory through its own replica. Plans made
  // before it has caught up would miss teams, absences or closures, so wait
  // until it accepts the last team the demo formed as a preference.
  absl::Status WaitForBookingReplica() {
    bk::ProposeIntensiveRequest request = ProposeRequest(0);
    request.mutable_preferences()->set_preferred_team_id(team_ids_.back());
    const absl::Time give_up = absl::Now() + kReplicaWait;
    for (;;) {
      bk::ProposeIntensiveResponse response;
      absl::Status s =
          Call("waiting for booking to see the directory", *booking_,
               &BookingStub::ProposeIntensive, request, &response);
      const bool behind = absl::IsUnavailable(s) ||
                          (absl::IsInvalidArgument(s) &&
                           absl::StrContains(s.message(), "preferred_team_id"));
      if (!behind || absl::Now() > give_up) return s;
      absl::SleepFor(absl::Milliseconds(100));
    }
  }

  // The couple's intensive if it has one that is not over (a resumed run),
  // and how many of its holds lapsed or were cancelled.
  absl::Status FindIntensive(size_t couple, std::optional<bk::Intensive>* out,
                             int* cancelled) const {
    bk::ListIntensivesRequest request;
    request.set_couple_id(couple_ids_.at(couple));
    request.set_page_size(1000);
    bk::ListIntensivesResponse response;
    RETURN_IF_ERROR(Call(absl::StrCat("looking up couple ",
                                      Couples()[couple].key, "'s bookings"),
                         *booking_, &BookingStub::ListIntensives, request,
                         &response));
    *cancelled = 0;
    for (const bk::Intensive& in : response.intensives()) {
      if (Active(in.status())) {
        *out = in;
      } else if (in.status() == bk::INTENSIVE_STATUS_CANCELLED) {
        ++*cancelled;
      }
    }
    return absl::OkStatus();
  }

  // Proposes and holds the best plan for one couple. A plan taken between
  // proposing and holding (ABORTED) is proposed again.
  absl::StatusOr<bk::Intensive> ProposeAndHold(size_t couple,
                                               int cancelled_before) {
    const CoupleRow& row = Couples()[couple];
    const std::string step = absl::StrCat("booking couple ", row.key);
    const bk::ProposeIntensiveRequest propose = ProposeRequest(couple);
    absl::Status last;
    for (int attempt = 0; attempt < 3; ++attempt) {
      bk::ProposeIntensiveResponse proposed;
      RETURN_IF_ERROR(Call(step, *booking_, &BookingStub::ProposeIntensive,
                           propose, &proposed));
      if (proposed.plans().empty()) {
        std::vector<std::string> reasons;
        for (const bk::ProposalReason& r : proposed.explanation().reasons())
          reasons.push_back(r.message());
        return absl::FailedPreconditionError(absl::StrCat(
            step, ": FAILED_PRECONDITION: no plan starts between ",
            absl::FormatCivilTime(DayOf(propose.earliest_start())), " and ",
            absl::FormatCivilTime(DayOf(propose.latest_start())), ": ",
            absl::StrJoin(reasons, "; ")));
      }
      bk::HoldIntensiveRequest hold;
      hold.set_request_id(absl::StrCat(
          "demo-hold-", row.key,
          cancelled_before > 0 ? absl::StrCat("-", cancelled_before + 1)
                               : std::string()));
      hold.set_couple_id(couple_ids_.at(couple));
      *hold.mutable_plan() = proposed.plans(0);
      if (row.outcome == Outcome::kHold) {
        hold.mutable_hold_duration()->set_seconds(
            absl::ToInt64Seconds(kHoldWaitingForReferral));
      }
      bk::HoldIntensiveResponse held;
      last = Call(step, *booking_, &BookingStub::HoldIntensive, hold, &held);
      if (last.ok()) return held.intensive();
      if (!absl::IsAborted(last)) return last;
    }
    return last;
  }

  // Every couple that gets a booking gets its plan held first; see the top
  // of this file for why confirming waits until all are held.
  absl::Status HoldPlans() {
    for (size_t i = 0; i < Couples().size(); ++i) {
      if (Couples()[i].outcome == Outcome::kNone) continue;
      std::optional<bk::Intensive> existing;
      int cancelled = 0;
      RETURN_IF_ERROR(FindIntensive(i, &existing, &cancelled));
      if (!existing.has_value()) {
        ASSIGN_OR_RETURN(existing, ProposeAndHold(i, cancelled));
      }
      intensives_.emplace_back(i, *std::move(existing));
    }
    return absl::OkStatus();
  }

  absl::Status ConfirmPlans() {
    const bk::Intensive* earliest = nullptr;
    for (auto& [couple, intensive] : intensives_) {
      const CoupleRow& row = Couples()[couple];
      if (row.outcome == Outcome::kConfirm &&
          intensive.status() == bk::INTENSIVE_STATUS_HELD) {
        bk::ConfirmIntensiveRequest request;
        request.set_request_id(absl::StrCat("demo-confirm-", row.key));
        request.set_id(intensive.id());
        bk::ConfirmIntensiveResponse response;
        RETURN_IF_ERROR(Call(absl::StrCat("confirming couple ", row.key),
                             *booking_, &BookingStub::ConfirmIntensive, request,
                             &response));
        intensive = response.intensive();
      }
      ReportBooking(row, intensive);
      if (earliest == nullptr ||
          DayOf(intensive.start_date()) < DayOf(earliest->start_date())) {
        earliest = &intensive;
      }
    }
    if (earliest != nullptr) {
      summary_.sample_therapist_id = earliest->team().male_therapist_id();
      summary_.sample_day = DayOf(earliest->start_date());
    }
    return absl::OkStatus();
  }

  void ReportBooking(const CoupleRow& row, const bk::Intensive& intensive) {
    std::string state;
    switch (intensive.status()) {
      case bk::INTENSIVE_STATUS_HELD:
        ++summary_.held_intensives;
        state = "held (waiting for a referral)";
        break;
      case bk::INTENSIVE_STATUS_BOOKED:
      case bk::INTENSIVE_STATUS_IN_PROGRESS:
        ++summary_.intensives;
        state = "confirmed";
        break;
      default:
        state = bk::IntensiveStatus_Name(intensive.status());
    }
    Progress(absl::StrCat(
        InitialsLabel(row), ": ", intensive.template_display_name(), " ",
        absl::FormatCivilTime(DayOf(intensive.start_date())), " to ",
        absl::FormatCivilTime(DayOf(intensive.end_date())), ", ", state));
  }

  // Follow-up plans its own contacts for each confirmed intensive, after
  // the fact; wait a little so the summary can say how far it got.
  void CountFollowUps() {
    if (followup_ == nullptr || summary_.intensives == 0) return;
    const absl::Time give_up = absl::Now() + kFollowUpWait;
    for (;;) {
      fu::ListFollowUpPlansRequest request;
      request.set_page_size(1000);
      fu::ListFollowUpPlansResponse response;
      const absl::Status s =
          Call("counting follow-up plans", *followup_,
               &FollowUpStub::ListFollowUpPlans, request, &response);
      if (s.ok()) {
        summary_.follow_up_plans = response.follow_up_plans_size();
        summary_.follow_up_contacts = 0;
        for (const fu::FollowUpPlan& plan : response.follow_up_plans())
          summary_.follow_up_contacts += plan.contacts_size();
      }
      if (summary_.follow_up_plans >= summary_.intensives ||
          absl::Now() > give_up) {
        break;
      }
      absl::SleepFor(absl::Milliseconds(200));
    }
    Progress(absl::StrCat(summary_.follow_up_plans, " follow-up plans with ",
                          summary_.follow_up_contacts, " contacts"));
  }

  std::unique_ptr<DirectoryStub> directory_;
  std::unique_ptr<BookingStub> booking_;
  std::unique_ptr<FollowUpStub> followup_;
  const DemoSeedOptions& options_;
  const absl::TimeZone zone_;
  const absl::CivilDay today_;

  std::vector<std::string> therapist_ids_;  // by row of Therapists()
  std::vector<std::string> team_ids_;       // by row of Teams()
  std::vector<std::string> couple_ids_;     // by row of Couples()
  std::string intensive_, intensive_name_;  // programme template ids, names
  std::string weekly_, weekly_name_;
  // (row of Couples(), its intensive), in row order.
  std::vector<std::pair<size_t, bk::Intensive>> intensives_;
  DemoSeedSummary summary_;
};

}  // namespace

absl::StatusOr<DemoSeedSummary> SeedDemo(const DemoSeedChannels& channels,
                                         const DemoSeedOptions& options,
                                         bool resume) {
  if (!channels.directory || !channels.booking) {
    return absl::InvalidArgumentError(
        "demo seed: the directory and booking channels are required");
  }
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(options.time_zone, &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("demo seed: time_zone: not a known IANA time zone: ",
                     options.time_zone));
  }
  const absl::CivilDay today = options.today == absl::CivilDay(1970, 1, 1)
                                   ? absl::ToCivilDay(absl::Now(), zone)
                                   : options.today;
  return Seeder(channels, options, zone, today).Run(resume);
}

}  // namespace tandem::demo
