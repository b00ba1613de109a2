// The demo seeder against the real directory, booking and follow-up
// binaries (port 0, temp databases): what it creates, as a user would look
// at it through the APIs; that it refuses a system that is not empty and
// writes nothing then; that resume replays without duplicates; that the same
// day gives the same demo. Plus the public-holiday rules, which need no
// services.
//
// The booking service refuses plans that start before its own today, so
// these tests seed around the real clinic-local date.
#include "clients/demo/demo_seed.h"

#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "clients/demo/demo_data.h"
#include "services/followup/delivery/message.h"
#include "tandem/booking/v1/booking_service.grpc.pb.h"
#include "tandem/directory/v1/directory_service.grpc.pb.h"
#include "tandem/followup/v1/followup_service.grpc.pb.h"
#include "tests/integration/booking_fixture.h"
#include "tests/integration/health_check.h"
#include "tests/integration/service_process.h"

namespace tandem::demo {
namespace {

namespace bk = ::tandem::booking::v1;
namespace dir = ::tandem::directory::v1;
using ::tandem::testing::Call;
using ::tandem::testing::DateProto;
using ::tandem::testing::ServiceProcess;
using BookingStub = bk::BookingService::Stub;
using DirectoryStub = dir::DirectoryService::Stub;

constexpr char kZone[] = "Europe/London";

absl::CivilDay LondonToday() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(kZone, &zone));
  return absl::ToCivilDay(absl::Now(), zone);
}

// Directory, booking and follow-up, wired to each other, all SERVING.
struct Stack {
  std::unique_ptr<ServiceProcess> directory, booking, followup;

  void Start() {
    auto d = ServiceProcess::Start(TANDEM_DIRECTORY_BINARY, {});
    ASSERT_TRUE(d.ok()) << d.status();
    directory = std::move(*d);
    auto b = ServiceProcess::Start(
        TANDEM_BOOKING_BINARY,
        {absl::StrCat("--directory=", directory->target())});
    ASSERT_TRUE(b.ok()) << b.status();
    booking = std::move(*b);
    ASSERT_TRUE(testing::WaitForBookingHealth(booking->channel(),
                                              testing::kServingReply));
    auto f = ServiceProcess::Start(
        TANDEM_FOLLOWUP_BINARY,
        {absl::StrCat("--booking=", booking->target()),
         absl::StrCat("--directory=", directory->target())});
    ASSERT_TRUE(f.ok()) << f.status();
    followup = std::move(*f);
    const absl::Time give_up = absl::Now() + absl::Seconds(20);
    std::string reply;
    while (!testing::CheckHealth(followup->channel(),
                                 "tandem.followup.v1.FollowUpService", &reply)
                .ok() ||
           reply != testing::kServingReply) {
      ASSERT_LT(absl::Now(), give_up) << "followup never became SERVING";
      absl::SleepFor(absl::Milliseconds(50));
    }
  }

  DemoSeedChannels Channels() const {
    return {directory->channel(), booking->channel(), followup->channel()};
  }
};

class DemoSeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(stack_.Start());
    directory_ = dir::DirectoryService::NewStub(stack_.directory->channel());
    booking_ = bk::BookingService::NewStub(stack_.booking->channel());
  }

  DemoSeedOptions Options() {
    DemoSeedOptions options;
    options.today = today_;
    options.time_zone = kZone;
    options.progress = [this](const std::string& line) {
      std::cerr << "  " << line << "\n";
      progress_.push_back(line);
    };
    return options;
  }

  absl::StatusOr<DemoSeedSummary> Seed(bool resume) {
    const absl::Time start = absl::Now();
    absl::StatusOr<DemoSeedSummary> summary =
        SeedDemo(stack_.Channels(), Options(), resume);
    std::cerr << "seed (resume=" << resume << ") took "
              << absl::FormatDuration(absl::Now() - start) << "\n";
    return summary;
  }

  dir::ListTherapistsResponse Therapists() {
    dir::ListTherapistsRequest request;
    request.set_include_inactive(true);
    dir::ListTherapistsResponse response;
    EXPECT_TRUE(
        Call(*directory_, &DirectoryStub::ListTherapists, request, &response)
            .ok());
    return response;
  }

  std::vector<bk::Couple> Couples() {
    bk::ListCouplesRequest request;
    request.set_include_archived(true);
    bk::ListCouplesResponse response;
    EXPECT_TRUE(
        Call(*booking_, &BookingStub::ListCouples, request, &response).ok());
    return {response.couples().begin(), response.couples().end()};
  }

  std::vector<bk::Intensive> Intensives() {
    bk::ListIntensivesRequest request;
    bk::ListIntensivesResponse response;
    EXPECT_TRUE(
        Call(*booking_, &BookingStub::ListIntensives, request, &response).ok());
    return {response.intensives().begin(), response.intensives().end()};
  }

  int Referrals() {
    bk::ListReferralsRequest request;
    bk::ListReferralsResponse response;
    EXPECT_TRUE(
        Call(*booking_, &BookingStub::ListReferrals, request, &response).ok());
    return response.referrals_size();
  }

  const absl::CivilDay today_ = LondonToday();
  Stack stack_;
  std::unique_ptr<DirectoryStub> directory_;
  std::unique_ptr<BookingStub> booking_;
  std::vector<std::string> progress_;
};

void ExpectNeutral(const std::string& what, const std::string& text) {
  std::optional<std::string> word = followup::delivery::FindForbiddenWord(text);
  EXPECT_FALSE(word.has_value())
      << what << " \"" << text << "\" contains \"" << word.value_or("") << "\"";
}

