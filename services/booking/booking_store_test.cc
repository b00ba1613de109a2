// The storage seam: the handler and GuardedStore reach the booking data
// only through the BookingStore interface and its StoreBackend, and the
// backend's transaction covers the store's writes.
#include "services/booking/booking_store.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "services/booking/booking_handler.h"
#include "services/booking/sqlite_booking_store.h"
#include "services/common/test_db.h"
#include "services/common/text_proto.h"

namespace tandem::booking {
namespace {

v1::Couple TestCouple() {
  return common::ParseTextProto<v1::Couple>(R"pb(
    partner_a {
      given_name: "Anna"
      family_name: "Virtanen"
      email: "a@example.org"
      preferred_channel: CONTACT_CHANNEL_EMAIL
    }
    partner_b {
      given_name: "Bela"
      family_name: "Lakatos"
      email: "b@example.org"
      preferred_channel: CONTACT_CHANNEL_EMAIL
    }
    language: "fi")pb");
}

const absl::Time kNow = absl::FromUnixSeconds(1800000000);

TEST(OpenBookingStoreTest, OpensASqliteFileAndKeepsItsProposalKey) {
  common::TempDir dir;
  std::string key;
  {
    auto store = OpenBookingStore({dir.File("booking.db")}, kNow);
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_NE(dynamic_cast<SqliteBookingStore*>(store->get()), nullptr);
    key = (*store)->proposal_key();
    EXPECT_FALSE(key.empty());
  }
  auto reopened = OpenBookingStore({dir.File("booking.db")}, kNow);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->proposal_key(), key);
}

TEST(OpenBookingStoreTest, RejectsADatabaseUrlWithoutEchoingIt) {
  auto store = OpenBookingStore({"postgresql://tandem:secret@db/tandem"}, kNow);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(store.status().message(), "--db"));
  EXPECT_FALSE(absl::StrContains(store.status().message(), "secret"));
}

class BookingStoreSeamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Held as the interface from here on, as the handler holds it.
    auto sqlite = SqliteBookingStore::Open({dir_.File("booking.db")}, now_);
    ASSERT_TRUE(sqlite.ok()) << sqlite.status();
    std::unique_ptr<BookingStore> store = std::move(*sqlite);
    handler_ = std::make_unique<BookingHandler>(
        std::move(store), [this] { return now_; }, nullptr);
    revision_ = *handler_->store().Lock()->Revision();
  }

  common::TempDir dir_;
  absl::Time now_ = kNow;
  common::Caller caller_{"coordinator-1", {common::Role::kCoordinator}, ""};
  std::unique_ptr<BookingHandler> handler_;
  int64_t revision_ = 0;  // after open
};

TEST_F(BookingStoreSeamTest, HandlerWritesThroughTheInterface) {
  v1::CreateCoupleRequest request;
  request.set_request_id("r1");
  *request.mutable_couple() = TestCouple();
  v1::CreateCoupleResponse created;
  ASSERT_TRUE(handler_->CreateCouple(caller_, request, &created).ok());
  // A retry is answered from the backend's request log, not re-run.
  v1::CreateCoupleResponse retried;
  ASSERT_TRUE(handler_->CreateCouple(caller_, request, &retried).ok());
  EXPECT_EQ(retried.couple().id(), created.couple().id());

  auto store = handler_->store().Lock();
  auto couple = store->GetCouple(1);
  ASSERT_TRUE(couple.ok()) << couple.status();
  EXPECT_EQ(couple->partner_a().given_name(), "Anna");
  EXPECT_EQ(*store->Revision(), revision_ + 1);
  auto changes = store->backend().ReadChangesAfter(revision_, 10);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->size(), 1u);
  v1::Change change;
  ASSERT_TRUE(change.ParseFromString((*changes)[0].change));
  EXPECT_EQ(change.couple_id(), created.couple().id());
}

TEST_F(BookingStoreSeamTest, FailedTransactionLeavesNoTrace) {
  absl::Status failed = handler_->store().Transact(
      [](BookingStore* store, absl::Time now) -> absl::Status {
        auto couple = store->InsertCouple(TestCouple(), now);
        if (!couple.ok()) return couple.status();
        return absl::AbortedError("test: give up after the write");
      },
      [] {});
  EXPECT_EQ(failed.code(), absl::StatusCode::kAborted);

  auto store = handler_->store().Lock();
  EXPECT_EQ(store->GetCouple(1).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(*store->Revision(), revision_);
}

}  // namespace
}  // namespace tandem::booking
