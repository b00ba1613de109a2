#include "services/followup/delivery/quiet_hours.h"

#include <gtest/gtest.h>

#include "absl/time/civil_time.h"

namespace tandem::followup::delivery {
namespace {

class QuietHoursTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin_));
  }
  absl::Time Berlin(int y, int mo, int d, int h, int mi = 0) const {
    return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), berlin_);
  }
  static absl::Time Utc(int y, int mo, int d, int h, int mi = 0) {
    return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0),
                           absl::UTCTimeZone());
  }

  absl::TimeZone berlin_;
  SendWindow window_;  // 08:00-21:00
};

TEST_F(QuietHoursTest, InsideTheWindowIsUnchangedStartInclusiveEndExclusive) {
  for (absl::Time t : {Berlin(2027, 3, 10, 12), Berlin(2027, 3, 10, 8),
                       Berlin(2027, 3, 10, 20, 59)}) {
    EXPECT_EQ(NextSendTime(t, berlin_, window_), t);
  }
  EXPECT_EQ(NextSendTime(Berlin(2027, 3, 10, 21), berlin_, window_),
            Berlin(2027, 3, 11, 8));
}

TEST_F(QuietHoursTest, EarlyMorningWaitsForTodaysStartLateEveningForTomorrows) {
  EXPECT_EQ(NextSendTime(Berlin(2027, 3, 10, 6, 30), berlin_, window_),
            Berlin(2027, 3, 10, 8));
  EXPECT_EQ(NextSendTime(Berlin(2027, 3, 10, 23, 45), berlin_, window_),
            Berlin(2027, 3, 11, 8));
  EXPECT_EQ(NextSendTime(Berlin(2027, 3, 10, 0, 0), berlin_, window_),
            Berlin(2027, 3, 10, 8));
}

TEST_F(QuietHoursTest, SpringForwardNightIsAnHourShorter) {
  // Sat 27 March 2027 22:30 CET (UTC+1); clocks go 02:00 -> 03:00 on Sunday.
  const absl::Time due = Berlin(2027, 3, 27, 22, 30);
  ASSERT_EQ(due, Utc(2027, 3, 27, 21, 30));
  const absl::Time sent = NextSendTime(due, berlin_, window_);
  EXPECT_EQ(sent, Utc(2027, 3, 28, 6, 0));  // 08:00 CEST (UTC+2)
  EXPECT_EQ(absl::FormatTime("%H:%M %Z", sent, berlin_), "08:00 CEST");
  EXPECT_EQ(sent - due, absl::Hours(8) + absl::Minutes(30));
}

TEST_F(QuietHoursTest, FallBackNightIsAnHourLonger) {
  // Sat 30 October 2027 22:00 CEST; clocks go 03:00 -> 02:00 on Sunday.
  const absl::Time due = Berlin(2027, 10, 30, 22);
  const absl::Time sent = NextSendTime(due, berlin_, window_);
  EXPECT_EQ(sent, Utc(2027, 10, 31, 7, 0));  // 08:00 CET (UTC+1)
  EXPECT_EQ(sent - due, absl::Hours(11));
}

TEST_F(QuietHoursTest, WindowStartInTheGapOrTheRepeatedHour) {
  const SendWindow night = *SendWindow::Make(2 * 60 + 30, 21 * 60);
  // 02:30 does not exist on 28 March 2027: the first instant after the gap.
  EXPECT_EQ(NextSendTime(Berlin(2027, 3, 28, 1), berlin_, night),
            Utc(2027, 3, 28, 1, 0));  // 03:00 CEST
  // 02:30 happens twice on 31 October 2027: the first one (CEST).
  EXPECT_EQ(NextSendTime(Utc(2027, 10, 30, 22, 0), berlin_, night),
            Utc(2027, 10, 31, 0, 30));
}

TEST_F(QuietHoursTest, OtherZonesUseTheirOwnWallClock) {
  absl::TimeZone new_york;
  ASSERT_TRUE(absl::LoadTimeZone("America/New_York", &new_york));
  // 12:00 UTC is 08:00 in New York (EDT) but 14:00 in Berlin.
  const absl::Time noon_utc = Utc(2027, 6, 1, 12);
  EXPECT_EQ(NextSendTime(noon_utc, new_york, window_), noon_utc);
  EXPECT_EQ(NextSendTime(noon_utc - absl::Minutes(1), new_york, window_),
            noon_utc);
}

TEST(SendWindowTest, MakeValidates) {
  EXPECT_TRUE(SendWindow::Make(0, 24 * 60).ok());
  EXPECT_FALSE(SendWindow::Make(9 * 60, 9 * 60).ok());
  EXPECT_FALSE(SendWindow::Make(21 * 60, 8 * 60).ok());
  EXPECT_FALSE(SendWindow::Make(-1, 60).ok());
  EXPECT_FALSE(SendWindow::Make(60, 24 * 60 + 1).ok());
}

TEST(TooLateTest, EventTooNearOrPastOrUnknown) {
  const absl::Time t = absl::FromUnixSeconds(1800000000);
  const absl::Duration margin = absl::Hours(2);
  EXPECT_FALSE(IsTooLate(t, t + absl::Hours(3), margin));
  EXPECT_FALSE(IsTooLate(t, t + absl::Hours(2), margin));
  EXPECT_TRUE(IsTooLate(t, t + absl::Hours(1), margin));
  EXPECT_TRUE(IsTooLate(t, t - absl::Hours(1), margin));
  EXPECT_FALSE(IsTooLate(t, std::nullopt, margin));
}

}  // namespace
}  // namespace tandem::followup::delivery
