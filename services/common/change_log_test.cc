#include "services/common/change_log.h"

#include <gtest/gtest.h>

#include "services/common/test_db.h"

namespace tandem::common {
namespace {

const Migration kMigrations[] = {{1, kChangeLogSchema}};

TEST(ChangeLogTest, RevisionsAreGapFreeAndSurviveReopen) {
  TempDir dir;
  {
    auto db = *Database::Open({dir.File("a.db")}, kMigrations);
    EXPECT_EQ(*CurrentRevision(*db), 0);
    EXPECT_EQ(*AppendChange(*db, "a", absl::UnixEpoch()), 1);
    EXPECT_EQ(*AppendChange(*db, "b", absl::UnixEpoch()), 2);
  }
  auto db = *Database::Open({dir.File("a.db")}, kMigrations);
  EXPECT_EQ(*AppendChange(*db, "c", absl::UnixEpoch()), 3);
  auto after1 = *ReadChangesAfter(*db, 1, 10);
  ASSERT_EQ(after1.size(), 2u);
  EXPECT_EQ(after1[0].revision, 2);
  EXPECT_EQ(after1[0].change, "b");
  EXPECT_EQ(after1[1].change, "c");
  EXPECT_EQ(ReadChangesAfter(*db, 0, 2)->size(), 2u);
}

TEST(ChangeLogTest, PrunedRevisionsAreOutOfRange) {
  TempDir dir;
  auto db = *Database::Open({dir.File("a.db")}, kMigrations);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(AppendChange(*db, "x", absl::UnixEpoch()).ok());
  ASSERT_TRUE(PruneChangeLog(*db, 2).ok());  // keeps 4 and 5
  EXPECT_EQ(ReadChangesAfter(*db, 2, 10).status().code(),
            absl::StatusCode::kOutOfRange);
  auto kept = *ReadChangesAfter(*db, 3, 10);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].revision, 4);
  // Pruning everything still keeps the revision counter.
  ASSERT_TRUE(PruneChangeLog(*db, 0).ok());
  EXPECT_EQ(*CurrentRevision(*db), 5);
  EXPECT_EQ(*AppendChange(*db, "y", absl::UnixEpoch()), 6);
}

}  // namespace
}  // namespace tandem::common
