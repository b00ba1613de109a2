#include "services/roster/roster_assembly.h"

#include <gtest/gtest.h>

#include "services/roster/roster_test_inputs.h"

namespace tandem::roster {
namespace {

using testing::SmallClinic;

TEST(TherapistRosterTest, OneEntryPerDayWithItemsInTimeOrder) {
  const RosterInputs in = SmallClinic();
  const v1::TherapistRoster roster = BuildTherapistRoster(in, "th-1");
  EXPECT_EQ(roster.therapist_name(), "Tom Berg");
  ASSERT_EQ(roster.days_size(), 3);

  const v1::TherapistRosterDay& first = roster.days(0);
  EXPECT_EQ(first.date().day(), 2);
  ASSERT_EQ(first.items_size(), 2);
  const v1::RosterItem& joint = first.items(0);
  EXPECT_EQ(joint.kind(), v1::ROSTER_ITEM_KIND_JOINT_SESSION);
  EXPECT_EQ(joint.room_name(), "Room 1");
  EXPECT_EQ(joint.co_therapist_id(), "th-2");
  EXPECT_EQ(joint.co_therapist_name(), "Jaya Rao");
  EXPECT_EQ(joint.couple_label(), "A.K. & B.K.");
  EXPECT_EQ(joint.template_name(), "Ten-day intensive");
  EXPECT_EQ(joint.day_number(), 3);
  EXPECT_EQ(joint.day_count(), 10);
  EXPECT_FALSE(joint.tentative());
  const v1::RosterItem& call = first.items(1);
  EXPECT_EQ(call.kind(), v1::ROSTER_ITEM_KIND_FOLLOW_UP_CALL);
  EXPECT_EQ(call.follow_up_contact_id(), "fc-1");
  EXPECT_EQ(call.intensive_id(), "in-0");
  EXPECT_TRUE(call.room_id().empty());
  EXPECT_TRUE(call.co_therapist_id().empty());

  const v1::TherapistRosterDay& second = roster.days(1);
  ASSERT_EQ(second.items_size(), 1);
  EXPECT_TRUE(second.items(0).tentative());
  EXPECT_EQ(second.items(0).kind(), v1::ROSTER_ITEM_KIND_INDIVIDUAL_ASSESSMENT);
  EXPECT_EQ(second.absences_size(), 1);
  EXPECT_FALSE(second.clinic_closed());

  const v1::TherapistRosterDay& third = roster.days(2);
  EXPECT_TRUE(third.clinic_closed());
  EXPECT_EQ(third.closure_label(), "Staff day");
  EXPECT_EQ(third.items_size(), 0);
}

TEST(TherapistRosterTest, CallsDueTodayCarryTheNumbersToRing) {
  const RosterInputs in = SmallClinic();
  const v1::TherapistRoster roster = BuildTherapistRoster(in, "th-1");
  ASSERT_EQ(roster.days(0).calls_due_size(), 1);
  const v1::CallDue& due = roster.days(0).calls_due(0);
  EXPECT_EQ(due.follow_up_contact_id(), "fc-1");
  ASSERT_EQ(due.phones_size(), 2);
  EXPECT_EQ(due.phones(0).label(), "A.K.");
  EXPECT_EQ(due.phones(0).phone(), "+447700900123");
  EXPECT_EQ(due.phones(1).label(), "B.K.");
  EXPECT_EQ(roster.days(1).calls_due_size(), 0);
}

TEST(TherapistRosterTest, NumbersAreShownOnTheDayOnly) {
  RosterInputs in = SmallClinic();
  in.today = absl::CivilDay(2026, 12, 1);
  const v1::TherapistRoster roster = BuildTherapistRoster(in, "th-1");
  for (const auto& day : roster.days()) {
    EXPECT_EQ(day.calls_due_size(), 0);
  }
  // A closed call is not due.
  in = SmallClinic();
  in.contacts[0].set_status(fu::CONTACT_STATUS_CLOSED);
  EXPECT_EQ(BuildTherapistRoster(in, "th-1").days(0).calls_due_size(), 0);
}

TEST(TherapistRosterTest, TheCoTherapistSeesTheFirstTherapistAsPartner) {
  const RosterInputs in = SmallClinic();
  const v1::TherapistRoster roster = BuildTherapistRoster(in, "th-2");
  ASSERT_EQ(roster.days(0).items_size(), 1);  // not th-1's call
  EXPECT_EQ(roster.days(0).items(0).co_therapist_id(), "th-1");
  EXPECT_EQ(roster.days(1).items_size(), 0);  // th-1's assessment
}

TEST(TherapistRosterTest, ItemsFallOnTheClinicLocalDay) {
  RosterInputs in = SmallClinic();
  // 23:30 UTC on 1 Dec is still 1 Dec in London but 2 Dec in Helsinki.
  absl::LoadTimeZone("Europe/Helsinki", &in.zone);
  in.sessions[0].mutable_start_time()->set_seconds(absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilMinute(2026, 12, 1, 23, 30),
                      absl::UTCTimeZone())));
  const v1::TherapistRoster roster = BuildTherapistRoster(in, "th-2");
  EXPECT_EQ(roster.days(0).items_size(), 1);
}

