// The roster service through the real binaries: directory, booking,
// follow-up and roster, each on port 0 with its own SQLite file. A booked
// intensive shows on both therapists' rosters day by day, in its room and
// on the clinic day; the calendar feed parses with a third-party parser
// (python3-icalendar) and keeps its UIDs when the booking is cancelled; a
// calendar subscription is read with nothing but its token, by its own
// therapist's making only; a missing source gives UNAVAILABLE naming it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/proto_time.h"
#include "services/common/test_db.h"
#include "tandem/audit/v1/audit_service.grpc.pb.h"
#include "tandem/followup/v1/followup_service.grpc.pb.h"
#include "tandem/roster/v1/roster_service.grpc.pb.h"
#include "tests/integration/booking_fixture.h"
#include "tests/integration/health_check.h"
#include "tests/integration/test_security.h"

namespace tandem::roster {
namespace {

namespace v1 = ::tandem::roster::v1;
namespace bk = ::tandem::booking::v1;
namespace fu = ::tandem::followup::v1;
namespace au = ::tandem::audit::v1;
namespace dir = ::tandem::directory::v1;
using ::tandem::testing::Call;
using ::tandem::testing::DateProto;
using ::tandem::testing::ServiceProcess;
using Stub = v1::RosterService::Stub;
using Service = v1::RosterService;

// Runs `command`, returning its standard output; fails the test on a
// non-zero exit.
std::string RunCommand(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return out;
  }
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  EXPECT_EQ(pclose(pipe), 0) << command << "\n" << out;
  return out;
}

absl::CivilDay Day(const tandem::common::v1::Date& d) {
  return absl::CivilDay(d.year(), d.month(), d.day());
}

class RosterIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::BookingServices services;
    ASSERT_NO_FATAL_FAILURE(testing::StartBookingServices({}, &services));
    directory_ = std::move(services.directory);
    booking_ = std::move(services.booking);
    booking_stub_ = bk::BookingService::NewStub(booking_->channel());
    auto followup = ServiceProcess::Start(
        TANDEM_FOLLOWUP_BINARY, {absl::StrCat("--booking=", booking_->target()),
                                 absl::StrCat("--directory=", directory_->target())});
    ASSERT_TRUE(followup.ok()) << followup.status();
    followup_ = std::move(*followup);
    auto roster = ServiceProcess::Start(
        TANDEM_ROSTER_BINARY,
        {absl::StrCat("--booking=", booking_->target()),
         absl::StrCat("--directory=", directory_->target()),
         absl::StrCat("--followup=", followup_->target()),
         "--downstream_timeout=1s"});
    ASSERT_TRUE(roster.ok()) << roster.status();
    roster_ = std::move(*roster);
    stub_ = Service::NewStub(roster_->channel());
  }

  v1::TherapistRoster Roster(const std::string& therapist, absl::CivilDay first,
                             absl::CivilDay last) {
    v1::GetTherapistRosterRequest request;
    request.set_therapist_id(therapist);
    *request.mutable_date_range()->mutable_start_date() = DateProto(first);
    *request.mutable_date_range()->mutable_end_date() = DateProto(last);
    v1::GetTherapistRosterResponse response;
    const grpc::Status status =
        Call(*stub_, &Stub::GetTherapistRoster, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.roster();
  }

  // The feed parsed by python3-icalendar.
  nlohmann::json Calendar(const std::string& therapist, absl::CivilDay first,
                          absl::CivilDay last) {
    v1::ExportTherapistCalendarRequest request;
    request.set_therapist_id(therapist);
    *request.mutable_date_range()->mutable_start_date() = DateProto(first);
    *request.mutable_date_range()->mutable_end_date() = DateProto(last);
    v1::ExportTherapistCalendarResponse response;
    const grpc::Status status =
        Call(*stub_, &Stub::ExportTherapistCalendar, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.content_type(), "text/calendar; charset=utf-8");
    EXPECT_EQ(response.filename(), therapist + ".ics");
    const std::string path = dir_.File(therapist + ".ics");
    std::ofstream(path, std::ios::binary) << response.content();
    return nlohmann::json::parse(
        RunCommand(absl::StrCat(TANDEM_PYTHON3, " ", TANDEM_PARSE_CALENDAR, " ", path)));
  }

  // Waits until follow-up has planned the intensive's contacts.
  void WaitForFollowUp() {
    auto stub = fu::FollowUpService::NewStub(followup_->channel());
    for (int i = 0; i < 200; ++i) {
      fu::ListFollowUpContactsRequest request;
      fu::ListFollowUpContactsResponse response;
      if (Call(*stub, &fu::FollowUpService::Stub::ListFollowUpContacts,
               request, &response)
              .ok() &&
          response.follow_up_contacts_size() > 0) {
        return;
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    FAIL() << "follow-up planned no contacts\n" << followup_->ReadLog();
  }

  common::TempDir dir_;
  std::unique_ptr<ServiceProcess> directory_, booking_, followup_, roster_;
  std::unique_ptr<bk::BookingService::Stub> booking_stub_;
  std::unique_ptr<Stub> stub_;
};

TEST_F(RosterIntegrationTest, ABookedIntensiveDayByDay) {
  const bk::Intensive booked = testing::BookTenDayIntensive(
      *booking_stub_, testing::TestCouple("Virtanen"), "roster");
  ASSERT_NO_FATAL_FAILURE(WaitForFollowUp());
  const absl::CivilDay first = Day(booked.start_date());
  const absl::CivilDay last = Day(booked.end_date());
  ASSERT_LE(last - first, 30);

  // Both therapists see every treatment day, with the other as co-therapist
  // on joint sessions, the couple's label and no names.
  int days_seen = 0;
  for (const char* therapist : {"th-1", "th-2"}) {
    const v1::TherapistRoster roster = Roster(therapist, first, last);
    ASSERT_EQ(roster.days_size(), last - first + 1);
    std::set<int> day_numbers;
    for (const v1::TherapistRosterDay& day : roster.days()) {
      for (const v1::RosterItem& item : day.items()) {
        EXPECT_EQ(item.intensive_id(), booked.id());
        EXPECT_EQ(item.day_count(), 10);
        EXPECT_FALSE(item.couple_label().empty());
        EXPECT_EQ(item.couple_label().find("Virtanen"), std::string::npos);
        if (item.kind() == v1::ROSTER_ITEM_KIND_JOINT_SESSION) {
          EXPECT_EQ(item.co_therapist_id(),
                    std::string(therapist) == "th-1" ? "th-2" : "th-1");
          EXPECT_FALSE(item.co_therapist_name().empty());
          EXPECT_FALSE(item.room_name().empty());
        }
        day_numbers.insert(item.day_number());
      }
    }
    EXPECT_EQ(day_numbers.size(), 10u) << therapist;
    ++days_seen;
  }
  EXPECT_EQ(days_seen, 2);

  // The joint room's roster and the clinic day of day one.
  v1::GetRoomRosterRequest room;
  room.set_room_id("rm-1");
  *room.mutable_date_range()->mutable_start_date() = DateProto(first);
  *room.mutable_date_range()->mutable_end_date() = DateProto(first);
  v1::GetRoomRosterResponse room_roster;
  ASSERT_TRUE(Call(*stub_, &Stub::GetRoomRoster, room, &room_roster).ok());
  EXPECT_GT(room_roster.roster().days(0).items_size(), 0);

  v1::GetClinicDayRequest clinic;
  *clinic.mutable_date() = DateProto(first);
  v1::GetClinicDayResponse clinic_day;
  ASSERT_TRUE(Call(*stub_, &Stub::GetClinicDay, clinic, &clinic_day).ok());
  EXPECT_EQ(clinic_day.clinic_day().therapists_size(), 2);
  EXPECT_EQ(clinic_day.clinic_day().rooms_size(), 3);
  EXPECT_GT(clinic_day.clinic_day().therapists(0).items_size(), 0);
  EXPECT_EQ(clinic_day.clinic_day().needs_attention_size(), 0);

  // The feed: one event per session of th-1, local times, neutral words;
  // the follow-up call a week later too when it is in range.
  const nlohmann::json feed = Calendar("th-1", first, last + 30);
  ASSERT_EQ(feed["tzids"].size(), 1u);
  EXPECT_EQ(feed["tzids"][0], "Europe/London");
  int sessions = 0;
  std::map<std::string, int> sequence_of;
  for (const auto& event : feed["events"]) {
    const std::string summary = event["summary"];
    EXPECT_EQ(summary.find("Virtanen"), std::string::npos);
    EXPECT_EQ(event["status"], "CONFIRMED");
    if (absl::StartsWith(summary, "Session")) ++sessions;
    sequence_of[event["uid"]] = event["sequence"];
  }
  EXPECT_GT(sessions, 10);

  // Cancelled: every event stays, cancelled, with a higher SEQUENCE.
  absl::SleepFor(absl::Seconds(1));  // SEQUENCE counts seconds
  bk::CancelIntensiveRequest cancel;
  cancel.set_request_id("cancel-roster");
  cancel.set_id(booked.id());
  cancel.set_reason(bk::CANCEL_REASON_COUPLE_REQUEST);
  bk::CancelIntensiveResponse cancelled;
  ASSERT_TRUE(Call(*booking_stub_, &bk::BookingService::Stub::CancelIntensive,
                   cancel, &cancelled)
                  .ok());
  const nlohmann::json after = Calendar("th-1", first, last + 30);
  int cancelled_sessions = 0;
  for (const auto& event : after["events"]) {
    const std::string uid = event["uid"];
    if (!absl::StartsWith(uid, booked.id())) continue;
    ASSERT_TRUE(sequence_of.count(uid)) << uid;
    EXPECT_EQ(event["status"], "CANCELLED");
    EXPECT_GT(event["sequence"].get<int>(), sequence_of[uid]);
    ++cancelled_sessions;
  }
  EXPECT_EQ(cancelled_sessions, sessions);
  // ...and the rosters are empty again.
  const v1::TherapistRoster emptied = Roster("th-1", first, last);
  for (const auto& day : emptied.days()) {
    for (const auto& item : day.items()) {
      EXPECT_NE(item.intensive_id(), booked.id());
    }
  }
}

TEST_F(RosterIntegrationTest, CallsDueOnTheDayWithTheNumberToRing) {
  const bk::Intensive booked = testing::BookTenDayIntensive(
      *booking_stub_, testing::TestCouple("Laine"), "calls");
  ASSERT_NO_FATAL_FAILURE(WaitForFollowUp());
  // The first follow-up contact is a call a week after the programme.
  auto followup = fu::FollowUpService::NewStub(followup_->channel());
  fu::GetFollowUpContactRequest get;
  get.set_id("fc-1");
  fu::GetFollowUpContactResponse got;
  for (int i = 0; i < 200 && got.follow_up_contact().status() !=
                                 fu::CONTACT_STATUS_SCHEDULED;
       ++i) {
    absl::SleepFor(absl::Milliseconds(50));
    ASSERT_TRUE(Call(*followup, &fu::FollowUpService::Stub::GetFollowUpContact,
                     get, &got)
                    .ok());
  }
  ASSERT_EQ(got.follow_up_contact().status(), fu::CONTACT_STATUS_SCHEDULED);
  const fu::FollowUpContact& call = got.follow_up_contact();
  ASSERT_EQ(call.kind(), fu::CONTACT_KIND_PHONE_CALL);
  absl::TimeZone london;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/London", &london));
  const absl::Time at = common::FromProto(call.scheduled_start_time());
  const absl::CivilDay day = absl::ToCivilDay(at, london);

  // Before that day the roster shows the call but no number.
  v1::TherapistRoster early = Roster(call.therapist_id(), day, day);
  ASSERT_EQ(early.days(0).items_size(), 1);
  EXPECT_EQ(early.days(0).items(0).kind(), v1::ROSTER_ITEM_KIND_FOLLOW_UP_CALL);
  EXPECT_EQ(early.days(0).items(0).follow_up_contact_id(), "fc-1");
  EXPECT_EQ(early.days(0).items(0).intensive_id(), booked.id());
  EXPECT_EQ(early.days(0).calls_due_size(), 0);

  // On the day (the roster's clock moved there), the number to ring.
  ASSERT_TRUE(roster_->Stop().ok());
  const absl::Duration ahead = at - absl::Now();
  std::vector<std::string> args = {
      absl::StrCat("--booking=", booking_->target()),
      absl::StrCat("--directory=", directory_->target()),
      absl::StrCat("--followup=", followup_->target()),
      absl::StrCat("--clock_offset=", absl::ToInt64Seconds(ahead), "s")};
  ASSERT_TRUE(roster_->Restart(args).ok());
  stub_ = Service::NewStub(roster_->channel());
  const v1::TherapistRoster today = Roster(call.therapist_id(), day, day);
  ASSERT_EQ(today.days(0).calls_due_size(), 1);
  const v1::CallDue& due = today.days(0).calls_due(0);
  EXPECT_EQ(due.follow_up_contact_id(), "fc-1");
  EXPECT_EQ(common::FromProto(due.start_time()), at);
  ASSERT_EQ(due.phones_size(), 1);  // only partner A has a phone
  EXPECT_EQ(due.phones(0).phone(), "+358401112223");
  EXPECT_EQ(due.phones(0).label(), "O.L.");
}

TEST_F(RosterIntegrationTest, ASubscriptionIsReadWithItsTokenAlone) {
  const bk::Intensive booked = testing::BookTenDayIntensive(
      *booking_stub_, testing::TestCouple("Virtanen"), "feed");
  // Without a key there are no subscriptions, and the answer says why.
  v1::CreateCalendarFeedRequest create;
  create.set_therapist_id("th-1");
  v1::CreateCalendarFeedResponse created;
  grpc::Status status =
      Call(*stub_, &Stub::CreateCalendarFeed, create, &created);
  EXPECT_EQ(status.error_code(), grpc::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(status.error_message(),
                                "--calendar_feed_key_file"));

  std::ofstream(dir_.File("feed.key"), std::ios::binary)
      << std::string("0123456789abcdef0123456789abcdef");
  ASSERT_TRUE(roster_->Stop().ok());
  const std::vector<std::string> keyed = {
      absl::StrCat("--booking=", booking_->target()),
      absl::StrCat("--directory=", directory_->target()),
      absl::StrCat("--followup=", followup_->target()),
      absl::StrCat("--calendar_feed_key_file=", dir_.File("feed.key"))};
  ASSERT_TRUE(roster_->Restart(keyed).ok());
  const auto as = [&](const std::string& token) {
    return Service::NewStub(testing::SecureChannel(
        roster_->target(), testing::UserCredentials(token)));
  };
  using common::Role;
  auto th1 = as(testing::MintTestToken({Role::kTherapist}, "th-1"));
  // Another therapist's subscription is not theirs to make.
  create.set_therapist_id("th-2");
  status = Call(*th1, &Stub::CreateCalendarFeed, create, &created);
  EXPECT_EQ(status.error_code(), grpc::PERMISSION_DENIED);
  create.set_therapist_id("th-1");
  status = Call(*th1, &Stub::CreateCalendarFeed, create, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(created.path(),
            absl::StrCat("/calendar/", created.feed_token(), ".ics"));
  EXPECT_GT(common::FromProto(created.expire_time()),
            absl::Now() + absl::Hours(24 * 360));

  // A calendar app: TLS, no token, no certificate.
  auto anonymous = Service::NewStub(testing::SecureChannel(
      roster_->target(), testing::AnonymousTlsCredentials()));
  v1::GetCalendarFeedRequest get;
  get.set_feed_token(created.feed_token());
  v1::GetCalendarFeedResponse feed;
  status = Call(*anonymous, &Stub::GetCalendarFeed, get, &feed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(feed.feed().therapist_id(), "th-1");
  EXPECT_EQ(feed.feed().content_type(), "text/calendar; charset=utf-8");
  EXPECT_TRUE(absl::StartsWith(feed.feed().content(), "BEGIN:VCALENDAR"));
  EXPECT_TRUE(absl::StrContains(feed.feed().content(), booked.id()));
  EXPECT_FALSE(absl::StrContains(feed.feed().content(), "Virtanen"));
  // Anonymous is no way into anything else.
  v1::GetTherapistRosterRequest roster;
  roster.set_therapist_id("th-1");
  v1::GetTherapistRosterResponse roster_response;
  EXPECT_EQ(Call(*anonymous, &Stub::GetTherapistRoster, roster,
                 &roster_response)
                .error_code(),
            grpc::UNAUTHENTICATED);

  // The trail says whose calendar a link holder read.
  auto audit = au::AuditService::NewStub(testing::SecureChannel(
      roster_->target(),
      testing::UserCredentials(testing::MintTestToken({Role::kAdmin}))));
  au::ListAuditRecordsRequest audit_request;
  audit_request.set_subject("link-holder");
  au::ListAuditRecordsResponse records;
  ASSERT_TRUE(Call(*audit, &au::AuditService::Stub::ListAuditRecords,
                   audit_request, &records)
                  .ok());
  ASSERT_EQ(records.records_size(), 1) << records.DebugString();
  EXPECT_EQ(records.records(0).action(), "GetCalendarFeed");
  EXPECT_EQ(records.records(0).outcome(), "OK");
  const auto& ids = records.records(0).resource_ids();
  EXPECT_NE(std::find(ids.begin(), ids.end(), "th-1"), ids.end())
      << records.DebugString();

  // A changed token is no feed, and says nothing more.
  std::string forged = created.feed_token();
  forged[forged.size() - 2] = forged[forged.size() - 2] == 'A' ? 'B' : 'A';
  get.set_feed_token(forged);
  status = Call(*anonymous, &Stub::GetCalendarFeed, get, &feed);
  EXPECT_EQ(status.error_code(), grpc::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "no such calendar feed");

  // Made inactive, the therapist's subscription ends.
  auto directory = dir::DirectoryService::NewStub(directory_->channel());
  dir::GetTherapistRequest get_therapist;
  get_therapist.set_id("th-1");
  dir::GetTherapistResponse therapist;
  ASSERT_TRUE(Call(*directory, &dir::DirectoryService::Stub::GetTherapist,
                   get_therapist, &therapist)
                  .ok());
  dir::UpdateTherapistRequest update;
  update.set_request_id("feed-deactivate");
  *update.mutable_therapist() = therapist.therapist();
  update.mutable_therapist()->set_active(false);
  update.mutable_update_mask()->add_paths("active");
  dir::UpdateTherapistResponse updated;
  status = Call(*directory, &dir::DirectoryService::Stub::UpdateTherapist,
                update, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  get.set_feed_token(created.feed_token());
  status = Call(*anonymous, &Stub::GetCalendarFeed, get, &feed);
  EXPECT_EQ(status.error_code(), grpc::NOT_FOUND);
}

TEST_F(RosterIntegrationTest, BadRequestsNameTheField) {
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  v1::GetTherapistRosterRequest request;
  v1::GetTherapistRosterResponse response;
  request.set_therapist_id("th-1");
  grpc::Status status =
      Call(*stub_, &Stub::GetTherapistRoster, request, &response);
  EXPECT_EQ(status.error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(status.error_message(), "date_range"));

  *request.mutable_date_range()->mutable_start_date() = DateProto(today);
  *request.mutable_date_range()->mutable_end_date() = DateProto(today + 31);
  status = Call(*stub_, &Stub::GetTherapistRoster, request, &response);
  EXPECT_EQ(status.error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "date_range: at most 31 days");

  *request.mutable_date_range()->mutable_end_date() = DateProto(today);
  request.set_therapist_id("th-99");
  status = Call(*stub_, &Stub::GetTherapistRoster, request, &response);
  EXPECT_EQ(status.error_code(), grpc::NOT_FOUND);
  EXPECT_TRUE(absl::StartsWith(status.error_message(), "therapist_id"));
}

TEST_F(RosterIntegrationTest, AMissingSourceIsNamed) {
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  // Works with all three up.
  Roster("th-1", today, today);
  ASSERT_TRUE(followup_->Stop().ok());
  v1::GetTherapistRosterRequest request;
  request.set_therapist_id("th-1");
  *request.mutable_date_range()->mutable_start_date() = DateProto(today);
  *request.mutable_date_range()->mutable_end_date() = DateProto(today);
  v1::GetTherapistRosterResponse response;
  const absl::Time start = absl::Now();
  grpc::Status status =
      Call(*stub_, &Stub::GetTherapistRoster, request, &response);
  EXPECT_EQ(status.error_code(), grpc::UNAVAILABLE);
  EXPECT_TRUE(absl::StartsWith(status.error_message(), "follow-up service at "))
      << status.error_message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));  // the deadline, not a hang

  ASSERT_TRUE(booking_->Stop().ok());
  v1::GetClinicDayRequest clinic;
  *clinic.mutable_date() = DateProto(today);
  v1::GetClinicDayResponse day;
  status = Call(*stub_, &Stub::GetClinicDay, clinic, &day);
  EXPECT_EQ(status.error_code(), grpc::UNAVAILABLE);
  EXPECT_TRUE(absl::StartsWith(status.error_message(), "booking service at "))
      << status.error_message();
}

}  // namespace
}  // namespace tandem::roster
