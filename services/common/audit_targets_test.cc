#include "services/common/audit_targets.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/text_format.h"
#include "services/common/text_proto.h"
#include "tandem/booking/v1/booking_service.pb.h"
#include "tandem/roster/v1/roster_service.pb.h"

namespace tandem::common {
namespace {

using Ids = std::vector<std::string>;

namespace booking = tandem::booking::v1;
namespace roster = tandem::roster::v1;

// Every id and value of `targets`, for checks that no client data leaked.
std::string AllOf(const AuditTargets& targets) {
  std::string all;
  for (const std::string& id : targets.resource_ids) all += id + " ";
  for (const std::string& id : targets.couple_ids) all += id + " ";
  return all;
}

TEST(AuditTargetsTest, GetNamesItsResourceById) {
  const auto request =
      ParseTextProto<booking::GetIntensiveRequest>(R"pb(id: "in-5")pb");
  const auto response = ParseTextProto<booking::GetIntensiveResponse>(R"pb(
    intensive { id: "in-5" couple_id: "cp-3" template_id: "pt-1" }
  )pb");
  const AuditTargets targets = ExtractAuditTargets(request, &response);
  EXPECT_EQ(targets.resource_ids, (Ids{"in-5", "cp-3", "pt-1"}));
  EXPECT_EQ(targets.couple_ids, (Ids{"cp-3"}));
}

// A couple's own id is named "id", not "couple_id": GetCouple records it as
// a resource but finds no couple id. Kept visible here on purpose; see the
// header.
TEST(AuditTargetsTest, CoupleOwnIdIsAResourceNotACoupleId) {
  const auto request =
      ParseTextProto<booking::GetCoupleRequest>(R"pb(id: "cp-3")pb");
  const auto response = ParseTextProto<booking::GetCoupleResponse>(R"pb(
    couple {
      id: "cp-3"
      partner_a { given_name: "Alexandra" phone: "+447700900123" }
      notes: "Seen before"
    }
  )pb");
  const AuditTargets targets = ExtractAuditTargets(request, &response);
  EXPECT_EQ(targets.resource_ids, (Ids{"cp-3"}));
  EXPECT_TRUE(targets.couple_ids.empty());
}

TEST(AuditTargetsTest, CreateRecordsTheNewIdAndNoClientData) {
  const auto request = ParseTextProto<booking::CreateCoupleRequest>(R"pb(
    request_id: "req-77"
    couple {
      partner_a { given_name: "Alexandra" phone: "+447700900123" }
      language: "en"
      excluded_therapist_ids: "th-4"
    }
  )pb");
  const auto response = ParseTextProto<booking::CreateCoupleResponse>(R"pb(
    couple {
      id: "cp-9"
      partner_a { given_name: "Alexandra" phone: "+447700900123" }
      language: "en"
      excluded_therapist_ids: "th-4"
      display_label: "A.K."
    }
  )pb");
  EXPECT_TRUE(ExtractAuditTargets(request, nullptr).resource_ids.empty());
  const AuditTargets targets = ExtractAuditTargets(request, &response);
  // Only the response message's own singular ids: not the excluded
  // therapists, not the idempotency key.
  EXPECT_EQ(targets.resource_ids, (Ids{"cp-9"}));
  EXPECT_TRUE(targets.couple_ids.empty());
  EXPECT_EQ(AllOf(targets).find("Alexandra"), std::string::npos);
  EXPECT_EQ(AllOf(targets).find("req-77"), std::string::npos);
}

TEST(AuditTargetsTest, HoldRecordsCoupleTemplateAndNewIntensiveOnce) {
  const auto request = ParseTextProto<booking::HoldIntensiveRequest>(R"pb(
    request_id: "req-1"
    couple_id: "cp-1"
    plan {
      template_id: "pt-1"
      team { team_id: "tm-1" }
      sessions { room_ids: "rm-1" therapist_ids: "th-1" }
    }
  )pb");
  const auto response = ParseTextProto<booking::HoldIntensiveResponse>(R"pb(
    intensive {
      id: "in-5"
      couple_id: "cp-1"
      template_id: "pt-1"
      team { team_id: "tm-1" }
      sessions { id: "se-1" couple_id: "cp-1" room_ids: "rm-1" }
    }
  )pb");
  const AuditTargets targets = ExtractAuditTargets(request, &response);
  // Nested ids (the plan's team and rooms, the sessions) are not resources.
  EXPECT_EQ(targets.resource_ids, (Ids{"cp-1", "in-5", "pt-1"}));
  EXPECT_EQ(targets.couple_ids, (Ids{"cp-1"}));
}

TEST(AuditTargetsTest, TopLevelRepeatedIdsAreResources) {
  // No request has a top-level "_ids" field yet; a Session has two.
  const auto session = ParseTextProto<booking::Session>(R"pb(
    id: "se-1"
    intensive_id: "in-1"
    couple_id: "cp-1"
    room_ids: "rm-1"
    therapist_ids: [ "th-1", "th-2", "th-1", "" ]
  )pb");
  EXPECT_EQ(ExtractAuditTargets(session, nullptr).resource_ids,
            (Ids{"se-1", "in-1", "cp-1", "rm-1", "th-1", "th-2"}));
}

TEST(AuditTargetsTest, AtMostTwentyResourceIds) {
  booking::Session session;
  for (int i = 0; i < 30; ++i) {
    session.add_therapist_ids("th-" + std::to_string(i));
  }
  const AuditTargets targets = ExtractAuditTargets(session, nullptr);
  ASSERT_EQ(targets.resource_ids.size(), 20u);
  EXPECT_EQ(targets.resource_ids.front(), "th-0");
  EXPECT_EQ(targets.resource_ids.back(), "th-19");
}

TEST(AuditTargetsTest, ListFindsEveryCoupleOnceInFirstSeenOrder) {
  const auto request = ParseTextProto<booking::ListIntensivesRequest>(
      R"pb(page_size: 10 page_token: "tok")pb");
  const auto response = ParseTextProto<booking::ListIntensivesResponse>(R"pb(
    intensives {
      id: "in-1"
      couple_id: "cp-2"
      sessions { id: "se-1" couple_id: "cp-2" }
    }
    intensives { id: "in-2" couple_id: "cp-1" }
    intensives {
      id: "in-3"
      couple_id: "cp-2"
      sessions { id: "se-7" couple_id: "cp-4" }
    }
    intensives { id: "in-4" couple_id: "cp-3" }
    next_page_token: "next"
  )pb");
  const AuditTargets targets = ExtractAuditTargets(request, &response);
  // A list response has no single message: its items are not resources.
  EXPECT_TRUE(targets.resource_ids.empty());
  EXPECT_EQ(targets.couple_ids, (Ids{"cp-2", "cp-1", "cp-4", "cp-3"}));

  const auto filtered = ParseTextProto<booking::ListIntensivesRequest>(
      R"pb(couple_id: "cp-3")pb");
  const AuditTargets by_couple = ExtractAuditTargets(filtered, &response);
  EXPECT_EQ(by_couple.resource_ids, (Ids{"cp-3"}));
  EXPECT_EQ(by_couple.couple_ids, (Ids{"cp-3", "cp-2", "cp-1", "cp-4"}));
}

TEST(AuditTargetsTest, AtMostFiveHundredCoupleIds) {
  booking::ListIntensivesResponse response;
  for (int i = 0; i < 600; ++i) {
    response.add_intensives()->set_couple_id("cp-" + std::to_string(i));
  }
  const AuditTargets targets =
      ExtractAuditTargets(booking::ListIntensivesRequest(), &response);
  ASSERT_EQ(targets.couple_ids.size(), 500u);
  EXPECT_EQ(targets.couple_ids.front(), "cp-0");
  EXPECT_EQ(targets.couple_ids.back(), "cp-499");
}

TEST(AuditTargetsTest, SeveralSetMessagesInTheResponseNameNoResource) {
  const auto request =
      ParseTextProto<booking::GetIntensiveRequest>(R"pb(id: "in-5")pb");
  // A Change has commit_time and the resource: not one single message.
  const auto change = ParseTextProto<booking::Change>(R"pb(
    revision: 3
    commit_time { seconds: 1 }
    intensive { id: "in-5" couple_id: "cp-3" }
  )pb");
  const AuditTargets targets = ExtractAuditTargets(request, &change);
  EXPECT_EQ(targets.resource_ids, (Ids{"in-5"}));
  EXPECT_EQ(targets.couple_ids, (Ids{"cp-3"}));
}

TEST(AuditTargetsTest, ClinicDayFindsCouplesInEveryColumn) {
  const auto request = ParseTextProto<roster::GetClinicDayRequest>(
      R"pb(date { year: 2030 month: 5 day: 12 })pb");
  const auto response = ParseTextProto<roster::GetClinicDayResponse>(R"pb(
    clinic_day {
      needs_attention { intensive_id: "in-1" couple_id: "cp-9" }
      rooms {
        room_id: "rm-1"
        items { couple_id: "cp-1" couple_label: "A.K. & B.K." }
      }
      rooms {
        room_id: "rm-2"
        items { couple_id: "cp-2" }
      }
      therapists {
        therapist_id: "th-1"
        items { couple_id: "cp-1" }
        items { couple_id: "cp-5" }
      }
    }
  )pb");
  const AuditTargets targets = ExtractAuditTargets(request, &response);
  EXPECT_TRUE(targets.resource_ids.empty());
  EXPECT_EQ(targets.couple_ids, (Ids{"cp-9", "cp-1", "cp-2", "cp-5"}));
  EXPECT_EQ(AllOf(targets).find("A.K."), std::string::npos);
}

TEST(AuditTargetsTest, TherapistRosterFindsCouplesOfItemsAndCallsDue) {
  const auto request = ParseTextProto<roster::GetTherapistRosterRequest>(
      R"pb(therapist_id: "th-1")pb");
  const auto response = ParseTextProto<roster::GetTherapistRosterResponse>(
      R"pb(
        roster {
          therapist_id: "th-1"
          therapist_name: "J. Rao"
          days {
            items { couple_id: "cp-1" room_id: "rm-1" session_id: "se-1" }
            calls_due {
              follow_up_contact_id: "fc-1"
              couple_id: "cp-2"
              phones { label: "A.K." phone: "+447700900123" }
            }
          }
        }
      )pb");
  const AuditTargets targets = ExtractAuditTargets(request, &response);
  EXPECT_EQ(targets.resource_ids, (Ids{"th-1"}));
  EXPECT_EQ(targets.couple_ids, (Ids{"cp-1", "cp-2"}));
  EXPECT_EQ(AllOf(targets).find("+44"), std::string::npos);
}

// The real protos nest couple ids at most three levels deep, so the depth
// limit is tested on a message type built at run time:
//   message Node { string couple_id = 1; Node child = 2; }
class NodeType {
 public:
  NodeType() {
    google::protobuf::FileDescriptorProto file;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
        R"pb(
          name: "node.proto"
          package: "tandem.test"
          syntax: "proto3"
          message_type {
            name: "Node"
            field {
              name: "couple_id"
              number: 1
              type: TYPE_STRING
              label: LABEL_OPTIONAL
            }
            field {
              name: "child"
              number: 2
              type: TYPE_MESSAGE
              label: LABEL_OPTIONAL
              type_name: ".tandem.test.Node"
            }
          }
        )pb",
        &file));
    const google::protobuf::FileDescriptor* built = pool_.BuildFile(file);
    EXPECT_NE(built, nullptr);
    descriptor_ = built->FindMessageTypeByName("Node");
  }

  // A Node with "cp-0" whose child has "cp-1", ... down to "cp-<levels>".
  std::unique_ptr<google::protobuf::Message> Chain(int levels) {
    std::unique_ptr<google::protobuf::Message> top(
        factory_.GetPrototype(descriptor_)->New());
    const google::protobuf::FieldDescriptor* couple_id =
        descriptor_->FindFieldByName("couple_id");
    const google::protobuf::FieldDescriptor* child =
        descriptor_->FindFieldByName("child");
    google::protobuf::Message* node = top.get();
    for (int level = 0; level <= levels; ++level) {
      node->GetReflection()->SetString(node, couple_id,
                                       "cp-" + std::to_string(level));
      if (level < levels) {
        node = node->GetReflection()->MutableMessage(node, child, &factory_);
      }
    }
    return top;
  }

 private:
  google::protobuf::DescriptorPool pool_;
  google::protobuf::DynamicMessageFactory factory_{&pool_};
  const google::protobuf::Descriptor* descriptor_ = nullptr;
};

TEST(AuditTargetsTest, CoupleIdsAreSearchedSixLevelsDeep) {
  NodeType node_type;
  const std::unique_ptr<google::protobuf::Message> chain = node_type.Chain(7);
  const AuditTargets targets = ExtractAuditTargets(*chain, nullptr);
  EXPECT_EQ(targets.couple_ids,
            (Ids{"cp-0", "cp-1", "cp-2", "cp-3", "cp-4", "cp-5", "cp-6"}));
  EXPECT_EQ(targets.resource_ids, (Ids{"cp-0"}));
}

}  // namespace
}  // namespace tandem::common
