#include "services/directory/ics_import.h"

#include <gtest/gtest.h>

namespace tandem::directory {
namespace {

constexpr char kCalendar[] =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    "BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20271225\r\n"
    "DTEND;VALUE=DATE:20271227\r\nSUMMARY:Christmas\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:b\r\nDTSTART;VALUE=DATE:20270101\r\n"
    "SUMMARY:New Year\r\nRRULE:FREQ=YEARLY;COUNT=2\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:c\r\nDTSTART:20270301T100000Z\r\n"
    "DTEND:20270301T110000Z\r\nSUMMARY:Staff meeting\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n";

TEST(IcsImportTest, AllDayEventsBecomeSortedDays) {
  auto days = ParseHolidayCalendar(kCalendar);
  ASSERT_TRUE(days.ok()) << days.status();
  ASSERT_EQ(days->size(), 4u);
  EXPECT_EQ((*days)[0].day, absl::CivilDay(2027, 1, 1));
  EXPECT_EQ((*days)[0].label, "New Year");
  EXPECT_EQ((*days)[1].day, absl::CivilDay(2027, 12, 25));
  EXPECT_EQ((*days)[2].day, absl::CivilDay(2027, 12, 26));  // DTEND exclusive
  EXPECT_EQ((*days)[3].day, absl::CivilDay(2028, 1, 1));    // RRULE
}

TEST(IcsImportTest, RejectsWhatIsNotACalendar) {
  EXPECT_EQ(ParseHolidayCalendar("").status().code(),
            absl::StatusCode::kInvalidArgument);
  auto status = ParseHolidayCalendar("hello, world").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("ics_content"), absl::string_view::npos);
}

}  // namespace
}  // namespace tandem::directory