TEST_F(DemoSeedTest, SeedsAClinicWithRealRosters) {
  absl::StatusOr<DemoSeedSummary> summary = Seed(false);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->therapists, 12);
  EXPECT_EQ(summary->teams, 6);
  EXPECT_EQ(summary->rooms, 8);
  EXPECT_EQ(summary->absences, 3);
  EXPECT_EQ(summary->couples, 6);
  EXPECT_EQ(summary->referrals, 3);
  EXPECT_EQ(summary->open_referrals, 1);
  EXPECT_EQ(summary->intensives, 4);
  EXPECT_EQ(summary->held_intensives, 1);
  EXPECT_EQ(summary->closures,
            PublicHolidays(kZone, today_, today_ + 365).size());
  EXPECT_GE(summary->closures, 8);  // a year of bank holidays
  EXPECT_FALSE(progress_.empty());

  // What the APIs show.
  const dir::ListTherapistsResponse therapists = Therapists();
  ASSERT_EQ(therapists.therapists_size(), 12);
  int male = 0;
  for (const dir::Therapist& t : therapists.therapists()) {
    male += t.sex() == dir::SEX_MALE;
    ExpectNeutral("therapist", t.display_name());
  }
  EXPECT_EQ(male, 6);
  {
    dir::ListTeamsRequest request;
    dir::ListTeamsResponse response;
    ASSERT_TRUE(
        Call(*directory_, &DirectoryStub::ListTeams, request, &response).ok());
    EXPECT_EQ(response.teams_size(), 6);
    for (const dir::Team& t : response.teams())
      ExpectNeutral("team", t.label());
  }
  {
    dir::ListRoomsRequest request;
    dir::ListRoomsResponse response;
    ASSERT_TRUE(
        Call(*directory_, &DirectoryStub::ListRooms, request, &response).ok());
    EXPECT_EQ(response.rooms_size(), 8);
    for (const dir::Room& r : response.rooms())
      ExpectNeutral("room", r.display_name());
  }
  {
    dir::ListClosuresRequest request;
    dir::ListClosuresResponse response;
    ASSERT_TRUE(
        Call(*directory_, &DirectoryStub::ListClosures, request, &response)
            .ok());
    EXPECT_EQ(response.closures_size(), summary->closures);
    for (const dir::Closure& c : response.closures())
      ExpectNeutral("closure", c.label());
  }
  {
    dir::GetClinicSettingsRequest request;
    dir::GetClinicSettingsResponse response;
    ASSERT_TRUE(
        Call(*directory_, &DirectoryStub::GetClinicSettings, request, &response)
            .ok());
    EXPECT_EQ(response.settings().time_zone(), kZone);
    EXPECT_EQ(response.settings().opening_hours_size(), 5);
    ExpectNeutral("clinic", response.settings().display_name());
  }
  const std::vector<bk::Couple> couples = Couples();
  ASSERT_EQ(couples.size(), 6u);
  for (const bk::Couple& c : couples) {
    ExpectNeutral("label", c.display_label());
    for (const bk::Partner* p : {&c.partner_a(), &c.partner_b()}) {
      ExpectNeutral("given name", p->given_name());
      ExpectNeutral("family name", p->family_name());
      if (!p->email().empty()) {
        EXPECT_TRUE(absl::EndsWith(p->email(), "@example.org")) << p->email();
      }
      if (!p->phone().empty()) {
        EXPECT_TRUE(absl::StartsWith(p->phone(), "+447700900")) << p->phone();
      }
    }
  }
  EXPECT_EQ(Referrals(), 3);

  int booked = 0;
  std::string held_id;
  for (const bk::Intensive& in : Intensives()) {
    booked += in.status() == bk::INTENSIVE_STATUS_BOOKED ||
              in.status() == bk::INTENSIVE_STATUS_IN_PROGRESS;
    if (in.status() == bk::INTENSIVE_STATUS_HELD) held_id = in.id();
  }
  EXPECT_EQ(booked, 4);
  ASSERT_FALSE(held_id.empty());

  // The hold waits for its open referral: confirming it is refused.
  {
    bk::ConfirmIntensiveRequest request;
    request.set_request_id("test-confirm-held");
    request.set_id(held_id);
    bk::ConfirmIntensiveResponse response;
    const grpc::Status s =
        Call(*booking_, &BookingStub::ConfirmIntensive, request, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
        << s.error_message();
  }

  // The earliest booking starts as soon as the clinic can: within the next
  // open days, and the sample therapist has sessions that day.
  EXPECT_GE(summary->sample_day, today_);
  EXPECT_LE(summary->sample_day, today_ + 10);
  ASSERT_FALSE(summary->sample_therapist_id.empty());
  {
    bk::ListSessionsRequest request;
    request.set_therapist_id(summary->sample_therapist_id);
    *request.mutable_date_range()->mutable_start_date() =
        DateProto(summary->sample_day);
    *request.mutable_date_range()->mutable_end_date() =
        DateProto(summary->sample_day);
    bk::ListSessionsResponse response;
    ASSERT_TRUE(
        Call(*booking_, &BookingStub::ListSessions, request, &response).ok());
    EXPECT_GE(response.sessions_size(), 1);
  }

  // Follow-up planned the confirmed intensives on its own.
  EXPECT_EQ(summary->follow_up_plans, 4);
  EXPECT_GT(summary->follow_up_contacts, 0);
}

TEST_F(DemoSeedTest, RefusesASecondSeedAndResumesWithoutDuplicates) {
  absl::StatusOr<DemoSeedSummary> first = Seed(false);
  ASSERT_TRUE(first.ok()) << first.status();
  const int64_t directory_revision = Therapists().revision();
  const size_t intensives = Intensives().size();
  ASSERT_EQ(intensives, 5u);

  absl::StatusOr<DemoSeedSummary> again = Seed(false);
  ASSERT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition)
      << again.status();
  EXPECT_TRUE(absl::StrContains(again.status().message(), "not empty"))
      << again.status();
  EXPECT_EQ(Therapists().revision(), directory_revision);
  EXPECT_EQ(Couples().size(), 6u);
  EXPECT_EQ(Intensives().size(), intensives);

  absl::StatusOr<DemoSeedSummary> resumed = Seed(true);
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  // Replayed requests change nothing: not a single directory revision.
  EXPECT_EQ(Therapists().revision(), directory_revision);
  EXPECT_EQ(Therapists().therapists_size(), 12);
  EXPECT_EQ(Couples().size(), 6u);
  EXPECT_EQ(Referrals(), 3);
  EXPECT_EQ(Intensives().size(), intensives);
  EXPECT_EQ(resumed->closures, first->closures);
  EXPECT_EQ(resumed->intensives, first->intensives);
  EXPECT_EQ(resumed->held_intensives, first->held_intensives);
  EXPECT_EQ(resumed->sample_therapist_id, first->sample_therapist_id);
  EXPECT_EQ(resumed->sample_day, first->sample_day);
}

