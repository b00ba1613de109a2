// ProposeIntensive end to end inside the process: a small clinic as the
// directory replica would hold it, a couple, the shipped templates.
#include "services/booking/proposal.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "scheduler/programme_template.h"
#include "services/booking/template_convert.h"
#include "services/common/proto_time.h"
#include "services/common/text_proto.h"

namespace tandem::booking {
namespace {

namespace dir = ::tandem::directory::v1;

template <typename T>
T Parse(const std::string& text) {
  return common::ParseTextProto<T>(text);
}

constexpr char kWeekdays[] = R"pb(
  opening_hours {
    weekday: WEEKDAY_MONDAY
    start_time { hours: 8 }
    end_time { hours: 18 }
  }
  opening_hours {
    weekday: WEEKDAY_TUESDAY
    start_time { hours: 8 }
    end_time { hours: 18 }
  }
  opening_hours {
    weekday: WEEKDAY_WEDNESDAY
    start_time { hours: 8 }
    end_time { hours: 18 }
  }
  opening_hours {
    weekday: WEEKDAY_THURSDAY
    start_time { hours: 8 }
    end_time { hours: 18 }
  }
  opening_hours {
    weekday: WEEKDAY_FRIDAY
    start_time { hours: 8 }
    end_time { hours: 18 }
  }
)pb";

class ProposalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    state_.revision = 1;
    state_.clinic_settings = Parse<dir::ClinicSettings>(
        absl::StrCat(R"pb(display_name: "C"
                          time_zone: "Europe/London"
                          booking_grid_minutes: 15)pb",
                     kWeekdays));
    AddTherapist("th-1", dir::SEX_MALE);
    AddTherapist("th-2", dir::SEX_FEMALE);
    AddTherapist("th-3", dir::SEX_MALE);
    AddTherapist("th-4", dir::SEX_FEMALE);
    state_.teams["tm-1"] =
        Parse<dir::Team>(R"pb(id: "tm-1"
                              male_therapist_id: "th-3"
                              female_therapist_id: "th-4")pb");
    AddRoom("rm-1", dir::ROOM_KIND_JOINT);
    AddRoom("rm-2", dir::ROOM_KIND_INDIVIDUAL);
    AddRoom("rm-3", dir::ROOM_KIND_INDIVIDUAL);

    inputs_.directory = &state_;
    inputs_.signer = &signer_;
    inputs_.couple = Parse<v1::Couple>(
        R"pb(id: "cp-1"
             language: "en"
             partner_a { given_name: "A" }
             partner_b { given_name: "B" })pb");
    inputs_.programme =
        ShippedTemplateToProto(scheduler::ShippedTemplates()[0]);
    inputs_.programme.set_id("pt-1");
    // Wednesday 2027-03-03, 10:00 in London.
    inputs_.now = absl::FromCivil(absl::CivilSecond(2027, 3, 3, 10, 0, 0),
                                  absl::UTCTimeZone());
    request_.set_couple_id("cp-1");
    request_.set_template_id("pt-1");
    *request_.mutable_earliest_start() =
        common::DayToProto(absl::CivilDay(2027, 3, 8));
    *request_.mutable_latest_start() =
        common::DayToProto(absl::CivilDay(2027, 3, 19));
  }

  void AddTherapist(const std::string& id, dir::Sex sex) {
    dir::Therapist t = Parse<dir::Therapist>(absl::StrCat(
        R"pb(display_name: "T"
             languages: "en"
             active: true
             daily_session_minutes_cap: 480)pb",
        absl::StrReplaceAll(kWeekdays, {{"opening_hours", "working_hours"}})));
    t.set_id(id);
    t.set_sex(sex);
    state_.therapists[id] = t;
  }
  void AddRoom(const std::string& id, dir::RoomKind kind) {
    dir::Room room;
    room.set_id(id);
    room.set_display_name(id);
    room.set_capacity(4);
    room.add_kinds(kind);
    room.set_active(true);
    state_.rooms[id] = room;
  }

  DirectoryState state_;
  ProposalSigner signer_{std::string(kProposalKeyBytes, 'k')};
  ProposalInputs inputs_;
  v1::ProposeIntensiveRequest request_;
};

