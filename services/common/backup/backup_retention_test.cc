#include "services/common/backup/backup_retention.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

namespace tandem::common::backup {
namespace {

TEST(IsBackupOfTest, OnlyNamesBackupFileNameMakes) {
  EXPECT_TRUE(IsBackupOf("booking-20261124T010544.123Z.db", "booking"));
  EXPECT_TRUE(
      IsBackupOf("booking.audit-20261124T010544.123Z.db", "booking.audit"));
  EXPECT_FALSE(IsBackupOf("booking.audit-20261124T010544.123Z.db", "booking"));
  EXPECT_FALSE(IsBackupOf("booking-20261124T010544.123Z.db", "booking.audit"));
  EXPECT_FALSE(
      IsBackupOf("booking-20261124T010544.123Z.db.partial", "booking"));
  EXPECT_FALSE(IsBackupOf("booking-latest.db", "booking"));
  EXPECT_FALSE(IsBackupOf("booking-2026112xT010544.123Z.db", "booking"));
  EXPECT_FALSE(IsBackupOf("booking.db", "booking"));
  EXPECT_FALSE(IsBackupOf("followup-20261124T010544.123Z.db", "booking"));
  EXPECT_FALSE(IsBackupOf("-20261124T010544.123Z.db", ""));
}

TEST(BackupsBeyondTest, OldestBeyondTheNewestKeep) {
  const std::vector<std::string> names = {
      "booking-20261124T030000.000Z.db", "booking-20261122T030000.000Z.db",
      "booking.audit-20261122T030000.000Z.db", "notes.txt",
      "booking-20261123T030000.000Z.db", "booking-20261121T030000.000Z.db"};
  EXPECT_EQ(BackupsBeyond(names, "booking", 2),
            (std::vector<std::string>{"booking-20261121T030000.000Z.db",
                                      "booking-20261122T030000.000Z.db"}));
  EXPECT_TRUE(BackupsBeyond(names, "booking", 4).empty());
  EXPECT_TRUE(BackupsBeyond(names, "booking", 0).empty());
  EXPECT_TRUE(BackupsBeyond(names, "booking.audit", 1).empty());
}

TEST(PruneBackupsTest, DeletesOnlyOldCopiesOfItsOwnStem) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "prune-backups";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::vector<std::string> files = {
      "booking-20261121T030000.000Z.db", "booking-20261122T030000.000Z.db",
      "booking-20261123T030000.000Z.db", "directory-20261101T030000.000Z.db",
      "booking-20261120T030000.000Z.db.partial", "README"};
  for (const std::string& name : files) std::ofstream(dir / name) << "x";

  absl::StatusOr<int> removed = PruneBackups(dir.string(), "booking", 1);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 2);
  std::set<std::string> left;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    left.insert(entry.path().filename().string());
  }
  EXPECT_EQ(left, (std::set<std::string>{
                      "booking-20261123T030000.000Z.db",
                      "directory-20261101T030000.000Z.db",
                      "booking-20261120T030000.000Z.db.partial", "README"}));

  EXPECT_FALSE(PruneBackups((dir / "missing").string(), "booking", 1).ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tandem::common::backup
