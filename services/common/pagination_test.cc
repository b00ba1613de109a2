#include "services/common/pagination.h"

#include <gtest/gtest.h>

namespace tandem::common {
namespace {

TEST(PaginationTest, TokenRoundTripsWithinItsScope) {
  std::string token = EncodePageToken("therapists", {7, 42});
  auto cursor = DecodePageToken("therapists", token);
  ASSERT_TRUE(cursor.ok());
  EXPECT_EQ(cursor->sort_key, 7);
  EXPECT_EQ(cursor->id, 42);
  EXPECT_EQ(DecodePageToken("rooms", token).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodePageToken("rooms", "garbage!").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PaginationTest, PageSizeDefaultsAndCaps) {
  EXPECT_EQ(*EffectivePageSize(0), kDefaultPageSize);
  EXPECT_EQ(*EffectivePageSize(5), 5);
  EXPECT_EQ(*EffectivePageSize(100000), kMaxPageSize);
  EXPECT_FALSE(EffectivePageSize(-1).ok());
}

}  // namespace
}  // namespace tandem::common
