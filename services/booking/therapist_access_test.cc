// Object-level access (therapist_access.h) and the per-caller hold limit,
// through BookingHandler on a real SQLite file: a clinic with two standing
// teams, couples held with one team or the other, and callers who are
// therapists of either team or coordinators.
#include "services/booking/therapist_access.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "services/booking/booking_handler.h"
#include "services/booking/sqlite_booking_store.h"
#include "services/common/proto_time.h"
#include "services/common/test_db.h"
#include "services/common/text_proto.h"

namespace tandem::booking {
namespace {

namespace dir = ::tandem::directory::v1;
using ::tandem::common::Caller;
using ::tandem::common::Role;

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

constexpr char kCouple[] = R"pb(
  partner_a {
    given_name: "Aino"
    family_name: "Korhonen"
    phone: "+358401234567"
    preferred_channel: CONTACT_CHANNEL_SMS
    sms_consent: true
  }
  partner_b {
    given_name: "Bela"
    family_name: "Lakatos"
    preferred_channel: CONTACT_CHANNEL_NONE
  }
  language: "en")pb";

// Team 1 is th-1 (male) and th-2; team 2 is th-3 (male) and th-4.
constexpr int kTeamA = 1;
constexpr int kTeamB = 2;

class TherapistAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto state = std::make_shared<DirectoryState>();
    state->revision = 1;
    state->clinic_settings = Parse<dir::ClinicSettings>(
        absl::StrCat(R"pb(display_name: "C"
                          time_zone: "Europe/London"
                          booking_grid_minutes: 15)pb",
                     kWeekdays));
    for (const auto& [id, sex] : std::vector<std::pair<std::string, dir::Sex>>{
             {"th-1", dir::SEX_MALE},
             {"th-2", dir::SEX_FEMALE},
             {"th-3", dir::SEX_MALE},
             {"th-4", dir::SEX_FEMALE}}) {
      dir::Therapist t = Parse<dir::Therapist>(absl::StrCat(
          R"pb(display_name: "T"
               languages: "en"
               active: true
               daily_session_minutes_cap: 480)pb",
          absl::StrReplaceAll(kWeekdays,
                              {{"opening_hours", "working_hours"}})));
      t.set_id(id);
      t.set_sex(sex);
      state->therapists[id] = t;
    }
    state->teams["tm-1"] =
        Parse<dir::Team>(R"pb(id: "tm-1"
                              male_therapist_id: "th-1"
                              female_therapist_id: "th-2")pb");
    state->teams["tm-2"] =
        Parse<dir::Team>(R"pb(id: "tm-2"
                              male_therapist_id: "th-3"
                              female_therapist_id: "th-4")pb");
    for (const auto& [id, kind] :
         std::vector<std::pair<std::string, dir::RoomKind>>{
             {"rm-1", dir::ROOM_KIND_JOINT},
             {"rm-2", dir::ROOM_KIND_INDIVIDUAL},
             {"rm-3", dir::ROOM_KIND_INDIVIDUAL},
             {"rm-4", dir::ROOM_KIND_JOINT}}) {
      dir::Room room;
      room.set_id(id);
      room.set_display_name(id);
      room.set_capacity(4);
      room.add_kinds(kind);
      room.set_active(true);
      state->rooms[id] = room;
    }
    directory_ = std::move(state);
    Open();
  }

  void Open() {
    handler_.reset();
    auto store = OpenBookingStore({dir_.File("booking.db")}, now_);
    ASSERT_TRUE(store.ok()) << store.status();
    handler_ = std::make_unique<BookingHandler>(
        std::move(*store), [this] { return now_; },
        [this] { return directory_; }, options_);
  }

  // A couple that only the given team can treat (the other team's
  // therapists are excluded), or any team with kTeamA + kTeamB.
  std::string NewCouple(int team) {
    v1::CreateCoupleRequest request;
    request.set_request_id(absl::StrCat("couple-", ++counter_));
    *request.mutable_couple() = Parse<v1::Couple>(kCouple);
    if (team == kTeamA) {
      request.mutable_couple()->add_excluded_therapist_ids("th-3");
      request.mutable_couple()->add_excluded_therapist_ids("th-4");
    } else if (team == kTeamB) {
      request.mutable_couple()->add_excluded_therapist_ids("th-1");
      request.mutable_couple()->add_excluded_therapist_ids("th-2");
    }
    v1::CreateCoupleResponse response;
    absl::Status status =
        handler_->CreateCouple(coordinator_, request, &response);
    EXPECT_TRUE(status.ok()) << status;
    return response.couple().id();
  }

  absl::StatusOr<v1::Plan> Propose(const std::string& couple_id) {
    v1::ProposeIntensiveRequest request;
    request.set_couple_id(couple_id);
    request.set_template_id("pt-1");  // the ten-day intensive
    const absl::CivilDay today = absl::ToCivilDay(now_, absl::UTCTimeZone());
    *request.mutable_earliest_start() = common::DayToProto(today + 5);
    // Late enough for a few holds per team, early enough that every
    // session falls inside SessionsOverTheWindow().
    *request.mutable_latest_start() = common::DayToProto(today + 9);
    request.set_max_plans(1);
    v1::ProposeIntensiveResponse response;
    absl::Status status =
        handler_->ProposeIntensive(coordinator_, request, &response);
    if (!status.ok()) return status;
    if (response.plans().empty()) return absl::NotFoundError("no plan");
    return response.plans(0);
  }

  absl::StatusOr<v1::Intensive> Hold(const std::string& couple_id,
                                     const std::string& request_id,
                                     const Caller& caller) {
    absl::StatusOr<v1::Plan> plan = Propose(couple_id);
    if (!plan.ok()) return plan.status();
    return HoldPlan(couple_id, *plan, request_id, caller);
  }
  absl::StatusOr<v1::Intensive> HoldPlan(const std::string& couple_id,
                                         const v1::Plan& plan,
                                         const std::string& request_id,
                                         const Caller& caller) {
    v1::HoldIntensiveRequest request;
    request.set_request_id(request_id);
    request.set_couple_id(couple_id);
    *request.mutable_plan() = plan;
    v1::HoldIntensiveResponse response;
    absl::Status status = handler_->HoldIntensive(caller, request, &response);
    if (!status.ok()) return status;
    return response.intensive();
  }
  // A coordinator's hold; fails the test unless it works.
  std::string HeldIntensive(const std::string& couple_id) {
    absl::StatusOr<v1::Intensive> held =
        Hold(couple_id, absl::StrCat("hold-", ++counter_), coordinator_);
    EXPECT_TRUE(held.ok()) << held.status();
    return held.ok() ? held->id() : "";
  }

  absl::Status Cancel(const std::string& intensive_id) {
    v1::CancelIntensiveRequest request;
    request.set_request_id(absl::StrCat("cancel-", ++counter_));
    request.set_id(intensive_id);
    request.set_reason(v1::CANCEL_REASON_CLINIC_REQUEST);
    v1::CancelIntensiveResponse response;
    return handler_->CancelIntensive(coordinator_, request, &response);
  }

  std::string NewReferral(const std::string& couple_id) {
    v1::CreateReferralRequest request;
    request.set_request_id(absl::StrCat("referral-", ++counter_));
    *request.mutable_referral() = Parse<v1::Referral>(
        R"pb(partner: PARTNER_ROLE_A
             specialty: REFERRAL_SPECIALTY_UROLOGY
             status: REFERRAL_STATUS_CLEARED)pb");
    request.mutable_referral()->set_couple_id(couple_id);
    v1::CreateReferralResponse response;
    absl::Status status =
        handler_->CreateReferral(coordinator_, request, &response);
    EXPECT_TRUE(status.ok()) << status;
    return response.referral().id();
  }

  // A phone call of `therapist_id` with the couple, `hour` o'clock (UTC,
  // which is London time in March) on `day`.
  std::string NewCall(const std::string& couple_id,
                      const std::string& therapist_id, absl::CivilDay day,
                      int hour) {
    v1::CreateAppointmentRequest request;
    request.set_request_id(absl::StrCat("call-", ++counter_));
    v1::Appointment& a = *request.mutable_appointment();
    a.set_kind(v1::APPOINTMENT_KIND_PHONE_CALL);
    a.set_therapist_id(therapist_id);
    a.set_couple_id(couple_id);
    const absl::Time start = absl::FromCivil(
        absl::CivilHour(day.year(), day.month(), day.day(), hour),
        absl::UTCTimeZone());
    *a.mutable_start_time() = common::ToProto(start);
    *a.mutable_end_time() = common::ToProto(start + absl::Minutes(30));
    v1::CreateAppointmentResponse response;
    absl::Status status =
        handler_->CreateAppointment(coordinator_, request, &response);
    EXPECT_TRUE(status.ok()) << status;
    return response.appointment().id();
  }

  // Every page of a List, `page_size` at a time; fails the test unless
  // every page but the last is full.
  template <typename Request, typename Response, typename Rpc, typename Items>
  std::vector<std::string> AllPages(const Caller& caller, Request request,
                                    int page_size, Rpc rpc, Items items) {
    std::vector<std::string> ids;
    request.set_page_size(page_size);
    for (int page = 0; page < 100; ++page) {
      Response response;
      absl::Status status = (handler_.get()->*rpc)(caller, request, &response);
      EXPECT_TRUE(status.ok()) << status;
      if (!status.ok()) break;
      const auto& listed = items(response);
      for (const auto& item : listed) ids.push_back(item.id());
      if (response.next_page_token().empty()) break;
      EXPECT_EQ(static_cast<int>(listed.size()), page_size)
          << "page " << page << " not full";
      request.set_page_token(response.next_page_token());
    }
    return ids;
  }

  v1::ListSessionsRequest SessionsOverTheWindow() {
    v1::ListSessionsRequest request;
    const absl::CivilDay today = absl::ToCivilDay(now_, absl::UTCTimeZone());
    *request.mutable_date_range()->mutable_start_date() =
        common::DayToProto(today);
    *request.mutable_date_range()->mutable_end_date() =
        common::DayToProto(today + 30);
    return request;
  }

  common::TempDir dir_;
  // Wednesday 2027-03-03, 10:00 in London.
  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2027, 3, 3, 10, 0, 0),
                                    absl::UTCTimeZone());
  std::shared_ptr<const DirectoryState> directory_;
  BookingOptions options_;
  std::unique_ptr<BookingHandler> handler_;
  int counter_ = 0;

  const Caller coordinator_{"coordinator-1", {Role::kCoordinator}, ""};
  const Caller therapist_a_{"user-th-1", {Role::kTherapist}, "th-1"};
  const Caller therapist_b_{"user-th-3", {Role::kTherapist}, "th-3"};
};