// Everything about a booking that the demo decides, as one line each.
std::string Bookings(BookingStub& stub) {
  bk::ListIntensivesRequest request;
  bk::ListIntensivesResponse response;
  EXPECT_TRUE(
      Call(stub, &BookingStub::ListIntensives, request, &response).ok());
  std::vector<std::string> lines;
  for (const bk::Intensive& in : response.intensives()) {
    std::string line = absl::StrCat(in.couple_id(), " ", in.template_id(), " ",
                                    bk::IntensiveStatus_Name(in.status()), " ",
                                    in.team().ShortDebugString());
    for (const bk::Session& s : in.sessions()) {
      absl::StrAppend(&line, " [", s.start_time().seconds(), "-",
                      s.end_time().seconds(), " ",
                      absl::StrJoin(s.room_ids(), ","), " ",
                      absl::StrJoin(s.therapist_ids(), ","), "]");
    }
    lines.push_back(line);
  }
  return absl::StrJoin(lines, "\n");
}

TEST_F(DemoSeedTest, SameDaySameDemo) {
  ASSERT_TRUE(Seed(false).ok());
  Stack other;
  ASSERT_NO_FATAL_FAILURE(other.Start());
  absl::StatusOr<DemoSeedSummary> summary =
      SeedDemo(other.Channels(), Options(), false);
  ASSERT_TRUE(summary.ok()) << summary.status();
  auto other_booking = bk::BookingService::NewStub(other.booking->channel());
  const std::string here = Bookings(*booking_);
  EXPECT_FALSE(here.empty());
  EXPECT_EQ(here, Bookings(*other_booking));
}

TEST(PublicHolidaysTest, EnglandAndWalesAsGovUkPublishesThem) {
  std::vector<std::string> days;
  for (const Holiday& h : PublicHolidays(kZone, absl::CivilDay(2026, 1, 1),
                                         absl::CivilDay(2027, 12, 31))) {
    days.push_back(absl::StrCat(absl::FormatCivilTime(h.day), " ", h.label));
  }
  EXPECT_EQ(absl::StrJoin(days, "\n"),
            "2026-01-01 New Year's Day\n"
            "2026-04-03 Good Friday\n"
            "2026-04-06 Easter Monday\n"
            "2026-05-04 Early May bank holiday\n"
            "2026-05-25 Spring bank holiday\n"
            "2026-08-31 Summer bank holiday\n"
            "2026-12-25 Christmas Day\n"
            "2026-12-28 Boxing Day (substitute day)\n"
            "2027-01-01 New Year's Day\n"
            "2027-03-26 Good Friday\n"
            "2027-03-29 Easter Monday\n"
            "2027-05-03 Early May bank holiday\n"
            "2027-05-31 Spring bank holiday\n"
            "2027-08-30 Summer bank holiday\n"
            "2027-12-27 Christmas Day (substitute day)\n"
            "2027-12-28 Boxing Day (substitute day)");
  // 2022: Boxing Day on its Monday, Christmas moves past it.
  std::vector<Holiday> christmas_2022 = PublicHolidays(
      kZone, absl::CivilDay(2022, 12, 24), absl::CivilDay(2022, 12, 31));
  ASSERT_EQ(christmas_2022.size(), 2u);
  EXPECT_EQ(christmas_2022[0].day, absl::CivilDay(2022, 12, 26));
  EXPECT_EQ(christmas_2022[1].day, absl::CivilDay(2022, 12, 27));
  EXPECT_EQ(christmas_2022[1].label, "Christmas Day (substitute day)");
}

}  // namespace
}  // namespace tandem::demo
