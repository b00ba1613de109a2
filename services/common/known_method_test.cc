#include "services/common/known_method.h"

#include <gtest/gtest.h>

#include "tandem/booking/v1/booking_service.grpc.pb.h"

namespace tandem::common {
namespace {

TEST(IdentifyMethodTest, KnownMethodsKeepTheirNames) {
  const KnownMethod known =
      IdentifyMethod("/tandem.booking.v1.BookingService/GetCouple");
  EXPECT_TRUE(known.known());
  EXPECT_EQ(known.service, "tandem.booking.v1.BookingService");
  EXPECT_EQ(known.method, "GetCouple");
  EXPECT_EQ(known.path(), "/tandem.booking.v1.BookingService/GetCouple");
  EXPECT_EQ(IdentifyMethod("/grpc.health.v1.Health/Check").path(),
            "/grpc.health.v1.Health/Check");
}

TEST(IdentifyMethodTest, AnythingElseIsUnknown) {
  for (const char* path :
       {"/tandem.booking.v1.BookingService/Ada Lovelace",
        "/Ada.Lovelace/GetCouple", "/grpc.health.v1.Health/List", "",
        "/", "//", "/x/", "no-slash", "/tandem.booking.v1.BookingService"}) {
    const KnownMethod known = IdentifyMethod(path);
    EXPECT_FALSE(known.known()) << path;
    EXPECT_EQ(known.path(), "unknown") << path;
    EXPECT_EQ(known.method, "unknown") << path;
  }
  EXPECT_EQ(IdentifyMethod(nullptr).path(), "unknown");
}

}  // namespace
}  // namespace tandem::common