absl::Status GetCouple(BookingHandler& handler, const Caller& caller,
                       const std::string& id) {
  v1::GetCoupleRequest request;
  request.set_id(id);
  v1::GetCoupleResponse response;
  absl::Status status = handler.GetCouple(caller, request, &response);
  if (!status.ok()) {
    EXPECT_FALSE(response.has_couple());
  }
  return status;
}

absl::Status GetIntensive(BookingHandler& handler, const Caller& caller,
                          const std::string& id) {
  v1::GetIntensiveRequest request;
  request.set_id(id);
  v1::GetIntensiveResponse response;
  absl::Status status = handler.GetIntensive(caller, request, &response);
  if (!status.ok()) {
    EXPECT_FALSE(response.has_intensive());
  }
  return status;
}

absl::Status GetReferral(BookingHandler& handler, const Caller& caller,
                         const std::string& id) {
  v1::GetReferralRequest request;
  request.set_id(id);
  v1::GetReferralResponse response;
  absl::Status status = handler.GetReferral(caller, request, &response);
  if (!status.ok()) {
    EXPECT_FALSE(response.has_referral());
  }
  return status;
}

absl::Status GetAppointment(BookingHandler& handler, const Caller& caller,
                            const std::string& id) {
  v1::GetAppointmentRequest request;
  request.set_id(id);
  v1::GetAppointmentResponse response;
  absl::Status status = handler.GetAppointment(caller, request, &response);
  if (!status.ok()) {
    EXPECT_FALSE(response.has_appointment());
  }
  return status;
}

