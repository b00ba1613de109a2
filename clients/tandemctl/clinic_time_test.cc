#include "clients/tandemctl/clinic_time.h"

#include "gtest/gtest.h"
#include "services/common/proto_time.h"

namespace tandem::cli {
namespace {

absl::TimeZone London() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/London", &zone));
  return zone;
}

TEST(ClinicTime, FormatsInTheClinicZone) {
  ClinicTime clinic(London());
  // 2026-07-01 08:00 UTC is 09:00 BST.
  const absl::Time t = absl::FromCivil(absl::CivilMinute(2026, 7, 1, 8, 0),
                                       absl::UTCTimeZone());
  EXPECT_EQ(clinic.DateTime(t), "2026-07-01 09:00");
  EXPECT_EQ(clinic.Clock(t), "09:00");
  EXPECT_EQ(clinic.Range(common::ToProto(t),
                         common::ToProto(t + absl::Minutes(90))),
            "2026-07-01 09:00-10:30");
  EXPECT_EQ(clinic.ClockRange(common::ToProto(t),
                              common::ToProto(t + absl::Hours(16))),
            "09:00-01:00+1");
}

TEST(ClinicTime, SpansOfWholeDaysShowDatesInclusive) {
  ClinicTime clinic(London());
  auto at = [&](absl::CivilSecond c) {
    return common::ToProto(clinic.zone().At(c).pre);
  };
  EXPECT_EQ(clinic.Span(at(absl::CivilSecond(2026, 12, 1, 0, 0, 0)),
                        at(absl::CivilSecond(2026, 12, 6, 0, 0, 0))),
            "2026-12-01 to 2026-12-05");
  EXPECT_EQ(clinic.Span(at(absl::CivilSecond(2026, 7, 1, 0, 0, 0)),
                        at(absl::CivilSecond(2026, 7, 2, 0, 0, 0))),
            "2026-07-01");
  EXPECT_EQ(clinic.Span(at(absl::CivilSecond(2026, 12, 1, 13, 0, 0)),
                        at(absl::CivilSecond(2026, 12, 1, 17, 0, 0))),
            "2026-12-01 13:00-17:00");
}

TEST(ClinicTime, ParsesLocalTimesTypedByPeople) {
  ClinicTime clinic(London());
  const absl::Time expected = absl::FromCivil(
      absl::CivilMinute(2026, 12, 1, 9, 0), absl::UTCTimeZone());  // GMT
  EXPECT_EQ(*clinic.ParseLocal("2026-12-01T09:00", "--start"), expected);
  EXPECT_EQ(*clinic.ParseLocal("2026-12-01 09:00", "--start"), expected);
  EXPECT_EQ(*clinic.ParseLocal("2026-12-01T09:00:00", "--start"), expected);
  auto bad = clinic.ParseLocal("tomorrow 9am", "--start");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("--start"), std::string::npos);
  EXPECT_FALSE(clinic.ParseLocal("2026-02-30T09:00", "--start").ok());
}

TEST(ClinicTime, SkippedTimeResolvesAfterTheGap) {
  ClinicTime clinic(London());
  // 2026-03-29 01:30 does not exist in London (01:00 -> 02:00).
  auto t = clinic.ParseLocal("2026-03-29T01:30", "--start");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(clinic.DateTime(*t), "2026-03-29 02:00");
}

TEST(ParseDay, DatesAndWordsRelativeToToday) {
  const absl::CivilDay today(2026, 11, 23);
  EXPECT_EQ(*ParseDay("2026-12-01", today, "--date"),
            absl::CivilDay(2026, 12, 1));
  EXPECT_EQ(*ParseDay("today", today, "--date"), today);
  EXPECT_EQ(*ParseDay("Tomorrow", today, "--date"), today + 1);
  EXPECT_EQ(*ParseDay("+7", today, "--date"), today + 7);
  EXPECT_EQ(*ParseDay("-1", today, "--date"), today - 1);
  EXPECT_FALSE(ParseDay("1/12/2026", today, "--date").ok());
  EXPECT_FALSE(ParseDay("2026-02-30", today, "--date").ok());
}

TEST(WeeklyHours, ParsesRangesAndFormatsThemBack) {
  auto hours = ParseWeeklyHours("mon-fri=08:00-18:00, sat=09:00-13:00",
                                "--hours");
  ASSERT_TRUE(hours.ok()) << hours.status();
  ASSERT_EQ(hours->size(), 6u);
  EXPECT_EQ((*hours)[0].weekday(), tandem::common::v1::WEEKDAY_MONDAY);
  EXPECT_EQ((*hours)[5].weekday(), tandem::common::v1::WEEKDAY_SATURDAY);
  EXPECT_EQ((*hours)[5].end_time().hours(), 13);
  google::protobuf::RepeatedPtrField<tandem::common::v1::WeeklyHours> field(
      hours->begin(), hours->end());
  EXPECT_EQ(FormatWeeklyHours(field), "Mon-Fri 08:00-18:00, Sat 09:00-13:00");
}

TEST(WeeklyHours, RejectsOverlapsBadTimesAndReversedRanges) {
  EXPECT_FALSE(ParseWeeklyHours("mon-fri=08:00-18:00,fri=09:00-10:00", "h")
                   .ok());
  EXPECT_FALSE(ParseWeeklyHours("mon=18:00-08:00", "h").ok());
  EXPECT_FALSE(ParseWeeklyHours("mon=8-18", "h").ok());
  EXPECT_FALSE(ParseWeeklyHours("fri-mon=08:00-18:00", "h").ok());
  EXPECT_TRUE(ParseWeeklyHours("none", "h")->empty());
}

TEST(Length, ParsesAndFormats) {
  EXPECT_EQ(*ParseLength("30m", "d"), absl::Minutes(30));
  EXPECT_EQ(*ParseLength("45", "d"), absl::Minutes(45));
  EXPECT_EQ(*ParseLength("2d", "d"), absl::Hours(48));
  EXPECT_FALSE(ParseLength("0", "d").ok());
  EXPECT_FALSE(ParseLength("soon", "d").ok());
  EXPECT_EQ(FormatLength(absl::Minutes(90)), "1 h 30 min");
  EXPECT_EQ(FormatLength(absl::Minutes(20)), "20 min");
  EXPECT_EQ(FormatLength(absl::Hours(72)), "3 days");
}

}  // namespace
}  // namespace tandem::cli
