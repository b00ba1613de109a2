#include "services/common/sqlite.h"

#include <gtest/gtest.h>

#include "services/common/test_db.h"

namespace tandem::common {
namespace {

constexpr Migration kMigrations[] = {
    {1, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL);"},
    {2, "ALTER TABLE t ADD COLUMN note TEXT;"},
};

TEST(SqliteTest, MigrationsApplyOnceAndRecordVersion) {
  TempDir dir;
  DatabaseOptions options{dir.File("a.db")};
  {
    auto db = Database::Open(options, kMigrations);
    ASSERT_TRUE(db.ok()) << db.status();
    EXPECT_EQ(*(*db)->SchemaVersion(), 2);
  }
  // Reopening applies nothing again (ALTER TABLE twice would fail).
  auto db = Database::Open(options, kMigrations);
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_EQ(*(*db)->SchemaVersion(), 2);
}

TEST(SqliteTest, NewerSchemaThanBinaryIsRefused) {
  TempDir dir;
  DatabaseOptions options{dir.File("a.db")};
  ASSERT_TRUE(Database::Open(options, kMigrations).ok());
  auto db = Database::Open(options, absl::MakeSpan(kMigrations, 1));
  EXPECT_EQ(db.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(SqliteTest, TransactionRollsBackUnlessCommitted) {
  TempDir dir;
  auto db = *Database::Open({dir.File("a.db")}, kMigrations);
  {
    auto txn = Transaction::Begin(*db);
    ASSERT_TRUE(txn.ok());
    auto insert = *db->Prepare("INSERT INTO t(name) VALUES (?)");
    insert.Bind(1, "x");
    ASSERT_TRUE(insert.Run().ok());
  }  // no commit
  auto count = *db->Prepare("SELECT COUNT(*) FROM t");
  ASSERT_TRUE(*count.Step());
  EXPECT_EQ(count.ColumnInt64(0), 0);
}

TEST(SqliteTest, UniqueViolationIsAlreadyExistsWithoutSqlInMessage) {
  TempDir dir;
  auto db = *Database::Open({dir.File("a.db")}, kMigrations);
  for (int i = 0; i < 2; ++i) {
    auto insert = *db->Prepare("INSERT INTO t(name) VALUES (?)");
    insert.Bind(1, "same");
    absl::Status status = insert.Run();
    if (i == 0) {
      ASSERT_TRUE(status.ok()) << status;
    } else {
      EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
      EXPECT_EQ(status.message().find("INSERT"), absl::string_view::npos);
      EXPECT_EQ(status.message().find("same"), absl::string_view::npos);
    }
  }
}

TEST(SqliteTest, BlobsAndNullsRoundTrip) {
  TempDir dir;
  auto db = *Database::Open({dir.File("a.db")}, kMigrations);
  auto insert = *db->Prepare("INSERT INTO t(name, note) VALUES (?, ?)");
  insert.BindBlob(1, std::string("a\0b", 3)).BindNull(2);
  ASSERT_TRUE(insert.Run().ok());
  auto select = *db->Prepare("SELECT name, note FROM t");
  ASSERT_TRUE(*select.Step());
  EXPECT_EQ(select.ColumnBlob(0), std::string("a\0b", 3));
  EXPECT_TRUE(select.ColumnIsNull(1));
}

TEST(SqliteTest, ParseSynchronousRejectsUnknown) {
  EXPECT_EQ(*ParseSynchronous("FULL"), Synchronous::kFull);
  EXPECT_EQ(*ParseSynchronous("NORMAL"), Synchronous::kNormal);
  EXPECT_EQ(ParseSynchronous("OFF").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tandem::common