absl::Status Denied(absl::string_view message) {
  return absl::PermissionDeniedError(message);
}

std::vector<std::string> Ids(const std::vector<std::string>& ids) {
  return ids;
}

TEST_F(TherapistAccessTest, TherapistGetsOwnRecordsAndCannotProbeOthers) {
  const std::string couple_a = NewCouple(kTeamA);
  const std::string couple_b = NewCouple(kTeamB);
  const std::string intensive_a = HeldIntensive(couple_a);
  const std::string intensive_b = HeldIntensive(couple_b);
  const std::string referral_a = NewReferral(couple_a);
  const std::string referral_b = NewReferral(couple_b);
  BookingHandler& h = *handler_;

  EXPECT_TRUE(GetCouple(h, therapist_a_, couple_a).ok());
  EXPECT_TRUE(GetIntensive(h, therapist_a_, intensive_a).ok());
  EXPECT_TRUE(GetReferral(h, therapist_a_, referral_a).ok());
  // The team's other therapist sees the same.
  const Caller female_a{"user-th-2", {Role::kTherapist}, "th-2"};
  EXPECT_TRUE(GetCouple(h, female_a, couple_a).ok());
  EXPECT_TRUE(GetIntensive(h, female_a, intensive_a).ok());

  // Someone else's and nobody's read the same: no data, no names, no hint
  // of whether the id exists.
  const absl::Status not_couple = Denied("id: not a couple of your intensives");
  EXPECT_EQ(GetCouple(h, therapist_a_, couple_b), not_couple);
  EXPECT_EQ(GetCouple(h, therapist_a_, "cp-999"), not_couple);
  const absl::Status not_intensive = Denied("id: not one of your intensives");
  EXPECT_EQ(GetIntensive(h, therapist_a_, intensive_b), not_intensive);
  EXPECT_EQ(GetIntensive(h, therapist_a_, "in-999"), not_intensive);
  const absl::Status not_referral =
      Denied("id: not a referral of your couples");
  EXPECT_EQ(GetReferral(h, therapist_a_, referral_b), not_referral);
  EXPECT_EQ(GetReferral(h, therapist_a_, "rf-999"), not_referral);
  EXPECT_TRUE(GetCouple(h, therapist_b_, couple_b).ok());
  EXPECT_EQ(GetCouple(h, therapist_b_, couple_a).code(),
            absl::StatusCode::kPermissionDenied);

  // Coordinators (also a therapist who coordinates) see everything, and a
  // missing id is NOT_FOUND for them.
  const Caller therapist_coordinator{
      "user-th-3", {Role::kTherapist, Role::kCoordinator}, "th-3"};
  for (const Caller* caller : {&coordinator_, &therapist_coordinator}) {
    EXPECT_TRUE(GetCouple(h, *caller, couple_a).ok());
    EXPECT_TRUE(GetCouple(h, *caller, couple_b).ok());
    EXPECT_TRUE(GetIntensive(h, *caller, intensive_a).ok());
    EXPECT_TRUE(GetReferral(h, *caller, referral_a).ok());
    EXPECT_EQ(GetCouple(h, *caller, "cp-999").code(),
              absl::StatusCode::kNotFound);
  }
}