TEST_F(ProposalTest, PlansTheWholeProgrammeInClinicTime) {
  auto response = ProposeIntensive(request_, inputs_);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_FALSE(response->plans().empty());
  const v1::Plan& plan = response->plans(0);
  EXPECT_EQ(plan.start_date().day(), 8);  // the first open day in the window
  EXPECT_EQ(plan.sessions_size(), 12);    // day 1: three sessions, then nine
  EXPECT_EQ(plan.expire_time().seconds(),
            absl::ToUnixSeconds(inputs_.now + kProposalLifetime));
  EXPECT_TRUE(
      signer_.Verify("cp-1", inputs_.programme, plan, inputs_.now).ok());
  // Day 1 starts inside opening hours, in London time (UTC+0 in March
  // before the 28th).
  const absl::CivilSecond start = absl::ToCivilSecond(
      common::FromProto(plan.sessions(0).start_time()), absl::UTCTimeZone());
  EXPECT_GE(start.hour(), 8);
  // The parallel individual assessments use two rooms at the same time.
  EXPECT_EQ(plan.sessions(1).start_time().seconds(),
            plan.sessions(2).start_time().seconds());
  EXPECT_NE(plan.sessions(1).room_ids(0), plan.sessions(2).room_ids(0));
  // A plan with the standing pair names the team.
  bool standing_team_named = false;
  for (const v1::Plan& p : response->plans()) {
    if (p.team().male_therapist_id() == "th-3" &&
        p.team().female_therapist_id() == "th-4") {
      standing_team_named = p.team().team_id() == "tm-1";
    }
  }
  EXPECT_TRUE(standing_team_named);
}

TEST_F(ProposalTest, NoTherapistSpeaksTheLanguage) {
  inputs_.couple.set_language("ta");
  auto response = ProposeIntensive(request_, inputs_);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_TRUE(response->plans().empty());
  ASSERT_GT(response->explanation().reasons_size(), 0);
  EXPECT_EQ(response->explanation().reasons(0).code(),
            v1::PROPOSAL_REASON_CODE_NO_LANGUAGE_MATCH);
}

TEST_F(ProposalTest, AnOpenReferralIsNotedButPlansCanStillBeHeld) {
  ASSERT_TRUE(inputs_.programme.referral_clearance_required());
  v1::Referral referral;
  referral.set_id("rf-1");
  referral.set_status(v1::REFERRAL_STATUS_REQUESTED);
  inputs_.referrals.push_back(referral);
  auto response = ProposeIntensive(request_, inputs_);
  ASSERT_TRUE(response.ok());
  EXPECT_FALSE(response->plans().empty());
  ASSERT_GT(response->explanation().reasons_size(), 0);
  EXPECT_EQ(response->explanation().reasons(0).code(),
            v1::PROPOSAL_REASON_CODE_REFERRAL_NOT_SETTLED);
  EXPECT_NE(response->explanation().reasons(0).message().find("rf-1"),
            std::string::npos);
  inputs_.referrals[0].set_status(v1::REFERRAL_STATUS_CLEARED);
  EXPECT_FALSE(ProposeIntensive(request_, inputs_)->has_explanation());
}

TEST_F(ProposalTest, BadDirectoryDataIsTheClinicsToFixNotABadRequest) {
  state_.therapists["th-1"].clear_sex();  // the directory should never allow it
  auto response = ProposeIntensive(request_, inputs_);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kFailedPrecondition)
      << response.status();
}

TEST_F(ProposalTest, BadWindowsNameTheField) {
  *request_.mutable_earliest_start() =
      common::DayToProto(absl::CivilDay(2027, 3, 1));
  auto past = ProposeIntensive(request_, inputs_);
  EXPECT_EQ(past.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(past.status().message().find("earliest_start"), std::string::npos);
  *request_.mutable_earliest_start() =
      common::DayToProto(absl::CivilDay(2027, 3, 20));
  auto backwards = ProposeIntensive(request_, inputs_);
  EXPECT_NE(backwards.status().message().find("latest_start"),
            std::string::npos);
  request_.set_max_plans(21);
  EXPECT_NE(
      ProposeIntensive(request_, inputs_).status().message().find("max_plans"),
      std::string::npos);
}

}  // namespace
}  // namespace tandem::booking
