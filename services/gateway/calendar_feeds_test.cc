#include "services/gateway/calendar_feeds.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace tandem::gateway {
namespace {

TEST(CalendarFeedTokenTest, TakesTheTokenOfAFeedPath) {
  EXPECT_EQ(CalendarFeedToken("/calendar/dGgtOHwx.Abc-_9.ics"),
            std::optional<std::string>("dGgtOHwx.Abc-_9"));
}

TEST(CalendarFeedTokenTest, RefusesOtherShapes) {
  for (const char* path :
       {"/calendar/", "/calendar/.ics", "/calendar/abc", "/calendar/abc.ical",
        "/calendar/a/b.ics", "/calendar/a%2Fb.ics", "/calendar/../x.ics/",
        "/calendars/abc.ics", "/calendar/a b.ics"}) {
    EXPECT_EQ(CalendarFeedToken(path), std::nullopt) << path;
  }
  EXPECT_EQ(CalendarFeedToken("/calendar/" + std::string(513, 'a') + ".ics"),
            std::nullopt);
}

}  // namespace
}  // namespace tandem::gateway