TEST_F(TherapistAccessTest, ListsShowATherapistOnlyTheirOwn) {
  const std::string couple_a = NewCouple(kTeamA);
  const std::string couple_b = NewCouple(kTeamB);
  const std::string unbooked = NewCouple(kTeamA);
  const std::string intensive_a = HeldIntensive(couple_a);
  const std::string intensive_b = HeldIntensive(couple_b);
  const std::string referral_a = NewReferral(couple_a);
  NewReferral(couple_b);
  NewReferral(unbooked);
  auto couples = [](const v1::ListCouplesResponse& r) -> const auto& {
    return r.couples();
  };
  auto intensives = [](const v1::ListIntensivesResponse& r) -> const auto& {
    return r.intensives();
  };
  auto referrals = [](const v1::ListReferralsResponse& r) -> const auto& {
    return r.referrals();
  };
  using H = BookingHandler;
  using CouplesRq = v1::ListCouplesRequest;
  using IntensivesRq = v1::ListIntensivesRequest;
  using ReferralsRq = v1::ListReferralsRequest;

  EXPECT_EQ((AllPages<CouplesRq, v1::ListCouplesResponse>(
                therapist_a_, {}, 100, &H::ListCouples, couples)),
            Ids({couple_a}));
  EXPECT_EQ((AllPages<IntensivesRq, v1::ListIntensivesResponse>(
                therapist_a_, {}, 100, &H::ListIntensives, intensives)),
            Ids({intensive_a}));
  EXPECT_EQ((AllPages<ReferralsRq, v1::ListReferralsResponse>(
                therapist_a_, {}, 100, &H::ListReferrals, referrals)),
            Ids({referral_a}));
  // Naming someone else's couple filters to nothing; it is not an error.
  IntensivesRq of_b;
  of_b.set_couple_id(couple_b);
  EXPECT_TRUE((AllPages<IntensivesRq, v1::ListIntensivesResponse>(
                   therapist_a_, of_b, 100, &H::ListIntensives, intensives))
                  .empty());
  ReferralsRq referrals_of_b;
  referrals_of_b.set_couple_id(couple_b);
  EXPECT_TRUE(
      (AllPages<ReferralsRq, v1::ListReferralsResponse>(
           therapist_a_, referrals_of_b, 100, &H::ListReferrals, referrals))
          .empty());
  EXPECT_EQ((AllPages<CouplesRq, v1::ListCouplesResponse>(
                therapist_b_, {}, 100, &H::ListCouples, couples)),
            Ids({couple_b}));

  // The coordinator's lists are whole.
  EXPECT_EQ((AllPages<CouplesRq, v1::ListCouplesResponse>(
                 coordinator_, {}, 100, &H::ListCouples, couples))
                .size(),
            3u);
  EXPECT_EQ((AllPages<IntensivesRq, v1::ListIntensivesResponse>(
                 coordinator_, {}, 100, &H::ListIntensives, intensives))
                .size(),
            2u);
  EXPECT_EQ((AllPages<ReferralsRq, v1::ListReferralsResponse>(
                 coordinator_, {}, 100, &H::ListReferrals, referrals))
                .size(),
            3u);
}

