#include "services/common/request_bounds.h"

#include <gtest/gtest.h>

#include <string>

#include "google/protobuf/struct.pb.h"
#include "tandem/booking/v1/booking_service.pb.h"
#include "tandem/roster/v1/roster_service.pb.h"

namespace tandem::common {
namespace {

using tandem::booking::v1::CreateCoupleRequest;
using tandem::booking::v1::Intensive;
using tandem::booking::v1::ListIntensivesResponse;

// Tight limits, so the tests need no megabyte messages.
constexpr RequestBounds kSmall{
    .max_string_bytes = 8, .max_repeated = 3, .max_depth = 16};

TEST(RequestBoundsTest, EmptyRequestPasses) {
  EXPECT_TRUE(CheckRequestBounds(CreateCoupleRequest()).ok());
}

TEST(RequestBoundsTest, StringOfTheLimitPassesOneByteMoreFailsNamingThePath) {
  CreateCoupleRequest request;
  request.set_request_id("req-1");
  request.mutable_couple()->mutable_partner_a()->set_given_name(
      std::string(4096, 'A'));
  request.mutable_couple()->set_notes("Seen before");
  EXPECT_TRUE(CheckRequestBounds(request).ok());

  const std::string value = "Alexandra" + std::string(4096 - 9, 'x') + "Q";
  ASSERT_EQ(value.size(), 4097u);
  request.mutable_couple()->mutable_partner_a()->set_given_name(value);
  const absl::Status status = CheckRequestBounds(request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "couple.partner_a.given_name: at most 4096 bytes");
  EXPECT_EQ(status.message().find("Alexandra"), absl::string_view::npos);
}

TEST(RequestBoundsTest, BytesFieldsCountToo) {
  tandem::roster::v1::ExportTherapistCalendarResponse response;
  response.set_content(std::string(8, '\0'));
  EXPECT_TRUE(CheckRequestBounds(response, kSmall).ok());
  response.set_content(std::string(9, '\0'));
  EXPECT_EQ(CheckRequestBounds(response, kSmall).message(),
            "content: at most 8 bytes");
}

TEST(RequestBoundsTest, RepeatedOfTheLimitPassesOneMoreFails) {
  CreateCoupleRequest request;
  for (int i = 0; i < 1000; ++i) {
    request.mutable_couple()->add_blackout_dates();
  }
  EXPECT_TRUE(CheckRequestBounds(request).ok());
  request.mutable_couple()->add_blackout_dates();
  const absl::Status status = CheckRequestBounds(request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "couple.blackout_dates: at most 1000 entries");
}

TEST(RequestBoundsTest, ElementOfARepeatedStringIsNamedByIndex) {
  CreateCoupleRequest request;
  request.mutable_couple()->add_excluded_therapist_ids("th-1");
  request.mutable_couple()->add_excluded_therapist_ids("th-12345");
  EXPECT_TRUE(CheckRequestBounds(request, kSmall).ok());
  request.mutable_couple()->add_excluded_therapist_ids("th-123456");
  EXPECT_EQ(CheckRequestBounds(request, kSmall).message(),
            "couple.excluded_therapist_ids[2]: at most 8 bytes");
}

// Three intensives, each with two sessions in one room: inside kSmall.
ListIntensivesResponse ThreeIntensives() {
  ListIntensivesResponse response;
  for (int i = 0; i < 3; ++i) {
    Intensive* intensive = response.add_intensives();
    intensive->set_id("in-1");
    intensive->set_couple_id("cp-1");
    for (int j = 0; j < 2; ++j) {
      intensive->add_sessions()->add_room_ids("rm-1");
    }
  }
  return response;
}

TEST(RequestBoundsTest, NestedRepeatedViolationsNameEveryIndex) {
  ListIntensivesResponse response = ThreeIntensives();
  EXPECT_TRUE(CheckRequestBounds(response, kSmall).ok());

  ListIntensivesResponse long_id = response;
  long_id.mutable_intensives(2)->set_couple_id("cp-123456");
  EXPECT_EQ(CheckRequestBounds(long_id, kSmall).message(),
            "intensives[2].couple_id: at most 8 bytes");

  ListIntensivesResponse long_room = response;
  long_room.mutable_intensives(2)->mutable_sessions(1)->set_room_ids(
      0, "rm-123456");
  EXPECT_EQ(CheckRequestBounds(long_room, kSmall).message(),
            "intensives[2].sessions[1].room_ids[0]: at most 8 bytes");

  ListIntensivesResponse many_sessions = response;
  for (int j = 0; j < 2; ++j) {
    many_sessions.mutable_intensives(1)->add_sessions();
  }
  EXPECT_EQ(CheckRequestBounds(many_sessions, kSmall).message(),
            "intensives[1].sessions: at most 3 entries");
}

TEST(RequestBoundsTest, ReportsTheFirstViolationInFieldOrder) {
  CreateCoupleRequest request;
  request.set_request_id("req-123456");  // Field 1.
  request.mutable_couple()->set_notes("longer than eight");  // Field 2.
  EXPECT_EQ(CheckRequestBounds(request, kSmall).message(),
            "request_id: at most 8 bytes");
  request.set_request_id("req-1");
  EXPECT_EQ(CheckRequestBounds(request, kSmall).message(),
            "couple.notes: at most 8 bytes");
}

TEST(RequestBoundsTest, MapEntriesCountAndAreNamedByIndexNotKey) {
  google::protobuf::Struct request;
  (*request.mutable_fields())["a"].set_string_value("x");
  (*request.mutable_fields())["b"].set_string_value("y");
  (*request.mutable_fields())["c"].set_string_value("z");
  EXPECT_TRUE(CheckRequestBounds(request, kSmall).ok());

  google::protobuf::Struct four_entries = request;
  (*four_entries.mutable_fields())["d"];
  EXPECT_EQ(CheckRequestBounds(four_entries, kSmall).message(),
            "fields: at most 3 entries");

  google::protobuf::Struct one_long_key;
  (*one_long_key.mutable_fields())["Alexandra"].set_bool_value(true);
  const absl::Status status = CheckRequestBounds(one_long_key, kSmall);
  EXPECT_EQ(status.message(), "fields[0].key: at most 8 bytes");
  EXPECT_EQ(status.message().find("Alexandra"), absl::string_view::npos);

  google::protobuf::Struct long_value;
  (*long_value.mutable_fields())["a"].set_string_value("Alexandra");
  EXPECT_EQ(CheckRequestBounds(long_value, kSmall).message(),
            "fields[0].value.string_value: at most 8 bytes");
}

// A ListValue whose deepest message sits `levels` below it (levels >= 1):
// ListValue > Value > ListValue > Value ...
google::protobuf::ListValue NestedLevels(int levels) {
  google::protobuf::ListValue top;
  google::protobuf::ListValue* list = &top;
  google::protobuf::Value* value = nullptr;
  for (int level = 1; level <= levels; ++level) {
    if (level % 2 == 1) {
      value = list->add_values();
      value->set_string_value("leaf");
    } else {
      list = value->mutable_list_value();
    }
  }
  return top;
}

TEST(RequestBoundsTest, SixteenLevelsPassSeventeenFail) {
  EXPECT_TRUE(CheckRequestBounds(NestedLevels(16)).ok());
  const absl::Status status = CheckRequestBounds(NestedLevels(17));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "request nests deeper than 16 levels");
  EXPECT_EQ(CheckRequestBounds(NestedLevels(3), {.max_depth = 2}).message(),
            "request nests deeper than 2 levels");
}

TEST(RequestBoundsTest, ALargeValidPageIsCheckedAndPasses) {
  // 1000 intensives of 10 sessions: what a full ListIntensives page holds.
  ListIntensivesResponse response;
  for (int i = 0; i < 1000; ++i) {
    Intensive* intensive = response.add_intensives();
    intensive->set_id("in-" + std::to_string(i));
    intensive->set_couple_id("cp-" + std::to_string(i));
    for (int j = 0; j < 10; ++j) {
      auto* session = intensive->add_sessions();
      session->set_id("se-1");
      session->add_room_ids("rm-1");
      session->add_therapist_ids("th-1");
      session->add_therapist_ids("th-2");
    }
  }
  EXPECT_TRUE(CheckRequestBounds(response).ok());
  response.mutable_intensives(999)->mutable_sessions(9)->add_therapist_ids(
      std::string(4097, 'x'));
  EXPECT_EQ(CheckRequestBounds(response).message(),
            "intensives[999].sessions[9].therapist_ids[2]: at most 4096 bytes");
}

}  // namespace
}  // namespace tandem::common
