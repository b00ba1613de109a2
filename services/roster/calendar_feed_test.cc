#include "services/roster/calendar_feed.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "services/roster/roster_test_inputs.h"

namespace tandem::roster {
namespace {

using testing::SmallClinic;

const absl::Time kNow = absl::FromUnixSeconds(1795000000);

std::string Feed(const RosterInputs& in, const std::string& therapist) {
  absl::StatusOr<std::string> feed = BuildCalendarFeed(in, therapist, kNow);
  EXPECT_TRUE(feed.ok()) << feed.status();
  return feed.value_or("");
}

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

TEST(CalendarFeedTest, LocalTimesWithTheClinicsZone) {
  const std::string feed = Feed(SmallClinic(), "th-1");
  EXPECT_TRUE(absl::StartsWith(feed, "BEGIN:VCALENDAR\r\n"));
  EXPECT_TRUE(absl::EndsWith(feed, "END:VCALENDAR\r\n"));
  for (absl::string_view line : absl::StrSplit(feed, "\r\n")) {
    EXPECT_FALSE(absl::StrContains(line, "\n")) << "bare LF in: " << line;
  }
  EXPECT_NE(feed.find("BEGIN:VTIMEZONE\r\nTZID:Europe/London"),
            std::string::npos);
  // The summer of 2026 and 2027 lies within a year of the range.
  EXPECT_NE(feed.find("TZOFFSETTO:+0100"), std::string::npos);
  EXPECT_NE(feed.find("DTSTART;TZID=Europe/London:20261202T090000"),
            std::string::npos);
  EXPECT_NE(feed.find("DTEND;TZID=Europe/London:20261202T103000"),
            std::string::npos);
  EXPECT_EQ(Count(feed, "BEGIN:VEVENT"), 3);
}

TEST(CalendarFeedTest, NeutralWordsAndNoClientData) {
  const std::string feed = Feed(SmallClinic(), "th-1");
  EXPECT_NE(feed.find("SUMMARY:Session (Room 1) with co-therapist J. Rao"),
            std::string::npos)
      << feed;
  EXPECT_NE(feed.find("SUMMARY:Phone call"), std::string::npos);
  EXPECT_NE(feed.find("DESCRIPTION:Booking reference in-1"), std::string::npos);
  for (const char* secret : {"A.K.", "Anna", "Kowal", "Ten-day", "+44"}) {
    EXPECT_EQ(feed.find(secret), std::string::npos) << secret;
  }
}

TEST(CalendarFeedTest, StableUidsAndGrowingSequence) {
  RosterInputs in = SmallClinic();
  const std::string before = Feed(in, "th-1");
  EXPECT_NE(before.find("UID:in-1.d3.joint@tandem"), std::string::npos);
  EXPECT_NE(before.find("UID:ap-1@tandem"), std::string::npos);
  EXPECT_NE(before.find("STATUS:TENTATIVE"), std::string::npos);

  // Rescheduled: the old session is cancelled, a new one takes its key.
  const std::string old_sequence = "SEQUENCE:" +
      std::to_string(absl::ToInt64Seconds(
          common::FromProto(in.intensives["in-1"].update_time()) -
          absl::FromUnixSeconds(1704067200)));
  EXPECT_NE(before.find(old_sequence), std::string::npos) << before;
  in.sessions[0].set_status(bk::SESSION_STATUS_CANCELLED);
  bk::Session moved = testing::MakeSession(in, "se-9", 3, 11,
                                           bk::SESSION_KIND_JOINT);
  in.sessions.push_back(moved);
  *in.intensives["in-1"].mutable_update_time() = testing::At(in, 11, 21, 9);
  const std::string after = Feed(in, "th-1");
  EXPECT_EQ(Count(after, "UID:in-1.d3.joint@tandem"), 1);
  EXPECT_NE(after.find("DTSTART;TZID=Europe/London:20261203T110000"),
            std::string::npos);
  EXPECT_EQ(after.find(old_sequence), std::string::npos);
  EXPECT_EQ(after.find("STATUS:CANCELLED"), std::string::npos);

  // Cancelled for good: stays in the feed, cancelled.
  in.sessions.pop_back();
  EXPECT_NE(Feed(in, "th-1").find("STATUS:CANCELLED"), std::string::npos);
}

TEST(CalendarFeedTest, AZoneWithoutDaylightSavingHasOneObservance) {
  RosterInputs in = SmallClinic();
  absl::LoadTimeZone("Asia/Tokyo", &in.zone);
  const std::string feed = Feed(in, "th-1");
  EXPECT_EQ(Count(feed, "BEGIN:STANDARD"), 1);
  EXPECT_EQ(Count(feed, "BEGIN:DAYLIGHT"), 0);
  EXPECT_NE(feed.find("TZOFFSETTO:+0900"), std::string::npos);
}

TEST(ShortNameTest, InitialOfTheFirstName) {
  EXPECT_EQ(ShortName("Jaya Rao"), "J. Rao");
  EXPECT_EQ(ShortName("Jan van Dijk"), "J. van Dijk");
  EXPECT_EQ(ShortName("Madonna"), "Madonna");
}

}  // namespace
}  // namespace tandem::roster
