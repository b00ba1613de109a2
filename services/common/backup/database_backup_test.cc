#include "services/common/backup/database_backup.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "absl/time/civil_time.h"
#include "services/common/sqlite.h"
#include "services/common/test_db.h"

namespace tandem::common::backup {
namespace {

namespace fs = std::filesystem;

// Every transaction moves one unit between two accounts, so any consistent
// snapshot has a total of 0; a copy that mixed two moments would not.
constexpr Migration kSchema[] = {
    {1,
     "CREATE TABLE account (id INTEGER PRIMARY KEY, balance INTEGER NOT "
     "NULL);"
     "INSERT INTO account VALUES (1, 0), (2, 0);"
     "CREATE TABLE entry (id INTEGER PRIMARY KEY, pad TEXT NOT NULL);"}};

std::unique_ptr<Database> OpenDb(const std::string& path) {
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(
      {.path = path, .synchronous = Synchronous::kNormal}, kSchema);
  EXPECT_TRUE(db.ok()) << db.status();
  return db.ok() ? *std::move(db) : nullptr;
}

absl::Status Move(Database& db) {
  absl::StatusOr<Transaction> txn = Transaction::Begin(db);
  if (!txn.ok()) return txn.status();
  for (const char* sql :
       {"UPDATE account SET balance = balance - 1 WHERE id = 1",
        "UPDATE account SET balance = balance + 1 WHERE id = 2",
        "INSERT INTO entry (pad) VALUES (hex(randomblob(300)))"}) {
    absl::StatusOr<Statement> stmt = db.Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    if (absl::Status s = stmt->Run(); !s.ok()) return s;
  }
  return txn->Commit();
}

int64_t Scalar(Database& db, const char* sql) {
  absl::StatusOr<Statement> stmt = db.Prepare(sql);
  EXPECT_TRUE(stmt.ok()) << stmt.status();
  if (!stmt.ok()) return -1;
  absl::StatusOr<bool> row = stmt->Step();
  EXPECT_TRUE(row.ok() && *row);
  return stmt->ColumnInt64(0);
}

TEST(BackupFileNameTest, UtcToTheMillisecond) {
  const absl::Time t =
      absl::FromCivil(absl::CivilSecond(2026, 11, 24, 1, 5, 44),
                      absl::UTCTimeZone()) +
      absl::Milliseconds(123);
  EXPECT_EQ(BackupFileName("booking", t), "booking-20261124T010544.123Z.db");
}

TEST(DatabaseBackupTest, CopiesAConsistentSnapshotWhileWritersContinue) {
  TempDir dir;
  const std::string source = dir.File("live.db");
  std::unique_ptr<Database> db = OpenDb(source);
  ASSERT_NE(db, nullptr);
  for (int i = 0; i < 2000; ++i) ASSERT_TRUE(Move(*db).ok());
  const int64_t before = Scalar(*db, "SELECT count(*) FROM entry");

  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    while (!stop.load()) {
      ASSERT_TRUE(Move(*db).ok());
      ++written;
    }
  });
  // Small steps: many of them, with commits landing in between.
  BackupOptions options;
  options.pages_per_step = 8;
  options.pause = absl::Milliseconds(1);
  absl::StatusOr<BackupResult> copy =
      BackupDatabaseFile(source, dir.File("copy.db"), options);
  stop = true;
  writer.join();
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_GT(written.load(), 0) << "the writer was blocked by the backup";

  EXPECT_EQ(copy->path, dir.File("copy.db"));
  EXPECT_GT(copy->pages, 100);
  EXPECT_EQ(copy->size_bytes, static_cast<int64_t>(fs::file_size(copy->path)));
  EXPECT_FALSE(fs::exists(dir.File("copy.db.partial")));
  EXPECT_FALSE(fs::exists(dir.File("copy.db-wal")));
  EXPECT_TRUE(CheckIntegrity(copy->path).ok());

  std::unique_ptr<Database> restored = OpenDb(copy->path);
  ASSERT_NE(restored, nullptr);
  EXPECT_EQ(Scalar(*restored, "SELECT sum(balance) FROM account"), 0);
  const int64_t copied = Scalar(*restored, "SELECT count(*) FROM entry");
  EXPECT_GE(copied, before);
  EXPECT_EQ(Scalar(*restored, "SELECT balance FROM account WHERE id = 2"),
            copied);
}

TEST(DatabaseBackupTest, RefusesAnExistingDestinationAndAMissingSource) {
  TempDir dir;
  std::unique_ptr<Database> db = OpenDb(dir.File("live.db"));
  ASSERT_NE(db, nullptr);
  std::ofstream(dir.File("taken.db")) << "x";
  EXPECT_EQ(BackupDatabaseFile(dir.File("live.db"), dir.File("taken.db"))
                .status()
                .code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(BackupDatabaseFile(dir.File("none.db"), dir.File("copy.db"))
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(BackupDatabaseFile(":memory:", dir.File("copy.db")).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(dir.File("copy.db")));
  EXPECT_FALSE(fs::exists(dir.File("copy.db.partial")));
}

TEST(DatabaseBackupTest, UnwritableDestinationLeavesNothing) {
  TempDir dir;
  std::unique_ptr<Database> db = OpenDb(dir.File("live.db"));
  ASSERT_NE(db, nullptr);
  const std::string destination = dir.File("missing/dir/copy.db");
  EXPECT_EQ(
      BackupDatabaseFile(dir.File("live.db"), destination).status().code(),
      absl::StatusCode::kUnavailable);
  EXPECT_FALSE(fs::exists(destination));
}

TEST(CheckIntegrityTest, DamagedFileIsDataLoss) {
  TempDir dir;
  {
    std::unique_ptr<Database> db = OpenDb(dir.File("live.db"));
    ASSERT_NE(db, nullptr);
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(Move(*db).ok());
  }
  ASSERT_TRUE(
      BackupDatabaseFile(dir.File("live.db"), dir.File("copy.db")).ok());
  ASSERT_TRUE(CheckIntegrity(dir.File("copy.db")).ok());
  {  // overwrite the middle of the file (table pages), keep the header
    std::fstream file(dir.File("copy.db"),
                      std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(
        static_cast<std::streamoff>(fs::file_size(dir.File("copy.db")) / 2));
    const std::string junk(8192, '\x5a');
    file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  const absl::Status damaged = CheckIntegrity(dir.File("copy.db"));
  EXPECT_EQ(damaged.code(), absl::StatusCode::kDataLoss) << damaged;

  std::ofstream(dir.File("text.db")) << std::string(4096, 'x');
  EXPECT_EQ(CheckIntegrity(dir.File("text.db")).code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace tandem::common::backup
