#include "services/common/proto_time.h"

#include <gtest/gtest.h>

namespace tandem::common {
namespace {

TEST(ProtoTimeTest, DatesAreValidated) {
  tandem::common::v1::Date date;
  date.set_year(2027);
  date.set_month(2);
  date.set_day(30);
  auto day = DayFromProto(date, "closure.date");
  ASSERT_FALSE(day.ok());
  EXPECT_NE(day.status().message().find("closure.date"), std::string::npos);
  date.set_day(28);
  EXPECT_EQ(*DayFromProto(date, "d"), absl::CivilDay(2027, 2, 28));
  EXPECT_EQ(DayToProto(absl::CivilDay(2027, 2, 28)).day(), 28);
}

TEST(ProtoTimeTest, TimesOfDayAllowEndOfDayOnly) {
  tandem::common::v1::TimeOfDay t;
  t.set_hours(24);
  EXPECT_EQ(*MinuteOfDayFromProto(t, "t"), 1440);
  t.set_minutes(1);
  EXPECT_FALSE(MinuteOfDayFromProto(t, "t").ok());
  EXPECT_EQ(MinuteOfDayToProto(615).hours(), 10);
  EXPECT_EQ(MinuteOfDayToProto(615).minutes(), 15);
}

TEST(ProtoTimeTest, TimestampsRoundTrip) {
  absl::Time t = absl::FromUnixMicros(1790000000123456);
  EXPECT_EQ(FromProto(ToProto(t)), t);
  google::protobuf::Timestamp bad;
  bad.set_nanos(-1);
  EXPECT_FALSE(TimeFromProto(bad, "start_time").ok());
}

}  // namespace
}  // namespace tandem::common