TEST_F(TherapistAccessTest, SessionsAreThoseOfTheTherapistsIntensives) {
  const std::string couple_a = NewCouple(kTeamA);
  const std::string couple_b = NewCouple(kTeamB);
  const std::string intensive_a = HeldIntensive(couple_a);
  HeldIntensive(couple_b);

  auto list = [&](const Caller& caller, const v1::ListSessionsRequest& request,
                  v1::ListSessionsResponse* response) {
    return handler_->ListSessions(caller, request, response);
  };
  // No filter: every session of their intensive (the co-therapist's
  // parallel assessment too), none of the other team's.
  v1::ListSessionsResponse mine;
  ASSERT_TRUE(list(therapist_a_, SessionsOverTheWindow(), &mine).ok());
  ASSERT_EQ(mine.sessions_size(), 12);
  for (const v1::Session& s : mine.sessions()) {
    EXPECT_EQ(s.intensive_id(), intensive_a);
  }
  v1::ListSessionsResponse all;
  ASSERT_TRUE(list(coordinator_, SessionsOverTheWindow(), &all).ok());
  EXPECT_EQ(all.sessions_size(), 24);

  // Their own therapist id is fine; another therapist's is refused.
  v1::ListSessionsRequest own = SessionsOverTheWindow();
  own.set_therapist_id("th-1");
  v1::ListSessionsResponse own_sessions;
  ASSERT_TRUE(list(therapist_a_, own, &own_sessions).ok());
  EXPECT_EQ(own_sessions.sessions_size(), 11);  // not th-2's parallel one
  v1::ListSessionsRequest other = SessionsOverTheWindow();
  other.set_therapist_id("th-3");
  v1::ListSessionsResponse refused;
  EXPECT_EQ(list(therapist_a_, other, &refused),
            Denied("therapist_id: not you; a therapist lists only their own "
                   "sessions"));
  EXPECT_EQ(refused.sessions_size(), 0);
  v1::ListSessionsResponse coordinator_view;
  ASSERT_TRUE(list(coordinator_, other, &coordinator_view).ok());
  EXPECT_EQ(coordinator_view.sessions_size(), 11);

  // Another couple's or a room's sessions are filtered to theirs.
  v1::ListSessionsRequest of_b = SessionsOverTheWindow();
  of_b.set_couple_id(couple_b);
  v1::ListSessionsResponse none;
  ASSERT_TRUE(list(therapist_a_, of_b, &none).ok());
  EXPECT_EQ(none.sessions_size(), 0);
  for (const char* room : {"rm-1", "rm-4"}) {
    v1::ListSessionsRequest in_room = SessionsOverTheWindow();
    in_room.set_room_id(room);
    v1::ListSessionsResponse room_sessions;
    ASSERT_TRUE(list(therapist_a_, in_room, &room_sessions).ok());
    for (const v1::Session& s : room_sessions.sessions()) {
      EXPECT_EQ(s.intensive_id(), intensive_a);
    }
  }
}

