// Every RPC of every service has a role rule (a method missing from a
// policy is refused to everyone, so a new RPC cannot be shipped open or
// silently unusable), and the rules hold what the issue promises: internal
// streams only for services, couples never for administrators, settings
// never for therapists, everything about couples audited.
#include <gtest/gtest.h>

#include "services/booking/booking_access_policy.h"
#include "services/directory/directory_access_policy.h"
#include "services/followup/followup_access_policy.h"
#include "services/roster/roster_access_policy.h"
#include "tandem/booking/v1/booking_service.grpc.pb.h"
#include "tandem/directory/v1/directory_service.grpc.pb.h"
#include "tandem/followup/v1/followup_service.grpc.pb.h"
#include "tandem/roster/v1/roster_service.grpc.pb.h"

namespace tandem {
namespace {

using common::AccessPolicy;
using common::Audit;
using common::Caller;
using common::Role;

const google::protobuf::ServiceDescriptor& Service(const char* full_name) {
  const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          full_name);
  EXPECT_NE(service, nullptr) << full_name;
  return *service;
}

struct Case {
  const AccessPolicy* policy;
  const char* service;
};

std::vector<Case> AllPolicies() {
  return {
      {&directory::DirectoryAccessPolicy(),
       "tandem.directory.v1.DirectoryService"},
      {&booking::BookingAccessPolicy(), "tandem.booking.v1.BookingService"},
      {&followup::FollowUpAccessPolicy(),
       "tandem.followup.v1.FollowUpService"},
      {&roster::RosterAccessPolicy(), "tandem.roster.v1.RosterService"},
  };
}

Caller As(Role role) { return Caller{"test", {role}, "th-1"}; }

TEST(AccessPoliciesTest, EveryMethodHasARule) {
  for (const Case& c : AllPolicies()) {
    EXPECT_TRUE(c.policy->Missing(Service(c.service)).empty())
        << c.service << " misses "
        << ::testing::PrintToString(c.policy->Missing(Service(c.service)));
  }
}

TEST(AccessPoliciesTest, AnUnlistedMethodIsRefusedToEveryone) {
  const AccessPolicy& policy = booking::BookingAccessPolicy();
  for (Role role :
       {Role::kAdmin, Role::kCoordinator, Role::kTherapist, Role::kService}) {
    EXPECT_EQ(policy.Check(As(role), "DropAllTables").code(),
              absl::StatusCode::kPermissionDenied);
  }
}

TEST(AccessPoliciesTest, ChangeStreamsAreForServicesOnly) {
  for (const AccessPolicy* policy : {&booking::BookingAccessPolicy(),
                                     &directory::DirectoryAccessPolicy()}) {
    EXPECT_TRUE(policy->Check(As(Role::kService), "WatchChanges").ok());
    for (Role role : {Role::kAdmin, Role::kCoordinator, Role::kTherapist}) {
      EXPECT_FALSE(policy->Check(As(role), "WatchChanges").ok());
    }
  }
}

TEST(AccessPoliciesTest, AdministratorsDoNotReadCouples) {
  const Caller admin = As(Role::kAdmin);
  EXPECT_FALSE(booking::BookingAccessPolicy().Check(admin, "GetCouple").ok());
  EXPECT_FALSE(booking::BookingAccessPolicy().Check(admin, "ListCouples").ok());
  EXPECT_FALSE(
      roster::RosterAccessPolicy().Check(admin, "GetClinicDay").ok());
  EXPECT_FALSE(followup::FollowUpAccessPolicy()
                   .Check(admin, "ListFollowUpContacts")
                   .ok());
  EXPECT_TRUE(
      directory::DirectoryAccessPolicy().Check(admin, "CreateRoom").ok());
}

TEST(AccessPoliciesTest, TherapistsChangeNoSettings) {
  const Caller therapist = As(Role::kTherapist);
  for (const char* method :
       {"CreateRoom", "CreateTherapist", "UpdateClinicSettings",
        "CreateAbsence"}) {
    EXPECT_FALSE(
        directory::DirectoryAccessPolicy().Check(therapist, method).ok())
        << method;
  }
  EXPECT_FALSE(
      booking::BookingAccessPolicy().Check(therapist, "HoldIntensive").ok());
  EXPECT_TRUE(followup::FollowUpAccessPolicy()
                  .Check(therapist, "RecordOutcome")
                  .ok());
}

TEST(AccessPoliciesTest, EveryCallTouchingCouplesIsAudited) {
  // Everything in booking and follow-up but templates, policy reads and the
  // internal stream; every roster.
  for (const Case& c : AllPolicies()) {
    const auto& service = Service(c.service);
    for (int i = 0; i < service.method_count(); ++i) {
      const std::string& name = service.method(i)->name();
      const common::MethodRule* rule = c.policy->Find(name);
      ASSERT_NE(rule, nullptr) << name;
      const bool about_couples =
          std::string(c.service) != "tandem.directory.v1.DirectoryService" &&
          name.find("Template") == std::string::npos &&
          name != "WatchChanges" && name != "GetReminderPolicy";
      if (about_couples) {
        EXPECT_EQ(rule->audit, Audit::kYes) << c.service << "." << name;
      }
    }
  }
}

TEST(AccessPoliciesTest, DenialNamesTheRolesNotTheCaller) {
  const absl::Status denied =
      booking::BookingAccessPolicy().Check(As(Role::kTherapist), "HoldIntensive");
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(denied.message().find("HoldIntensive"), std::string::npos);
  EXPECT_EQ(denied.message().find("test"), std::string::npos);
}

}  // namespace
}  // namespace tandem
