#include "services/booking/intensive_lifecycle.h"

#include <gtest/gtest.h>

#include "services/common/proto_time.h"
#include "services/common/text_proto.h"

namespace tandem::booking {
namespace {

const absl::Time kNine = absl::FromUnixSeconds(1800000000);

v1::ProgrammeTemplate TwoSessionTemplate() {
  return common::ParseTextProto<v1::ProgrammeTemplate>(R"pb(
    id: "pt-9" display_name: "Two days" kind: PROGRAMME_KIND_INTENSIVE
    days { day_number: 1 sessions { key: "joint" kind: SESSION_KIND_JOINT
                                    participants: SESSION_PARTICIPANTS_BOTH_PARTNERS } }
    days { day_number: 2 sessions { key: "joint" kind: SESSION_KIND_JOINT
                                    participants: SESSION_PARTICIPANTS_BOTH_PARTNERS } })pb");
}

v1::Plan PlanAt(absl::Time first) {
  v1::Plan plan;
  plan.set_template_id("pt-9");
  for (int day = 1; day <= 2; ++day) {
    v1::PlannedSession* s = plan.add_sessions();
    s->set_template_session_key("joint");
    s->set_day_number(day);
    const absl::Time start = first + absl::Hours(24) * (day - 1);
    *s->mutable_start_time() = common::ToProto(start);
    *s->mutable_end_time() = common::ToProto(start + absl::Minutes(90));
    s->add_room_ids("rm-1");
    s->add_therapist_ids("th-1");
    s->add_therapist_ids("th-2");
  }
  return plan;
}

v1::Intensive Held() {
  v1::Couple couple;
  couple.set_id("cp-1");
  auto held = IntensiveFromPlan(PlanAt(kNine), couple, TwoSessionTemplate());
  EXPECT_TRUE(held.ok()) << held.status();
  return *held;
}

TEST(IntensiveLifecycleTest, AHoldHasTentativeSessionsLabelledFromTheTemplate) {
  const v1::Intensive held = Held();
  EXPECT_EQ(held.status(), v1::INTENSIVE_STATUS_HELD);
  ASSERT_EQ(held.sessions_size(), 2);
  EXPECT_EQ(held.sessions(1).day_number(), 2);
  EXPECT_EQ(held.sessions(1).day_count(), 2);
  EXPECT_EQ(held.sessions(1).kind(), v1::SESSION_KIND_JOINT);
  EXPECT_EQ(held.sessions(0).status(), v1::SESSION_STATUS_TENTATIVE);
  v1::Couple couple;
  v1::Plan unknown = PlanAt(kNine);
  unknown.mutable_sessions(0)->set_template_session_key("nope");
  EXPECT_EQ(IntensiveFromPlan(unknown, couple, TwoSessionTemplate())
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(IntensiveLifecycleTest, ApplyPlanKeepsUnchangedSessionsAndTheirIds) {
  v1::Intensive booked = Held();
  booked.mutable_sessions(0)->set_id("se-1");
  booked.mutable_sessions(1)->set_id("se-2");
  Confirm(booked, "coordinator-1", kNine - absl::Hours(48));
  // Day 2 moves an hour later; day 1 stays.
  v1::Plan moved = PlanAt(kNine);
  v1::PlannedSession* day2 = moved.mutable_sessions(1);
  day2->mutable_start_time()->set_seconds(day2->start_time().seconds() + 3600);
  day2->mutable_end_time()->set_seconds(day2->end_time().seconds() + 3600);
  auto applied = ApplyPlan(booked, moved, TwoSessionTemplate());
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(applied->sessions(0).id(), "se-1");
  EXPECT_EQ(applied->sessions(1).id(), "");  // a new session
  EXPECT_EQ(applied->sessions(1).status(), v1::SESSION_STATUS_SCHEDULED);
}

TEST(IntensiveLifecycleTest, CancelKeepsWhatTookPlaceAndRecordsWhoAndWhy) {
  v1::Intensive started = Held();
  Confirm(started, "coordinator-1", kNine - absl::Hours(1));
  Start(started, kNine);
  Cancel(started, v1::CANCEL_REASON_DISCONTINUED, "coordinator-2",
         kNine + absl::Hours(3));
  EXPECT_EQ(started.status(), v1::INTENSIVE_STATUS_CANCELLED);
  EXPECT_EQ(started.sessions(0).status(), v1::SESSION_STATUS_COMPLETED);
  EXPECT_EQ(started.sessions(1).status(), v1::SESSION_STATUS_CANCELLED);
  const v1::StatusChange& last = *started.status_history().rbegin();
  EXPECT_EQ(last.actor(), "coordinator-2");
  EXPECT_EQ(last.cancel_reason(), v1::CANCEL_REASON_DISCONTINUED);
  EXPECT_EQ(started.status_history_size(), 3);  // confirmed, started, cancelled
}

TEST(IntensiveLifecycleTest, AttentionReturnsToTheStatusItLeft) {
  v1::Intensive booked = Held();
  Confirm(booked, "coordinator-1", kNine - absl::Hours(48));
  booked.set_status(v1::INTENSIVE_STATUS_NEEDS_ATTENTION);
  RecordTransition(booked, v1::INTENSIVE_EVENT_NEEDS_ATTENTION, kSystemActor,
                   kNine - absl::Hours(24));
  EXPECT_EQ(StatusBeforeAttention(booked, kNine - absl::Hours(1)),
            v1::INTENSIVE_STATUS_BOOKED);
  // Its first session started meanwhile: it is under way.
  EXPECT_EQ(StatusBeforeAttention(booked, kNine + absl::Minutes(1)),
            v1::INTENSIVE_STATUS_IN_PROGRESS);
  v1::Intensive held = Held();
  RecordTransition(held, v1::INTENSIVE_EVENT_HELD, "c", kNine);
  held.set_status(v1::INTENSIVE_STATUS_NEEDS_ATTENTION);
  RecordTransition(held, v1::INTENSIVE_EVENT_NEEDS_ATTENTION, kSystemActor,
                   kNine);
  EXPECT_EQ(StatusBeforeAttention(held, kNine), v1::INTENSIVE_STATUS_HELD);
}

}  // namespace
}  // namespace tandem::booking
