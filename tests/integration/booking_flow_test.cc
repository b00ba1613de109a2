// The booking flow through the real binaries (directory + booking): propose,
// hold, expiry, confirm with its referral precondition, reschedule, cancel,
// appointments, repair after an absence, and bad input that changes nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/integration/booking_fixture.h"
#include "tests/integration/health_check.h"
#include "tests/integration/test_security.h"

namespace tandem::booking {
namespace {

namespace v1 = ::tandem::booking::v1;
namespace dir = ::tandem::directory::v1;
using ::tandem::testing::Call;
using ::tandem::testing::DateProto;
using ::tandem::testing::ServiceProcess;
using Stub = v1::BookingService::Stub;

class BookingFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::BookingServices services;
    ASSERT_NO_FATAL_FAILURE(testing::StartBookingServices(
        {"--min_hold_duration=1s", "--sweep_interval=200ms"}, &services));
    directory_ = std::move(services.directory);
    booking_ = std::move(services.booking);
    stub_ = v1::BookingService::NewStub(booking_->channel());
    directory_stub_ = dir::DirectoryService::NewStub(directory_->channel());
    couple_id_ = NewCouple("Vuorinen");
    first_day_ = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + 7;
  }

  std::string NewCouple(const std::string& family) {
    v1::CreateCoupleRequest request;
    request.set_request_id(absl::StrCat("couple-", family));
    *request.mutable_couple() = testing::TestCouple(family);
    v1::CreateCoupleResponse response;
    EXPECT_TRUE(Call(*stub_, &Stub::CreateCouple, request, &response).ok());
    return response.couple().id();
  }

