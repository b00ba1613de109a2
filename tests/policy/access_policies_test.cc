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

// The service's descriptor, reached through a message of its file (which
// also makes sure the linker keeps the file's descriptors).
template <typename MessageOfTheFile>
const google::protobuf::ServiceDescriptor* Find(const char* name) {
  return MessageOfTheFile::descriptor()->file()->FindServiceByName(name);
}

struct Case {
  const AccessPolicy* policy;
  const google::protobuf::ServiceDescriptor* service;
};

std::vector<Case> AllPolicies() {
  return {
      {&directory::DirectoryAccessPolicy(),
       Find<directory::v1::GetTherapistRequest>("DirectoryService")},
      {&booking::BookingAccessPolicy(),
       Find<booking::v1::GetCoupleRequest>("BookingService")},
      {&followup::FollowUpAccessPolicy(),
       Find<followup::v1::GetFollowUpPlanRequest>("FollowUpService")},
      {&roster::RosterAccessPolicy(),
       Find<roster::v1::GetTherapistRosterRequest>("RosterService")},
  };
}

Caller As(Role role) { return Caller{"test", {role}, "th-1"}; }

TEST(AccessPoliciesTest, EveryMethodHasARule) {
  for (const Case& c : AllPolicies()) {
    ASSERT_NE(c.service, nullptr);
    EXPECT_GT(c.service->method_count(), 0);
    EXPECT_TRUE(c.policy->Missing(*c.service).empty())
        << c.service->full_name() << " misses "
        << ::testing::PrintToString(c.policy->Missing(*c.service));
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
    ASSERT_NE(c.service, nullptr);
    const auto& service = *c.service;
    for (int i = 0; i < service.method_count(); ++i) {
      const std::string& name = service.method(i)->name();
      const common::MethodRule* rule = c.policy->Find(name);
      ASSERT_NE(rule, nullptr) << name;
      const bool about_couples =
          service.name() != "DirectoryService" &&
          name.find("Template") == std::string::npos &&
          name != "WatchChanges" && name != "GetReminderPolicy";
      if (about_couples) {
        EXPECT_EQ(rule->audit, Audit::kYes) << service.name() << "." << name;
      }
    }
  }
}

TEST(AccessPoliciesTest, ReadsAreTheGetListAndExportMethods) {
  EXPECT_TRUE(common::IsReadMethod("GetCouple"));
  EXPECT_TRUE(common::IsReadMethod("ListSessions"));
  EXPECT_TRUE(common::IsReadMethod("ExportTherapistCalendar"));
  EXPECT_FALSE(common::IsReadMethod("CreateAppointment"));
  EXPECT_FALSE(common::IsReadMethod("RecordOutcome"));
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