TEST_F(TherapistAccessTest, PagesStayFullWhenOthersRowsAreFilteredOut) {
  // Couples, intensives and referrals of both teams interleaved, with
  // unbooked couples between them.
  std::vector<std::string> couples_a, intensives_a, referrals_a;
  for (int i = 0; i < 3; ++i) {
    couples_a.push_back(NewCouple(kTeamA));
    intensives_a.push_back(HeldIntensive(couples_a.back()));
    referrals_a.push_back(NewReferral(couples_a.back()));
    const std::string couple_b = NewCouple(kTeamB);
    HeldIntensive(couple_b);
    NewReferral(couple_b);
    NewReferral(NewCouple(kTeamA + kTeamB));
  }
  using H = BookingHandler;
  const std::vector<std::string> couples =
      AllPages<v1::ListCouplesRequest, v1::ListCouplesResponse>(
          therapist_a_, {}, 2, &H::ListCouples,
          [](const v1::ListCouplesResponse& r) -> const auto& {
            return r.couples();
          });
  EXPECT_EQ(couples, couples_a);
  const std::vector<std::string> referrals =
      AllPages<v1::ListReferralsRequest, v1::ListReferralsResponse>(
          therapist_a_, {}, 2, &H::ListReferrals,
          [](const v1::ListReferralsResponse& r) -> const auto& {
            return r.referrals();
          });
  EXPECT_EQ(referrals, referrals_a);
  std::vector<std::string> intensives =
      AllPages<v1::ListIntensivesRequest, v1::ListIntensivesResponse>(
          therapist_a_, {}, 2, &H::ListIntensives,
          [](const v1::ListIntensivesResponse& r) -> const auto& {
            return r.intensives();
          });
  EXPECT_EQ(std::set<std::string>(intensives.begin(), intensives.end()),
            std::set<std::string>(intensives_a.begin(), intensives_a.end()));
  EXPECT_EQ(intensives.size(), 3u);

  // Sessions: theirs are interleaved in time with team B's.
  const std::vector<std::string> sessions =
      AllPages<v1::ListSessionsRequest, v1::ListSessionsResponse>(
          therapist_a_, SessionsOverTheWindow(), 5, &H::ListSessions,
          [](const v1::ListSessionsResponse& r) -> const auto& {
            return r.sessions();
          });
  EXPECT_EQ(sessions.size(), 36u);
  EXPECT_EQ(std::set<std::string>(sessions.begin(), sessions.end()).size(),
            36u);
  std::set<std::string> theirs;
  for (const std::string& id : intensives_a) {
    v1::GetIntensiveRequest request;
    request.set_id(id);
    v1::GetIntensiveResponse response;
    ASSERT_TRUE(handler_->GetIntensive(therapist_a_, request, &response).ok());
    for (const v1::Session& s : response.intensive().sessions()) {
      theirs.insert(s.id());
    }
  }
  EXPECT_EQ(std::set<std::string>(sessions.begin(), sessions.end()), theirs);
}