  v1::ProposeIntensiveResponse Propose(const std::string& couple_id,
                                       const std::string& repair_id = "") {
    v1::ProposeIntensiveRequest request;
    request.set_couple_id(couple_id);
    request.set_template_id("pt-1");  // the shipped ten-day intensive
    *request.mutable_earliest_start() = DateProto(first_day_);
    *request.mutable_latest_start() = DateProto(first_day_ + 30);
    request.set_repair_intensive_id(repair_id);
    v1::ProposeIntensiveResponse response;
    grpc::Status status =
        Call(*stub_, &Stub::ProposeIntensive, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  grpc::Status Hold(const std::string& request_id, const v1::Plan& plan,
                    v1::Intensive* out, absl::Duration hold = absl::ZeroDuration(),
                    const std::string& couple_id = "") {
    v1::HoldIntensiveRequest request;
    request.set_request_id(request_id);
    request.set_couple_id(couple_id.empty() ? couple_id_ : couple_id);
    *request.mutable_plan() = plan;
    if (hold > absl::ZeroDuration()) {
      request.mutable_hold_duration()->set_seconds(
          absl::ToInt64Seconds(hold));
    }
    v1::HoldIntensiveResponse response;
    grpc::Status status = Call(*stub_, &Stub::HoldIntensive, request, &response);
    *out = response.intensive();
    return status;
  }

  grpc::Status Confirm(const std::string& request_id, const std::string& id,
                       v1::Intensive* out) {
    v1::ConfirmIntensiveRequest request;
    request.set_request_id(request_id);
    request.set_id(id);
    v1::ConfirmIntensiveResponse response;
    grpc::Status status =
        Call(*stub_, &Stub::ConfirmIntensive, request, &response);
    *out = response.intensive();
    return status;
  }

  v1::Intensive Get(const std::string& id) {
    v1::GetIntensiveRequest request;
    request.set_id(id);
    v1::GetIntensiveResponse response;
    EXPECT_TRUE(Call(*stub_, &Stub::GetIntensive, request, &response).ok());
    return response.intensive();
  }

  std::string AddReferral(v1::ReferralStatus status) {
    v1::CreateReferralRequest request;
    request.set_request_id(absl::StrCat("referral-", status));
    request.mutable_referral()->set_couple_id(couple_id_);
    request.mutable_referral()->set_partner(v1::PARTNER_ROLE_A);
    request.mutable_referral()->set_specialty(v1::REFERRAL_SPECIALTY_UROLOGY);
    request.mutable_referral()->set_status(status);
    v1::CreateReferralResponse response;
    grpc::Status s = Call(*stub_, &Stub::CreateReferral, request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.referral().id();
  }

  // Waits (bounded) until the intensive reaches `status`.
  v1::Intensive WaitForStatus(const std::string& id,
                              v1::IntensiveStatus status) {
    v1::Intensive intensive;
    for (int i = 0; i < 100; ++i) {
      intensive = Get(id);
      if (intensive.status() == status) break;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return intensive;
  }

  std::unique_ptr<ServiceProcess> directory_;
  std::unique_ptr<ServiceProcess> booking_;
  std::unique_ptr<Stub> stub_;
  std::unique_ptr<dir::DirectoryService::Stub> directory_stub_;
  std::string couple_id_;
  absl::CivilDay first_day_;
};

TEST_F(BookingFlowTest, HoldConfirmRescheduleCancel) {
  const std::string referral = AddReferral(v1::REFERRAL_STATUS_REQUESTED);
  v1::ProposeIntensiveResponse proposed = Propose(couple_id_);
  ASSERT_GT(proposed.plans_size(), 1);
  // The open referral is announced but does not stop a hold.
  ASSERT_GT(proposed.explanation().reasons_size(), 0);
  EXPECT_EQ(proposed.explanation().reasons(0).code(),
            v1::PROPOSAL_REASON_CODE_REFERRAL_NOT_SETTLED);

  v1::Intensive held;
  ASSERT_TRUE(Hold("hold-1", proposed.plans(0), &held).ok());
  EXPECT_EQ(held.status(), v1::INTENSIVE_STATUS_HELD);
  EXPECT_TRUE(held.has_expire_time());
  ASSERT_EQ(held.sessions_size(), 12);
  EXPECT_EQ(held.sessions(0).status(), v1::SESSION_STATUS_TENTATIVE);
  EXPECT_EQ(held.sessions(0).day_count(), 10);
  ASSERT_EQ(held.status_history_size(), 1);
  EXPECT_FALSE(held.status_history(0).actor().empty());

  // Confirm waits for the referral, and says which one.
  v1::Intensive booked;
  grpc::Status refused = Confirm("confirm-1", held.id(), &booked);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find(referral), std::string::npos)
      << refused.error_message();
  {
    v1::UpdateReferralRequest update;
    update.set_request_id("referral-cleared");
    update.mutable_referral()->set_id(referral);
    update.mutable_referral()->set_status(v1::REFERRAL_STATUS_CLEARED);
    update.mutable_update_mask()->add_paths("status");
    v1::UpdateReferralResponse updated;
    ASSERT_TRUE(Call(*stub_, &Stub::UpdateReferral, update, &updated).ok());
  }
  ASSERT_TRUE(Confirm("confirm-2", held.id(), &booked).ok());
  EXPECT_EQ(booked.status(), v1::INTENSIVE_STATUS_BOOKED);
  EXPECT_FALSE(booked.has_expire_time());
  EXPECT_EQ(booked.sessions(0).status(), v1::SESSION_STATUS_SCHEDULED);

  // The therapist's sessions are listed for the roster.
  {
    v1::ListSessionsRequest list;
    list.set_therapist_id("th-1");
    *list.mutable_date_range()->mutable_start_date() = DateProto(first_day_);
    *list.mutable_date_range()->mutable_end_date() = DateProto(first_day_ + 60);
    v1::ListSessionsResponse sessions;
    ASSERT_TRUE(Call(*stub_, &Stub::ListSessions, list, &sessions).ok());
    int with_th1 = 0;
    for (const v1::Session& s : booked.sessions()) {
      with_th1 += std::count(s.therapist_ids().begin(),
                             s.therapist_ids().end(), "th-1");
    }
    EXPECT_GT(with_th1, 0);
    EXPECT_EQ(sessions.sessions_size(), with_th1);

    // Without a filter (the clinic day): every session once, up to 31 days.
    list.clear_therapist_id();
    ASSERT_EQ(Call(*stub_, &Stub::ListSessions, list, &sessions).error_code(),
              grpc::INVALID_ARGUMENT);
    *list.mutable_date_range()->mutable_end_date() = DateProto(first_day_ + 30);
    list.set_page_size(5);
    std::set<std::string> all;
    do {
      ASSERT_TRUE(Call(*stub_, &Stub::ListSessions, list, &sessions).ok());
      for (const v1::Session& s : sessions.sessions()) {
        EXPECT_TRUE(all.insert(s.id()).second) << s.id();
      }
      list.set_page_token(sessions.next_page_token());
    } while (!sessions.next_page_token().empty());
    EXPECT_EQ(all.size(), static_cast<size_t>(booked.sessions_size()));
  }

  // Reschedule to another proposed plan: atomically, the old time is freed.
  v1::ProposeIntensiveResponse repair = Propose(couple_id_, booked.id());
  v1::Plan other;
  for (const v1::Plan& p : repair.plans()) {
    if (p.start_date().day() != booked.start_date().day()) {
      other = p;
      // Another start moves every session.
      EXPECT_EQ(p.changed_session_count(), booked.sessions_size());
    } else {
      EXPECT_LT(p.changed_session_count(), booked.sessions_size());
    }
  }
  ASSERT_FALSE(other.sessions().empty()) << repair.ShortDebugString();
  v1::RescheduleIntensiveRequest move;
  move.set_request_id("move-1");
  move.set_id(booked.id());
  *move.mutable_plan() = other;
  v1::RescheduleIntensiveResponse moved;
  grpc::Status status =
      Call(*stub_, &Stub::RescheduleIntensive, move, &moved);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(moved.intensive().status(), v1::INTENSIVE_STATUS_BOOKED);
  EXPECT_EQ(moved.intensive().start_date().day(), other.start_date().day());
  // The first plan is free again: another couple can hold it... once it is
  // proposed to them (tokens are per couple).
  const std::string second = NewCouple("Korhonen");
  v1::ProposeIntensiveResponse for_second = Propose(second);
  bool first_slot_back = false;
  for (const v1::Plan& p : for_second.plans()) {
    first_slot_back |= p.start_date().day() == proposed.plans(0).start_date().day();
  }
  EXPECT_TRUE(first_slot_back);

  // Cancel frees everything; a second cancel is refused.
  v1::CancelIntensiveRequest cancel;
  cancel.set_request_id("cancel-1");
  cancel.set_id(booked.id());
  cancel.set_reason(v1::CANCEL_REASON_COUPLE_REQUEST);
  v1::CancelIntensiveResponse cancelled;
  ASSERT_TRUE(Call(*stub_, &Stub::CancelIntensive, cancel, &cancelled).ok());
  EXPECT_EQ(cancelled.intensive().status(), v1::INTENSIVE_STATUS_CANCELLED);
  cancel.set_request_id("cancel-2");
  EXPECT_EQ(Call(*stub_, &Stub::CancelIntensive, cancel, &cancelled)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  const v1::Intensive final_state = Get(booked.id());
  std::vector<v1::IntensiveEvent> events;
  for (const v1::StatusChange& c : final_state.status_history())
    events.push_back(c.event());
  EXPECT_EQ(events, (std::vector<v1::IntensiveEvent>{
                        v1::INTENSIVE_EVENT_HELD, v1::INTENSIVE_EVENT_CONFIRMED,
                        v1::INTENSIVE_EVENT_RESCHEDULED,
                        v1::INTENSIVE_EVENT_CANCELLED}));

  // The change stream tells followers (here as the follow-up service, the
  // stream being internal) each step.
  auto follower = v1::BookingService::NewStub(testing::SecureChannel(
      booking_->target(), testing::PeerCredentials("followup")));
  v1::WatchChangesRequest watch;
  grpc::ClientContext context;
  testing::SetDeadline(context, absl::Seconds(2));
  auto reader = follower->WatchChanges(&context, watch);
  v1::WatchChangesResponse change;
  std::vector<v1::IntensiveEvent> streamed;
  while (reader->Read(&change)) {
    if (change.change().has_intensive()) {
      streamed.push_back(change.change().intensive_event());
    }
    if (streamed.size() == 4) break;
  }
  context.TryCancel();
  EXPECT_EQ(streamed, events);
}

TEST_F(BookingFlowTest, AnExpiredHoldFreesItsTimeByItself) {
  AddReferral(v1::REFERRAL_STATUS_NOT_NEEDED);
  v1::ProposeIntensiveResponse proposed = Propose(couple_id_);
  ASSERT_GT(proposed.plans_size(), 0);
  v1::Intensive held;
  ASSERT_TRUE(Hold("hold-1", proposed.plans(0), &held, absl::Seconds(1)).ok());
  const v1::Intensive expired =
      WaitForStatus(held.id(), v1::INTENSIVE_STATUS_CANCELLED);
  EXPECT_EQ(expired.status(), v1::INTENSIVE_STATUS_CANCELLED);
  EXPECT_EQ(expired.cancel_reason(), v1::CANCEL_REASON_HOLD_EXPIRED);
  EXPECT_EQ(expired.status_history().rbegin()->actor(), "system");
  v1::Intensive ignored;
  grpc::Status late = Confirm("confirm-late", held.id(), &ignored);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(late.error_message().find("expired"), std::string::npos);
  // The same time is offered again.
  v1::ProposeIntensiveResponse again = Propose(couple_id_);
  ASSERT_GT(again.plans_size(), 0);
  EXPECT_EQ(again.plans(0).start_date().day(),
            proposed.plans(0).start_date().day());
}

TEST_F(BookingFlowTest, TakenTimeIsAbortedWithFreshPlansAndBadInputChangesNothing) {
  v1::ProposeIntensiveResponse mine = Propose(couple_id_);
  const std::string other = NewCouple("Korhonen");
  v1::ProposeIntensiveResponse theirs = Propose(other);
  ASSERT_GT(mine.plans_size(), 0);
  ASSERT_GT(theirs.plans_size(), 0);

  // An edited plan is not a proposal.
  v1::Plan edited = mine.plans(0);
  *edited.mutable_sessions(0)->mutable_room_ids(0) = "rm-2";
  v1::Intensive out;
  grpc::Status status = Hold("hold-edited", edited, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("proposal_token"), std::string::npos);
  // Another couple's plan is not this couple's.
  status = Hold("hold-foreign", theirs.plans(0), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // Unknown couple.
  status = Hold("hold-unknown", mine.plans(0), &out, absl::ZeroDuration(),
                "cp-999");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);

  // They take the time first; my plan for the same time is ABORTED with
  // fresh plans and what took it.
  ASSERT_EQ(mine.plans(0).start_date().day(), theirs.plans(0).start_date().day());
  ASSERT_TRUE(Hold("hold-theirs", theirs.plans(0), &out, absl::ZeroDuration(),
                   other)
                  .ok());
  status = Hold("hold-mine", mine.plans(0), &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::ABORTED)
      << status.error_message();
  v1::ErrorStatus details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  v1::ProposalHint hint;
  ASSERT_TRUE(details.details(0).UnpackTo(&hint));
  EXPECT_GT(hint.conflicts_size(), 0);
  EXPECT_EQ(hint.conflicts(0).kind(), v1::CONFLICT_KIND_BOOKED);
  ASSERT_GT(hint.plans_size(), 0);
  // A hinted plan can be held at once.
  ASSERT_TRUE(Hold("hold-hinted", hint.plans(0), &out).ok());

  v1::ListIntensivesRequest list;
  v1::ListIntensivesResponse listed;
  ASSERT_TRUE(Call(*stub_, &Stub::ListIntensives, list, &listed).ok());
  EXPECT_EQ(listed.intensives_size(), 2);  // theirs and the hinted one
}

TEST_F(BookingFlowTest, AppointmentsShareTheConflictCheck) {
  AddReferral(v1::REFERRAL_STATUS_NOT_NEEDED);
  v1::ProposeIntensiveResponse proposed = Propose(couple_id_);
  v1::Intensive held;
  ASSERT_TRUE(Hold("hold-1", proposed.plans(0), &held).ok());
  const v1::Session& first = held.sessions(0);

  // A call for the male therapist in the middle of the first session.
  v1::CreateAppointmentRequest request;
  request.set_request_id("call-1");
  v1::Appointment* call = request.mutable_appointment();
  call->set_kind(v1::APPOINTMENT_KIND_PHONE_CALL);
  call->set_therapist_id("th-1");
  call->set_couple_id(NewCouple("Korhonen"));
  *call->mutable_start_time() = first.start_time();
  call->mutable_end_time()->set_seconds(first.start_time().seconds() + 900);
  v1::CreateAppointmentResponse created;
  grpc::Status clash =
      Call(*stub_, &Stub::CreateAppointment, request, &created);
  ASSERT_EQ(clash.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  v1::ErrorStatus details;
  ASSERT_TRUE(details.ParseFromString(clash.error_details()));
  v1::ConflictInfo info;
  ASSERT_TRUE(details.details(0).UnpackTo(&info));
  ASSERT_GT(info.conflicts_size(), 0);
  EXPECT_EQ(info.conflicts(0).resource_id(), "th-1");
  EXPECT_EQ(info.conflicts(0).blocking_id(), first.id());

  // After the programme's last session it fits; booked twice with one
  // request_id, it is one.
  const v1::Session& last = *held.sessions().rbegin();
  call->mutable_start_time()->set_seconds(last.end_time().seconds());
  call->mutable_end_time()->set_seconds(last.end_time().seconds() + 900);
  request.set_request_id("call-2");
  grpc::Status ok = Call(*stub_, &Stub::CreateAppointment, request, &created);
  ASSERT_TRUE(ok.ok()) << ok.error_message();
  v1::CreateAppointmentResponse again;
  ASSERT_TRUE(Call(*stub_, &Stub::CreateAppointment, request, &again).ok());
  EXPECT_EQ(again.appointment().id(), created.appointment().id());
  EXPECT_EQ(created.appointment().status(), v1::APPOINTMENT_STATUS_SCHEDULED);

  // Cancelled, it no longer blocks: the same time books again.
  v1::CancelAppointmentRequest cancel;
  cancel.set_request_id("call-cancel");
  cancel.set_id(created.appointment().id());
  v1::CancelAppointmentResponse cancelled;
  ASSERT_TRUE(
      Call(*stub_, &Stub::CancelAppointment, cancel, &cancelled).ok());
  request.set_request_id("call-3");
  EXPECT_TRUE(Call(*stub_, &Stub::CreateAppointment, request, &created).ok());
}

TEST_F(BookingFlowTest, AnAbsenceIsRepairedOrFlagged) {
  AddReferral(v1::REFERRAL_STATUS_CLEARED);
  v1::ProposeIntensiveResponse proposed = Propose(couple_id_);
  v1::Intensive booked;
  ASSERT_TRUE(Hold("hold-1", proposed.plans(0), &booked).ok());
  ASSERT_TRUE(Confirm("confirm-1", booked.id(), &booked).ok());
  // The woman is away for the first hour of the first session: the session
  // moves within the day, team and day kept.
  const v1::Session first = booked.sessions(0);
  {
    dir::CreateAbsenceRequest absence;
    absence.set_request_id("absence-1");
    absence.mutable_absence()->set_therapist_id("th-2");
    *absence.mutable_absence()->mutable_start_time() = first.start_time();
    absence.mutable_absence()->mutable_end_time()->set_seconds(
        first.start_time().seconds() + 3600);
    absence.mutable_absence()->set_reason(dir::ABSENCE_REASON_OTHER);
    dir::CreateAbsenceResponse created;
    grpc::Status s = Call(*directory_stub_,
                          &dir::DirectoryService::Stub::CreateAbsence, absence,
                          &created);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  v1::Intensive repaired;
  for (int i = 0; i < 100; ++i) {
    repaired = Get(booked.id());
    if (repaired.status_history_size() > 2) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_EQ(repaired.status_history_size(), 3) << repaired.ShortDebugString();
  EXPECT_EQ(repaired.status_history(2).event(),
            v1::INTENSIVE_EVENT_RESCHEDULED);
  EXPECT_EQ(repaired.status_history(2).actor(), "system");
  EXPECT_EQ(repaired.status(), v1::INTENSIVE_STATUS_BOOKED);
  EXPECT_EQ(repaired.sessions(0).date().day(), first.date().day());
  EXPECT_NE(repaired.sessions(0).start_time().seconds(),
            first.start_time().seconds());

  // Away for the whole of day 2 with nobody to stand in: needs attention.
  const v1::Session* day2 = nullptr;
  for (const v1::Session& s : repaired.sessions())
    if (s.day_number() == 2 && day2 == nullptr) day2 = &s;
  ASSERT_NE(day2, nullptr);
  {
    dir::CreateAbsenceRequest absence;
    absence.set_request_id("absence-2");
    absence.mutable_absence()->set_therapist_id("th-2");
    absence.mutable_absence()->mutable_start_time()->set_seconds(
        day2->start_time().seconds() - 12 * 3600);
    absence.mutable_absence()->mutable_end_time()->set_seconds(
        day2->start_time().seconds() + 12 * 3600);
    absence.mutable_absence()->set_reason(dir::ABSENCE_REASON_SICKNESS);
    dir::CreateAbsenceResponse created;
    ASSERT_TRUE(Call(*directory_stub_,
                     &dir::DirectoryService::Stub::CreateAbsence, absence,
                     &created)
                    .ok());
  }
  const v1::Intensive flagged =
      WaitForStatus(booked.id(), v1::INTENSIVE_STATUS_NEEDS_ATTENTION);
  ASSERT_EQ(flagged.status(), v1::INTENSIVE_STATUS_NEEDS_ATTENTION);
  EXPECT_EQ(flagged.attention_reason(), v1::ATTENTION_REASON_THERAPIST_ABSENT);
  int broken = 0;
  for (const v1::Session& s : flagged.sessions())
    broken += s.status() == v1::SESSION_STATUS_NEEDS_ATTENTION;
  EXPECT_GT(broken, 0);
}

}  // namespace
}  // namespace tandem::booking
