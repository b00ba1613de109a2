#include "services/common/storage_kind.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace tandem::common {
namespace {

TEST(StorageKindOfTest, FilePathsAreSqlite) {
  EXPECT_EQ(*StorageKindOf("data/booking.db"), StorageKind::kSqlite);
  EXPECT_EQ(*StorageKindOf("/var/lib/tandem/booking.db"), StorageKind::kSqlite);
  EXPECT_EQ(*StorageKindOf(":memory:"), StorageKind::kSqlite);
}

TEST(StorageKindOfTest, UrlsAndEmptyAreInvalidAndNotEchoed) {
  for (const char* db : {"postgresql://tandem:secret@db/tandem",
                         "file:///var/lib/tandem/secret.db", ""}) {
    absl::StatusOr<StorageKind> kind = StorageKindOf(db);
    EXPECT_EQ(kind.status().code(), absl::StatusCode::kInvalidArgument) << db;
    EXPECT_TRUE(absl::StartsWith(kind.status().message(), "--db: ")) << db;
    EXPECT_FALSE(absl::StrContains(kind.status().message(), "secret")) << db;
  }
}

}  // namespace
}  // namespace tandem::common
