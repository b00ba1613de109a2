#include "services/gateway/backend_routes.h"

#include <gtest/gtest.h>

namespace tandem::gateway {
namespace {

TEST(RouteServiceTest, EachPackageGoesToItsBackend) {
  EXPECT_EQ(RouteService("tandem.directory.v1.DirectoryService"),
            Backend::kDirectory);
  EXPECT_EQ(RouteService("tandem.booking.v1.BookingService"), Backend::kBooking);
  EXPECT_EQ(RouteService("tandem.followup.v1.FollowupService"),
            Backend::kFollowup);
  EXPECT_EQ(RouteService("tandem.roster.v1.RosterService"), Backend::kRoster);
}

TEST(RouteServiceTest, ServicesOnEveryBackendAndUnknownOnesAreNotRouted) {
  for (const char* service :
       {"tandem.audit.v1.AuditService", "tandem.admin.v1.AdminService",
        "grpc.health.v1.Health",
        "grpc.reflection.v1alpha.ServerReflection", "tandem.directory.v1.",
        "tandem.directory.v2.DirectoryService", "xtandem.directory.v1.X",
        "tandem.directoryx.v1.X", ""}) {
    EXPECT_EQ(RouteService(service), std::nullopt) << service;
  }
}

TEST(BackendNameTest, Names) {
  EXPECT_EQ(BackendName(Backend::kDirectory), "directory");
  EXPECT_EQ(BackendName(Backend::kRoster), "roster");
}

TEST(ParseMethodPathTest, SplitsServiceAndMethod) {
  std::optional<MethodPath> path =
      ParseMethodPath("/tandem.directory.v1.DirectoryService/ListRooms");
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(path->service, "tandem.directory.v1.DirectoryService");
  EXPECT_EQ(path->method, "ListRooms");
}

TEST(ParseMethodPathTest, RefusesOtherShapes) {
  for (const char* path :
       {"", "/", "/a", "/a/", "//b", "/a/b/c", "a/b", "/a..b/C", "/a./C",
        "/.a/C", "/a/b c", "/a/b%20", "/tandem.x.v1.S/M?x=1", "/1a/B",
        "/a/B\n"}) {
    EXPECT_FALSE(ParseMethodPath(path).has_value()) << path;
  }
  EXPECT_FALSE(ParseMethodPath("/" + std::string(300, 'a') + "/B").has_value());
}

}  // namespace
}  // namespace tandem::gateway
