// The storage seam: handlers and GuardedStore reach the directory's data
// only through the DirectoryStore interface and its StoreBackend, and the
// backend's transaction covers the store's writes.
#include "services/directory/directory_store.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "services/common/test_db.h"
#include "services/common/text_proto.h"
#include "services/directory/directory_handler.h"
#include "services/directory/sqlite_directory_store.h"

namespace tandem::directory {
namespace {

v1::Room TestRoom() {
  return common::ParseTextProto<v1::Room>(R"pb(display_name: "Blue"
                                               capacity: 2
                                               kinds: ROOM_KIND_JOINT
                                               active: true)pb");
}

TEST(OpenDirectoryStoreTest, OpensASqliteFile) {
  common::TempDir dir;
  auto store = OpenDirectoryStore({dir.File("directory.db")});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_NE(dynamic_cast<SqliteDirectoryStore*>(store->get()), nullptr);
  EXPECT_EQ(*(*store)->backend().BackupSourceFile(), dir.File("directory.db"));
}

TEST(OpenDirectoryStoreTest, RejectsADatabaseUrlWithoutEchoingIt) {
  auto store = OpenDirectoryStore({"postgresql://tandem:secret@db/tandem"});
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(store.status().message(), "--db"));
  EXPECT_FALSE(absl::StrContains(store.status().message(), "secret"));
}

class DirectoryStoreSeamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Held as the interface from here on, as the handler holds it.
    auto sqlite = SqliteDirectoryStore::Open({dir_.File("directory.db")});
    ASSERT_TRUE(sqlite.ok()) << sqlite.status();
    std::unique_ptr<DirectoryStore> store = std::move(*sqlite);
    handler_ = std::make_unique<DirectoryHandler>(std::move(store),
                                                  [this] { return now_; });
  }

  common::TempDir dir_;
  absl::Time now_ = absl::FromUnixSeconds(1800000000);
  common::Caller caller_{"test", {common::Role::kAdmin}, ""};
  std::unique_ptr<DirectoryHandler> handler_;
};

TEST_F(DirectoryStoreSeamTest, HandlerWritesThroughTheInterface) {
  v1::CreateRoomRequest request;
  request.set_request_id("r1");
  *request.mutable_room() = TestRoom();
  v1::CreateRoomResponse created;
  ASSERT_TRUE(handler_->CreateRoom(caller_, request, &created).ok());

  auto store = handler_->store().Lock();
  auto room = store->GetRoom(1);
  ASSERT_TRUE(room.ok()) << room.status();
  EXPECT_EQ(room->display_name(), "Blue");
  EXPECT_EQ(*store->Revision(), 1);
  auto changes = store->backend().ReadChangesAfter(0, 10);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->size(), 1u);
  v1::Change change;
  ASSERT_TRUE(change.ParseFromString((*changes)[0].change));
  EXPECT_EQ(change.room().display_name(), "Blue");
}

TEST_F(DirectoryStoreSeamTest, FailedTransactionLeavesNoTrace) {
  absl::Status failed = handler_->store().Transact(
      [](DirectoryStore* store, absl::Time now) -> absl::Status {
        auto room = store->InsertRoom(TestRoom(), now);
        if (!room.ok()) return room.status();
        return absl::AbortedError("test: give up after the write");
      },
      [] {});
  EXPECT_EQ(failed.code(), absl::StatusCode::kAborted);

  auto store = handler_->store().Lock();
  EXPECT_EQ(store->GetRoom(1).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(*store->Revision(), 0);
}

TEST_F(DirectoryStoreSeamTest, CommittedTransactionKeepsTheWrite) {
  ASSERT_TRUE(handler_->store()
                  .Transact(
                      [](DirectoryStore* store, absl::Time now) {
                        return store->InsertRoom(TestRoom(), now).status();
                      },
                      [] {})
                  .ok());
  auto store = handler_->store().Lock();
  EXPECT_TRUE(store->GetRoom(1).ok());
  EXPECT_EQ(*store->Revision(), 1);
}

}  // namespace
}  // namespace tandem::directory
