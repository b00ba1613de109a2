#include "services/directory/validation.h"

#include <gtest/gtest.h>

#include "services/common/text_proto.h"

namespace tandem::directory {
namespace {

template <typename T>
T Parse(const std::string& text) {
  return common::ParseTextProto<T>(text);
}

void ExpectInvalid(const absl::Status& status, absl::string_view field) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_NE(status.message().find(field), absl::string_view::npos) << status;
}

const char kGoodSettings[] = R"pb(
  display_name: "Riverside"
  time_zone: "Europe/London"
  booking_grid_minutes: 15
  opening_hours {
    weekday: WEEKDAY_MONDAY
    start_time { hours: 8 }
    end_time { hours: 18 }
  }
)pb";

TEST(ValidationTest, ClinicSettings) {
  EXPECT_TRUE(
      ValidateClinicSettings(Parse<v1::ClinicSettings>(kGoodSettings)).ok());
  auto bad_zone = Parse<v1::ClinicSettings>(kGoodSettings);
  bad_zone.set_time_zone("Mars/Olympus");
  ExpectInvalid(ValidateClinicSettings(bad_zone), "settings.time_zone");
  auto backwards = Parse<v1::ClinicSettings>(kGoodSettings);
  backwards.mutable_opening_hours(0)->mutable_end_time()->set_hours(7);
  ExpectInvalid(ValidateClinicSettings(backwards),
                "settings.opening_hours[0].end_time");
  auto twice = Parse<v1::ClinicSettings>(kGoodSettings);
  *twice.add_opening_hours() = twice.opening_hours(0);
  ExpectInvalid(ValidateClinicSettings(twice),
                "settings.opening_hours[1].weekday");
  auto grid = Parse<v1::ClinicSettings>(kGoodSettings);
  grid.set_booking_grid_minutes(7);
  ExpectInvalid(ValidateClinicSettings(grid), "settings.booking_grid_minutes");
}

const char kGoodTherapist[] = R"pb(
  display_name: "J. Rao"
  sex: SEX_MALE
  languages: "en"
  languages: "ta"
  daily_session_minutes_cap: 360
  active: true
)pb";

TEST(ValidationTest, Therapist) {
  EXPECT_TRUE(ValidateTherapist(Parse<v1::Therapist>(kGoodTherapist)).ok());
  auto no_sex = Parse<v1::Therapist>(kGoodTherapist);
  no_sex.clear_sex();
  ExpectInvalid(ValidateTherapist(no_sex), "therapist.sex");
  auto bad_language = Parse<v1::Therapist>(kGoodTherapist);
  bad_language.set_languages(1, "Tamil");
  ExpectInvalid(ValidateTherapist(bad_language), "therapist.languages[1]");
  auto cap = Parse<v1::Therapist>(kGoodTherapist);
  cap.set_daily_session_minutes_cap(0);
  ExpectInvalid(ValidateTherapist(cap), "therapist.daily_session_minutes_cap");
  auto name = Parse<v1::Therapist>(kGoodTherapist);
  name.set_display_name("");
  ExpectInvalid(ValidateTherapist(name), "therapist.display_name");
}

TEST(ValidationTest, Room) {
  auto room = Parse<v1::Room>(R"pb(display_name: "Room 2"
                                   capacity: 4
                                   kinds: ROOM_KIND_JOINT
                                   active: true)pb");
  EXPECT_TRUE(ValidateRoom(room).ok());
  room.set_capacity(0);
  ExpectInvalid(ValidateRoom(room), "room.capacity");
  room.set_capacity(4);
  room.add_kinds(v1::ROOM_KIND_JOINT);
  ExpectInvalid(ValidateRoom(room), "room.kinds[1]");
}

TEST(ValidationTest, TeamNeedsActiveMaleAndFemale) {
  auto male = Parse<v1::Therapist>(kGoodTherapist);
  auto female = male;
  female.set_sex(v1::SEX_FEMALE);
  EXPECT_TRUE(ValidateTeamMembers(male, female).ok());
  ExpectInvalid(ValidateTeamMembers(male, male), "team.female_therapist_id");
  ExpectInvalid(ValidateTeamMembers(female, female), "team.male_therapist_id");
  female.set_active(false);
  ExpectInvalid(ValidateTeamMembers(male, female), "team.female_therapist_id");
}

TEST(ValidationTest, IntervalMustMoveForwardAndStayBounded) {
  google::protobuf::Timestamp start, end;
  start.set_seconds(1800000000);
  end.set_seconds(1800000000 - 60);
  ExpectInvalid(ValidateInterval(start, end, "absence").status(),
                "absence.end_time");
  end.set_seconds(1800000000 + 3600);
  EXPECT_TRUE(ValidateInterval(start, end, "absence").ok());
  end.set_seconds(1800000000 + 401LL * 86400);
  ExpectInvalid(ValidateInterval(start, end, "absence").status(),
                "absence.end_time");
}

}  // namespace
}  // namespace tandem::directory