TEST(RoomRosterTest, ListsTheRoomsSessionsAndNotCalls) {
  const RosterInputs in = SmallClinic();
  const v1::RoomRoster roster = BuildRoomRoster(in, "rm-1");
  EXPECT_EQ(roster.room_name(), "Room 1");
  ASSERT_EQ(roster.days(0).items_size(), 1);
  EXPECT_EQ(roster.days(0).items(0).session_id(), "se-1");
  EXPECT_EQ(roster.days(0).items(0).therapist_ids_size(), 2);
  EXPECT_TRUE(roster.days(0).items(0).co_therapist_id().empty());
}

TEST(ClinicDayTest, AttentionFirstAndColumnsInIdOrder) {
  RosterInputs in = SmallClinic();
  bk::Intensive late = in.intensives["in-1"];
  late.set_id("in-7");
  late.set_status(bk::INTENSIVE_STATUS_NEEDS_ATTENTION);
  late.set_attention_reason(bk::ATTENTION_REASON_THERAPIST_ABSENT);
  *late.mutable_start_date() = common::DayToProto(absl::CivilDay(2026, 12, 9));
  bk::Intensive early = late;
  early.set_id("in-8");
  *early.mutable_start_date() = common::DayToProto(absl::CivilDay(2026, 12, 5));
  in.attention_intensives = {late, early};
  in.last_day = in.first_day;

  const v1::ClinicDay day = BuildClinicDay(in);
  ASSERT_EQ(day.needs_attention_size(), 2);
  EXPECT_EQ(day.needs_attention(0).intensive_id(), "in-8");
  EXPECT_EQ(day.needs_attention(0).couple_label(), "A.K. & B.K.");
  EXPECT_EQ(day.needs_attention(0).reason(),
            v1::ATTENTION_REASON_THERAPIST_ABSENT);
  // Inactive therapist and room without items are left out.
  ASSERT_EQ(day.therapists_size(), 2);
  EXPECT_EQ(day.therapists(0).therapist_id(), "th-1");
  EXPECT_EQ(day.therapists(0).items_size(), 2);
  EXPECT_EQ(day.therapists(1).items_size(), 1);
  ASSERT_EQ(day.rooms_size(), 1);
  EXPECT_EQ(day.rooms(0).items_size(), 1);
}

TEST(InitialsTest, FirstCharacterOfEachName) {
  EXPECT_EQ(Initials("Anna", "Kowalska"), "A.K.");
  EXPECT_EQ(Initials("łucja", "Ólafsdóttir"), "ł.Ó.");
  EXPECT_EQ(Initials("", "Nowak"), "N.");
}

}  // namespace
}  // namespace tandem::roster
