// ToPlannerSnapshot: UTC -> clinic-local conversion (across DST changes),
// closures, teams, rooms; and the replica's change application (ApplyChange,
// DiffStates), which builds the state the conversion reads.
#include "services/booking/planner_snapshot.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/booking/directory_replica.h"
#include "services/common/proto_time.h"

namespace tandem::booking {
namespace {

namespace v1 = ::tandem::directory::v1;
namespace cv1 = ::tandem::common::v1;

google::protobuf::Timestamp Utc(absl::CivilSecond utc) {
  return common::ToProto(absl::FromCivil(utc, absl::UTCTimeZone()));
}

cv1::WeeklyHours Hours(cv1::Weekday weekday, int start_hour, int end_hour) {
  cv1::WeeklyHours hours;
  hours.set_weekday(weekday);
  hours.mutable_start_time()->set_hours(start_hour);
  hours.mutable_end_time()->set_hours(end_hour);
  return hours;
}

v1::Therapist TherapistProto(const std::string& id, v1::Sex sex) {
  v1::Therapist therapist;
  therapist.set_id(id);
  therapist.set_sex(sex);
  therapist.add_languages("en");
  therapist.add_qualifications("couples");
  *therapist.add_working_hours() = Hours(cv1::WEEKDAY_MONDAY, 9, 17);
  therapist.set_daily_session_minutes_cap(240);
  therapist.set_active(true);
  return therapist;
}

v1::Absence AbsenceProto(const std::string& id, const std::string& therapist,
                         absl::CivilSecond start, absl::CivilSecond end) {
  v1::Absence absence;
  absence.set_id(id);
  absence.set_therapist_id(therapist);
  *absence.mutable_start_time() = Utc(start);
  *absence.mutable_end_time() = Utc(end);
  absence.set_reason(v1::ABSENCE_REASON_SICKNESS);
  return absence;
}

v1::Room RoomProto(const std::string& id, bool active,
                   std::initializer_list<v1::RoomKind> kinds) {
  v1::Room room;
  room.set_id(id);
  room.set_capacity(4);
  for (v1::RoomKind kind : kinds) room.add_kinds(kind);
  room.set_active(active);
  return room;
}

// A clinic in London, open Monday to Friday 09:00-17:00 on a 15-minute grid,
// with one male and one female therapist.
DirectoryState LondonClinic() {
  DirectoryState state;
  state.revision = 7;
  state.clinic_settings.set_time_zone("Europe/London");
  state.clinic_settings.set_booking_grid_minutes(15);
  for (cv1::Weekday day :
       {cv1::WEEKDAY_MONDAY, cv1::WEEKDAY_TUESDAY, cv1::WEEKDAY_WEDNESDAY,
        cv1::WEEKDAY_THURSDAY, cv1::WEEKDAY_FRIDAY}) {
    *state.clinic_settings.add_opening_hours() = Hours(day, 9, 17);
  }
  state.therapists["th-1"] = TherapistProto("th-1", v1::SEX_MALE);
  state.therapists["th-2"] = TherapistProto("th-2", v1::SEX_FEMALE);
  return state;
}

constexpr absl::CivilDay kToday(2027, 3, 1);

absl::CivilMinute Local(int y, int mo, int d, int h, int mi) {
  return absl::CivilMinute(y, mo, d, h, mi);
}

TEST(PlannerSnapshotTest, ConvertsClinicHoursAndGrid) {
  absl::StatusOr<scheduler::Snapshot> snapshot =
      ToPlannerSnapshot(LondonClinic(), kToday);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  EXPECT_EQ(snapshot->today, kToday);
  EXPECT_EQ(snapshot->clinic.time_zone, "Europe/London");
  EXPECT_EQ(snapshot->clinic.grid_minutes, 15);
  for (int weekday = 0; weekday < 5; ++weekday) {
    ASSERT_TRUE(snapshot->clinic.opening_hours[weekday].has_value());
    EXPECT_EQ(snapshot->clinic.opening_hours[weekday]->start, 9 * 60);
    EXPECT_EQ(snapshot->clinic.opening_hours[weekday]->end, 17 * 60);
  }
  EXPECT_FALSE(snapshot->clinic.opening_hours[5].has_value());  // Saturday
  EXPECT_FALSE(snapshot->clinic.opening_hours[6].has_value());  // Sunday
}

TEST(PlannerSnapshotTest, ConvertsTherapists) {
  DirectoryState state = LondonClinic();
  state.therapists["th-2"].set_active(false);
  *state.therapists["th-2"].add_working_hours() =
      Hours(cv1::WEEKDAY_SUNDAY, 10, 12);
  absl::StatusOr<scheduler::Snapshot> snapshot =
      ToPlannerSnapshot(state, kToday);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  ASSERT_EQ(snapshot->therapists.size(), 2u);
  const scheduler::Therapist& male = snapshot->therapists[0];
  EXPECT_EQ(male.id, "th-1");
  EXPECT_EQ(male.sex, scheduler::Sex::kMale);
  EXPECT_EQ(male.languages, std::vector<std::string>{"en"});
  EXPECT_EQ(male.qualifications, std::vector<std::string>{"couples"});
  EXPECT_EQ(male.daily_cap_minutes, 240);
  EXPECT_TRUE(male.active);
  ASSERT_TRUE(male.working_hours[0].has_value());
  EXPECT_EQ(male.working_hours[0]->start, 540);
  const scheduler::Therapist& female = snapshot->therapists[1];
  EXPECT_EQ(female.sex, scheduler::Sex::kFemale);
  EXPECT_FALSE(female.active);
  ASSERT_TRUE(female.working_hours[6].has_value());
  EXPECT_EQ(female.working_hours[6]->end, 12 * 60);
}

// Europe/London moves from GMT (UTC+0) to BST (UTC+1) at 01:00 UTC on
// 2027-03-28. An absence from 23:30:20 UTC the day before to 10:00:30 UTC
// starts at 23:30 local (floored) and ends at 11:01 local (ceiled).
TEST(PlannerSnapshotTest, AbsenceAcrossSpringDstChange) {
  DirectoryState state = LondonClinic();
  state.absences["ab-1"] =
      AbsenceProto("ab-1", "th-1", absl::CivilSecond(2027, 3, 27, 23, 30, 20),
                   absl::CivilSecond(2027, 3, 28, 10, 0, 30));
  // Whole minutes stay as they are: 09:00 UTC is 10:00 BST.
  state.absences["ab-2"] =
      AbsenceProto("ab-2", "th-1", absl::CivilSecond(2027, 3, 29, 8, 0, 0),
                   absl::CivilSecond(2027, 3, 29, 9, 0, 0));
  absl::StatusOr<scheduler::Snapshot> snapshot =
      ToPlannerSnapshot(state, kToday);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  const std::vector<scheduler::LocalInterval>& absences =
      snapshot->therapists[0].absences;
  ASSERT_EQ(absences.size(), 2u);
  EXPECT_EQ(absences[0].start, Local(2027, 3, 27, 23, 30));
  EXPECT_EQ(absences[0].end, Local(2027, 3, 28, 11, 1));
  EXPECT_EQ(absences[1].start, Local(2027, 3, 29, 9, 0));
  EXPECT_EQ(absences[1].end, Local(2027, 3, 29, 10, 0));
  EXPECT_TRUE(snapshot->therapists[1].absences.empty());
}

// Back to GMT at 01:00 UTC on 2027-10-31: 00:30 UTC is 01:30 BST, and an
// hour later it is 01:30 GMT again.
TEST(PlannerSnapshotTest, AbsenceAcrossAutumnDstChange) {
  DirectoryState state = LondonClinic();
  state.absences["ab-1"] =
      AbsenceProto("ab-1", "th-2", absl::CivilSecond(2027, 10, 30, 23, 0, 0),
                   absl::CivilSecond(2027, 10, 31, 1, 30, 0));
  absl::StatusOr<scheduler::Snapshot> snapshot =
      ToPlannerSnapshot(state, kToday);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  ASSERT_EQ(snapshot->therapists[1].absences.size(), 1u);
  EXPECT_EQ(snapshot->therapists[1].absences[0].start,
            Local(2027, 10, 31, 0, 0));
  EXPECT_EQ(snapshot->therapists[1].absences[0].end,
            Local(2027, 10, 31, 1, 30));
}

TEST(PlannerSnapshotTest, LeavesOutPastAbsencesAndSortsByStart) {
  DirectoryState state = LondonClinic();
  state.absences["ab-1"] =  // ends before today starts
      AbsenceProto("ab-1", "th-1", absl::CivilSecond(2027, 2, 1, 9, 0, 0),
                   absl::CivilSecond(2027, 3, 1, 0, 0, 0));
  state.absences["ab-2"] =
      AbsenceProto("ab-2", "th-1", absl::CivilSecond(2027, 5, 3, 9, 0, 0),
                   absl::CivilSecond(2027, 5, 3, 12, 0, 0));
  state.absences["ab-3"] =  // started before today, still running
      AbsenceProto("ab-3", "th-1", absl::CivilSecond(2027, 2, 27, 9, 0, 0),
                   absl::CivilSecond(2027, 3, 2, 0, 0, 0));
  state.absences["ab-4"] =  // an unknown therapist: nobody to block
      AbsenceProto("ab-4", "th-99", absl::CivilSecond(2027, 5, 3, 9, 0, 0),
                   absl::CivilSecond(2027, 5, 3, 12, 0, 0));
  absl::StatusOr<scheduler::Snapshot> snapshot =
      ToPlannerSnapshot(state, kToday);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  const std::vector<scheduler::LocalInterval>& absences =
      snapshot->therapists[0].absences;
  ASSERT_EQ(absences.size(), 2u);
  EXPECT_EQ(absences[0].start, Local(2027, 2, 27, 9, 0));
  EXPECT_EQ(absences[1].start, Local(2027, 5, 3, 10, 0));  // BST
}

TEST(PlannerSnapshotTest, ConvertsClosures) {
  DirectoryState state = LondonClinic();
  state.closures["cl-2"].set_id("cl-2");
  *state.closures["cl-2"].mutable_date() =
      common::DayToProto(absl::CivilDay(2027, 12, 25));
  state.closures["cl-1"].set_id("cl-1");
  *state.closures["cl-1"].mutable_date() =
      common::DayToProto(absl::CivilDay(2027, 4, 2));
  absl::StatusOr<scheduler::Snapshot> snapshot =
      ToPlannerSnapshot(state, kToday);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  EXPECT_EQ(snapshot->clinic.closures,
            (std::vector<absl::CivilDay>{absl::CivilDay(2027, 4, 2),
                                         absl::CivilDay(2027, 12, 25)}));
}

TEST(PlannerSnapshotTest, ConvertsTeamsAndSkipsBrokenOnes) {
  DirectoryState state = LondonClinic();
  state.therapists["th-3"] = TherapistProto("th-3", v1::SEX_MALE);
  state.teams["tm-1"].set_id("tm-1");
  state.teams["tm-1"].set_male_therapist_id("th-1");
  state.teams["tm-1"].set_female_therapist_id("th-2");
  state.teams["tm-2"].set_id("tm-2");  // th-3's sex was corrected since
  state.teams["tm-2"].set_male_therapist_id("th-2");
  state.teams["tm-2"].set_female_therapist_id("th-3");
  state.teams["tm-3"].set_id("tm-3");  // names an unknown therapist
  state.teams["tm-3"].set_male_therapist_id("th-1");
  state.teams["tm-3"].set_female_therapist_id("th-99");
  absl::StatusOr<scheduler::Snapshot> snapshot =
      ToPlannerSnapshot(state, kToday);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  EXPECT_EQ(
      snapshot->teams,
      (std::vector<scheduler::Team>{{.male_id = "th-1", .female_id = "th-2"}}));
}

TEST(PlannerSnapshotTest, ConvertsRoomsKindsOutagesAndInactiveRooms) {
  DirectoryState state = LondonClinic();
  state.rooms["rm-1"] = RoomProto("rm-1", true, {v1::ROOM_KIND_JOINT});
  state.rooms["rm-2"] =
      RoomProto("rm-2", true, {v1::ROOM_KIND_INDIVIDUAL, v1::ROOM_KIND_JOINT});
  state.rooms["rm-3"] = RoomProto("rm-3", false, {v1::ROOM_KIND_INDIVIDUAL});
  v1::RoomOutage& outage = state.room_outages["ro-1"];
  outage.set_id("ro-1");
  outage.set_room_id("rm-1");
  *outage.mutable_start_time() = Utc(absl::CivilSecond(2027, 6, 1, 7, 59, 59));
  *outage.mutable_end_time() = Utc(absl::CivilSecond(2027, 6, 1, 12, 0, 1));
  absl::StatusOr<scheduler::Snapshot> snapshot =
      ToPlannerSnapshot(state, kToday);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  ASSERT_EQ(snapshot->rooms.size(), 3u);
  EXPECT_EQ(snapshot->rooms[0].id, "rm-1");
  EXPECT_EQ(snapshot->rooms[0].capacity, 4);
  EXPECT_EQ(snapshot->rooms[0].kinds,
            std::vector<scheduler::RoomKind>{scheduler::RoomKind::kJoint});
  ASSERT_EQ(snapshot->rooms[0].out_of_service.size(), 1u);
  EXPECT_EQ(snapshot->rooms[0].out_of_service[0].start,
            Local(2027, 6, 1, 8, 59));
  EXPECT_EQ(snapshot->rooms[0].out_of_service[0].end, Local(2027, 6, 1, 13, 1));
  EXPECT_EQ(snapshot->rooms[1].kinds,
            (std::vector<scheduler::RoomKind>{scheduler::RoomKind::kIndividual,
                                              scheduler::RoomKind::kJoint}));
  EXPECT_TRUE(snapshot->rooms[1].out_of_service.empty());
  // Inactive: kept, but out of service from today beyond any horizon.
  ASSERT_EQ(snapshot->rooms[2].out_of_service.size(), 1u);
  EXPECT_EQ(snapshot->rooms[2].out_of_service[0].start,
            absl::CivilMinute(kToday));
  EXPECT_GT(snapshot->rooms[2].out_of_service[0].end,
            absl::CivilMinute(kToday + 3660));
}

TEST(PlannerSnapshotTest, BadTimeZoneIsAnError) {
  DirectoryState state = LondonClinic();
  state.clinic_settings.set_time_zone("Europe/Atlantis");
  absl::StatusOr<scheduler::Snapshot> snapshot =
      ToPlannerSnapshot(state, kToday);
  EXPECT_EQ(snapshot.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(snapshot.status().message().find("Europe/Atlantis"),
            std::string::npos);
  state.clinic_settings.clear_time_zone();
  EXPECT_EQ(ClinicTimeZone(state).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(PlannerSnapshotTest, UnspecifiedEnumsAreErrorsNamingTheResource) {
  DirectoryState state = LondonClinic();
  state.rooms["rm-1"] = RoomProto("rm-1", true, {v1::ROOM_KIND_UNSPECIFIED});
  absl::StatusOr<scheduler::Snapshot> snapshot =
      ToPlannerSnapshot(state, kToday);
  EXPECT_EQ(snapshot.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(snapshot.status().message().find("rooms[rm-1].kinds[0]"),
            std::string::npos)
      << snapshot.status();
}

// ---- The replica's state: applying changes. ----

v1::Change AbsenceChange(int64_t revision, v1::ChangeKind kind,
                         const v1::Absence& absence) {
  v1::Change change;
  change.set_revision(revision);
  change.set_kind(kind);
  *change.mutable_absence() = absence;
  return change;
}

TEST(ApplyChangeTest, UpsertsDeletesAndIgnoresOldRevisions) {
  DirectoryState state = LondonClinic();
  const v1::Absence absence =
      AbsenceProto("ab-1", "th-1", absl::CivilSecond(2027, 5, 3, 9, 0, 0),
                   absl::CivilSecond(2027, 5, 3, 12, 0, 0));
  ASSERT_TRUE(
      ApplyChange(AbsenceChange(8, v1::CHANGE_KIND_UPSERT, absence), state)
          .ok());
  EXPECT_EQ(state.revision, 8);
  EXPECT_TRUE(state.absences.contains("ab-1"));
  // Re-applying what the state already reflects changes nothing.
  ASSERT_TRUE(
      ApplyChange(AbsenceChange(7, v1::CHANGE_KIND_DELETE, absence), state)
          .ok());
  EXPECT_TRUE(state.absences.contains("ab-1"));
  ASSERT_TRUE(
      ApplyChange(AbsenceChange(9, v1::CHANGE_KIND_DELETE, absence), state)
          .ok());
  EXPECT_FALSE(state.absences.contains("ab-1"));
  EXPECT_EQ(state.revision, 9);
}

TEST(ApplyChangeTest, AGapIsFailedPrecondition) {
  DirectoryState state = LondonClinic();
  const absl::Status status = ApplyChange(
      AbsenceChange(9, v1::CHANGE_KIND_UPSERT, v1::Absence()), state);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(state.revision, 7);
}

TEST(DiffStatesTest, ReportsUpsertsAndDeletesWithLastState) {
  DirectoryState before = LondonClinic();
  before.absences["ab-1"] =
      AbsenceProto("ab-1", "th-1", absl::CivilSecond(2027, 5, 3, 9, 0, 0),
                   absl::CivilSecond(2027, 5, 3, 12, 0, 0));
  DirectoryState after = LondonClinic();
  after.revision = 12;
  after.therapists["th-2"].set_active(false);
  after.absences["ab-2"] =
      AbsenceProto("ab-2", "th-2", absl::CivilSecond(2027, 5, 4, 9, 0, 0),
                   absl::CivilSecond(2027, 5, 4, 12, 0, 0));
  const std::vector<v1::Change> changes = DiffStates(before, after);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].therapist().id(), "th-2");
  EXPECT_EQ(changes[0].kind(), v1::CHANGE_KIND_UPSERT);
  EXPECT_EQ(changes[1].absence().id(), "ab-2");
  EXPECT_EQ(changes[1].kind(), v1::CHANGE_KIND_UPSERT);
  EXPECT_EQ(changes[2].absence().id(), "ab-1");
  EXPECT_EQ(changes[2].kind(), v1::CHANGE_KIND_DELETE);
  EXPECT_EQ(changes[2].absence().therapist_id(), "th-1");
  for (const v1::Change& change : changes) EXPECT_EQ(change.revision(), 12);
}

}  // namespace
}  // namespace tandem::booking
