#include "services/followup/delivery/file_channel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "absl/strings/match.h"
#include "services/common/test_db.h"
#include "services/followup/delivery/testing/python_server.h"

namespace tandem::followup::delivery {
namespace {

using testing::ReadWholeFile;

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(FileChannelTest, WritesOneFileNamedByTheKey) {
  common::TempDir dir;
  auto channel = FileChannel::Create(dir.File("out/nested"));
  ASSERT_TRUE(channel.ok()) << channel.status();
  SendResult result = (*channel)->Send(
      {"rn-1", "rk-abc", "anna@example.org", "Reminder", "Hello Anna,\n"});
  ASSERT_TRUE(result.ok()) << result.error_code;
  EXPECT_EQ(FilesIn(dir.File("out/nested")),
            std::vector<std::string>{"rk-abc.eml"});
  EXPECT_EQ(ReadWholeFile((*channel)->PathFor("rk-abc")),
            "To: anna@example.org\nSubject: Reminder\n"
            "X-Tandem-Idempotency-Key: rk-abc\n\nHello Anna,\n");
}

TEST(FileChannelTest, ResendingTheSameKeyOverwritesNeverDuplicates) {
  common::TempDir dir;
  auto channel = *FileChannel::Create(dir.path());
  ASSERT_TRUE(channel->Send({"rn-1", "rk-1", "a@x.org", "S", "first"}).ok());
  ASSERT_TRUE(channel->Send({"rn-1", "rk-1", "a@x.org", "S", "second"}).ok());
  ASSERT_TRUE(channel->Send({"rn-2", "rk-2", "b@x.org", "S", "other"}).ok());
  // No temporary files left behind, one file per key.
  EXPECT_EQ(FilesIn(dir.path()),
            (std::vector<std::string>{"rk-1.eml", "rk-2.eml"}));
  EXPECT_TRUE(
      absl::EndsWith(ReadWholeFile(channel->PathFor("rk-1")), "\n\nsecond"));
}

TEST(FileChannelTest, UnsafeKeysArePermanentFailures) {
  common::TempDir dir;
  auto channel = *FileChannel::Create(dir.path());
  for (const char* key : {"", "../escape", ".hidden", "a/b", "a b"}) {
    SendResult result = channel->Send({"rn-1", key, "a@x.org", "S", "B"});
    EXPECT_EQ(result.outcome, SendOutcome::kPermanentFailure) << key;
    EXPECT_EQ(result.error_code, "file-bad-key");
  }
  EXPECT_TRUE(FilesIn(dir.path()).empty());
}

TEST(FileChannelTest, AnUnwritableDirectoryIsATemporaryFailure) {
  common::TempDir dir;
  auto channel = *FileChannel::Create(dir.File("gone"));
  std::filesystem::remove_all(dir.File("gone"));
  SendResult result = channel->Send({"rn-1", "rk-1", "a@x.org", "S", "B"});
  EXPECT_EQ(result.outcome, SendOutcome::kTemporaryFailure);
  EXPECT_EQ(result.error_code, "file-io");
}

}  // namespace
}  // namespace tandem::followup::delivery
