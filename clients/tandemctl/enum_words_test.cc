#include "clients/tandemctl/enum_words.h"

#include "gtest/gtest.h"
#include "tandem/booking/v1/booking.pb.h"
#include "tandem/followup/v1/followup.pb.h"

namespace tandem::cli {
namespace {

namespace bk = tandem::booking::v1;

TEST(EnumWords, ReadsValuesWithoutThePrefix) {
  EXPECT_EQ(Words(bk::CANCEL_REASON_COUPLE_REQUEST), "couple request");
  EXPECT_EQ(Words(bk::SESSION_KIND_INDIVIDUAL_ASSESSMENT),
            "individual assessment");
  EXPECT_EQ(Words(bk::INTENSIVE_STATUS_UNSPECIFIED), "");
  EXPECT_EQ(Words(tandem::followup::v1::REMINDER_EVENT_FOLLOW_UP_CONTACT),
            "follow-up contact");
}

TEST(EnumWords, ParsesWhatPeopleType) {
  EXPECT_EQ(*ParseEnum<bk::CancelReason>("couple-request", "--reason"),
            bk::CANCEL_REASON_COUPLE_REQUEST);
  EXPECT_EQ(*ParseEnum<bk::CancelReason>("Couple_Request", "--reason"),
            bk::CANCEL_REASON_COUPLE_REQUEST);
  EXPECT_EQ(*ParseEnum<bk::CancelReason>("CANCEL_REASON_OTHER", "--reason"),
            bk::CANCEL_REASON_OTHER);
}

TEST(EnumWords, RejectsUnknownAndUnspecifiedListingChoices) {
  auto bad = ParseEnum<bk::PartnerRole>("c", "--partner");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "--partner: 'c' is not one of: a, b");
  EXPECT_FALSE(ParseEnum<bk::PartnerRole>("unspecified", "--partner").ok());
}

TEST(EnumWords, PrefixFromTheEnumName) {
  EXPECT_EQ(EnumPrefix(*google::protobuf::GetEnumDescriptor<bk::DayPart>()),
            "DAY_PART_");
  EXPECT_EQ(ChoicesText<bk::DayPart>(), "morning, afternoon, any");
}

}  // namespace
}  // namespace tandem::cli