TEST_F(TherapistAccessTest, CancelledIntensivesAndLapsedHoldsAreNotTheirs) {
  const std::string cancelled_couple = NewCouple(kTeamA);
  const std::string cancelled = HeldIntensive(cancelled_couple);
  const std::string lapsed_couple = NewCouple(kTeamA);
  const std::string lapsed = HeldIntensive(lapsed_couple);
  const std::string booked_couple = NewCouple(kTeamA);
  const std::string booked = HeldIntensive(booked_couple);
  v1::ConfirmIntensiveRequest confirm;
  confirm.set_request_id("confirm-1");
  confirm.set_id(booked);
  v1::ConfirmIntensiveResponse confirmed;
  ASSERT_TRUE(
      handler_->ConfirmIntensive(coordinator_, confirm, &confirmed).ok());
  BookingHandler& h = *handler_;
  EXPECT_TRUE(GetIntensive(h, therapist_a_, cancelled).ok());
  EXPECT_TRUE(GetCouple(h, therapist_a_, cancelled_couple).ok());

  ASSERT_TRUE(Cancel(cancelled).ok());
  EXPECT_EQ(GetIntensive(h, therapist_a_, cancelled).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(GetCouple(h, therapist_a_, cancelled_couple).code(),
            absl::StatusCode::kPermissionDenied);

  // The hold lapses (the sweep has not run yet): no longer theirs either.
  EXPECT_TRUE(GetIntensive(h, therapist_a_, lapsed).ok());
  now_ += absl::Minutes(31);
  EXPECT_EQ(GetIntensive(h, therapist_a_, lapsed).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(GetCouple(h, therapist_a_, lapsed_couple).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(GetIntensive(h, therapist_a_, booked).ok());

  v1::ListIntensivesResponse listed;
  ASSERT_TRUE(h.ListIntensives(therapist_a_, {}, &listed).ok());
  ASSERT_EQ(listed.intensives_size(), 1);
  EXPECT_EQ(listed.intensives(0).id(), booked);
  v1::ListCouplesResponse couples;
  ASSERT_TRUE(h.ListCouples(therapist_a_, {}, &couples).ok());
  ASSERT_EQ(couples.couples_size(), 1);
  EXPECT_EQ(couples.couples(0).id(), booked_couple);
  // The coordinator still reads all three.
  EXPECT_TRUE(GetIntensive(h, coordinator_, cancelled).ok());
  EXPECT_TRUE(GetIntensive(h, coordinator_, lapsed).ok());
}

TEST_F(TherapistAccessTest, AppointmentsAreThoseTheTherapistTakes) {
  const std::string couple_a = NewCouple(kTeamA);
  const std::string couple_b = NewCouple(kTeamB);
  const absl::CivilDay thursday(2027, 3, 4);
  std::vector<std::string> calls_a;
  std::string call_b;
  for (int hour = 9; hour < 12; ++hour) {  // interleaved in time
    calls_a.push_back(NewCall(couple_a, "th-1", thursday, hour));
    call_b = NewCall(couple_b, "th-3", thursday + 1, hour);
    NewCall(couple_b, "th-3", thursday, hour);
  }
  BookingHandler& h = *handler_;
  EXPECT_TRUE(GetAppointment(h, therapist_a_, calls_a[0]).ok());
  const absl::Status not_theirs = Denied("id: not one of your appointments");
  EXPECT_EQ(GetAppointment(h, therapist_a_, call_b), not_theirs);
  EXPECT_EQ(GetAppointment(h, therapist_a_, "ap-999"), not_theirs);
  EXPECT_TRUE(GetAppointment(h, coordinator_, call_b).ok());

  auto appointments = [](const v1::ListAppointmentsResponse& r) -> const auto& {
    return r.appointments();
  };
  using Rq = v1::ListAppointmentsRequest;
  using Rs = v1::ListAppointmentsResponse;
  EXPECT_EQ((AllPages<Rq, Rs>(therapist_a_, {}, 2,
                              &BookingHandler::ListAppointments, appointments)),
            calls_a);
  Rq own;
  own.set_therapist_id("th-1");
  EXPECT_EQ((AllPages<Rq, Rs>(therapist_a_, own, 2,
                              &BookingHandler::ListAppointments, appointments)),
            calls_a);
  Rq other;
  other.set_therapist_id("th-3");
  Rs refused;
  EXPECT_EQ(h.ListAppointments(therapist_a_, other, &refused),
            Denied("therapist_id: not you; a therapist lists only their own "
                   "appointments"));
  EXPECT_EQ(refused.appointments_size(), 0);
  // A couple filter narrows further but never widens.
  Rq of_b;
  of_b.set_couple_id(couple_b);
  EXPECT_TRUE(
      (AllPages<Rq, Rs>(therapist_a_, of_b, 2,
                        &BookingHandler::ListAppointments, appointments))
          .empty());
  EXPECT_EQ((AllPages<Rq, Rs>(coordinator_, {}, 100,
                              &BookingHandler::ListAppointments, appointments))
                .size(),
            9u);
}

TEST_F(TherapistAccessTest, ATherapistWithoutATherapistIdSeesNothing) {
  const std::string couple = NewCouple(kTeamA);
  HeldIntensive(couple);
  const Caller anonymous{"user-x", {Role::kTherapist}, ""};
  v1::ListCouplesResponse couples;
  EXPECT_EQ(handler_->ListCouples(anonymous, {}, &couples).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(couples.couples_size(), 0);
  v1::ListAppointmentsResponse appointments;
  EXPECT_EQ(handler_->ListAppointments(anonymous, {}, &appointments).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(GetCouple(*handler_, anonymous, couple).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(TherapistAccessTest, HoldsAreLimitedPerCaller) {
  options_.max_holds_per_caller = 2;
  Open();
  std::vector<std::string> couples;
  for (int i = 0; i < 5; ++i) couples.push_back(NewCouple(kTeamA + kTeamB));

  absl::StatusOr<v1::Plan> first_plan = Propose(couples[0]);
  ASSERT_TRUE(first_plan.ok()) << first_plan.status();
  absl::StatusOr<v1::Intensive> first =
      HoldPlan(couples[0], *first_plan, "h1", coordinator_);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(Hold(couples[1], "h2", coordinator_).ok());
  absl::StatusOr<v1::Plan> third_plan = Propose(couples[2]);
  ASSERT_TRUE(third_plan.ok()) << third_plan.status();
  const absl::Status refused =
      HoldPlan(couples[2], *third_plan, "h3", coordinator_).status();
  EXPECT_EQ(refused, absl::ResourceExhaustedError(
                         "hold limit reached: 2 live holds for this account; "
                         "confirm or cancel some first"));

  // A retry of a hold that was placed still returns it.
  absl::StatusOr<v1::Intensive> replayed =
      HoldPlan(couples[0], *first_plan, "h1", coordinator_);
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_EQ(replayed->id(), first->id());

  // Cancelling one frees a place; the refused request can be sent again.
  ASSERT_TRUE(Cancel(first->id()).ok());
  absl::StatusOr<v1::Intensive> third =
      HoldPlan(couples[2], *third_plan, "h3", coordinator_);
  ASSERT_TRUE(third.ok()) << third.status().message();
  EXPECT_EQ(Hold(couples[4], "h5", coordinator_).status().code(),
            absl::StatusCode::kResourceExhausted);

  // The limit is per account: another coordinator may still hold.
  const Caller colleague{"coordinator-2", {Role::kCoordinator}, ""};
  ASSERT_TRUE(Hold(couples[3], "h4", colleague).ok());

  // Holds that lapsed no longer count (the sweep has not run yet);
  // confirmed ones never did.
  v1::ConfirmIntensiveRequest confirm;
  confirm.set_request_id("confirm-3");
  confirm.set_id(third->id());
  v1::ConfirmIntensiveResponse confirmed;
  ASSERT_TRUE(
      handler_->ConfirmIntensive(coordinator_, confirm, &confirmed).ok());
  ASSERT_TRUE(Hold(couples[4], "h6", coordinator_).ok());
  EXPECT_EQ(Hold(couples[0], "h7", coordinator_).status().code(),
            absl::StatusCode::kResourceExhausted);
  now_ += absl::Minutes(31);
  EXPECT_TRUE(Hold(couples[0], "h8", coordinator_).ok());
}

TEST_F(TherapistAccessTest, UpgradeToV6FindsTheTeamsOfExistingIntensives) {
  const std::string couple_a = NewCouple(kTeamA);
  const std::string couple_b = NewCouple(kTeamB);
  const std::string intensive_a = HeldIntensive(couple_a);
  const std::string intensive_b = HeldIntensive(couple_b);
  // Back to the v5 schema, as a database written before this change.
  // Raw SQL: the SQLite implementation behind the interface.
  ASSERT_TRUE(dynamic_cast<SqliteBookingStore&>(*handler_->store().Lock())
                  .db()
                  .Exec("DROP TABLE intensive_therapists;"
                        "DROP INDEX intensives_by_holder;"
                        "ALTER TABLE intensives DROP COLUMN held_by;"
                        "PRAGMA user_version = 5;")
                  .ok());
  Open();
  BookingHandler& h = *handler_;
  EXPECT_TRUE(GetIntensive(h, therapist_a_, intensive_a).ok());
  EXPECT_TRUE(GetCouple(h, therapist_a_, couple_a).ok());
  EXPECT_EQ(GetIntensive(h, therapist_a_, intensive_b).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(GetIntensive(h, therapist_b_, intensive_b).ok());
  const Caller female_b{"user-th-4", {Role::kTherapist}, "th-4"};
  EXPECT_TRUE(GetIntensive(h, female_b, intensive_b).ok());
}

}  // namespace
}  // namespace tandem::booking
