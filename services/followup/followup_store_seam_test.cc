// The storage seam: the handler and GuardedStore reach the follow-up data,
// reminder parts included, only through the FollowUpStore interface and its
// StoreBackend, and the backend's transaction covers every part's writes.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "services/common/test_db.h"
#include "services/followup/booking_client.h"
#include "services/followup/followup_handler.h"
#include "services/followup/followup_store.h"
#include "services/followup/reminder_jobs.h"
#include "services/followup/reminder_quota.h"
#include "services/followup/reminder_settings.h"
#include "services/followup/sqlite_followup_store.h"

namespace tandem::followup {
namespace {

TEST(OpenFollowUpStoreTest, OpensASqliteFile) {
  common::TempDir dir;
  auto store = OpenFollowUpStore({dir.File("followup.db")},
                                 absl::FromUnixSeconds(1800000000));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_NE(dynamic_cast<SqliteFollowUpStore*>(store->get()), nullptr);
  EXPECT_EQ(*(*store)->backend().BackupSourceFile(), dir.File("followup.db"));
}

TEST(OpenFollowUpStoreTest, RejectsADatabaseUrlWithoutEchoingIt) {
  auto store = OpenFollowUpStore({"postgresql://tandem:secret@db/tandem"},
                                 absl::FromUnixSeconds(1800000000));
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(store.status().message(), "--db"));
  EXPECT_FALSE(absl::StrContains(store.status().message(), "secret"));
}

class FollowUpStoreSeamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Held as the interface from here on, as the handler holds it.
    auto sqlite = SqliteFollowUpStore::Open({dir_.File("followup.db")}, now_);
    ASSERT_TRUE(sqlite.ok()) << sqlite.status();
    std::unique_ptr<FollowUpStore> store = std::move(*sqlite);
    // Nothing here calls booking: the channels lead nowhere.
    auto nowhere =
        grpc::CreateChannel("127.0.0.1:9", grpc::InsecureChannelCredentials());
    client_ = std::make_unique<BookingClient>(nowhere, nowhere);
    handler_ = std::make_unique<FollowUpHandler>(
        std::move(store), [this] { return now_; }, client_.get());
  }

  // Writes a policy, a reminder job and a charge in one transaction, which
  // commits only if `commit`.
  absl::Status WriteEveryPart(bool commit) {
    return handler_->store().Transact(
        [commit](FollowUpStore* store, absl::Time now) -> absl::Status {
          v1::ReminderPolicy policy = DefaultReminderPolicy();
          policy.mutable_debounce()->set_seconds(20 * 60);
          absl::StatusOr<v1::ReminderPolicy> saved =
              store->reminder_settings().SavePolicy(policy, now);
          if (!saved.ok()) return saved.status();
          ReminderJob job;
          job.subject_ref = "in-4";
          job.event = v1::REMINDER_EVENT_INTENSIVE_START;
          job.couple_id = "cp-1";
          job.event_time = now + absl::Hours(72);
          if (absl::Status s = store->reminder_jobs().Request(job); !s.ok()) {
            return s;
          }
          if (absl::Status s = ReminderQuota(store->reminder_charges(), 10)
                                   .Charge("user-a", "fp-1", 4, now);
              !s.ok()) {
            return s;
          }
          return commit ? absl::OkStatus()
                        : absl::AbortedError("test: give up after the writes");
        },
        [] {});
  }

  int64_t Debounce() {
    v1::GetReminderPolicyResponse response;
    EXPECT_TRUE(handler_->GetReminderPolicy(caller_, {}, &response).ok());
    return response.reminder_policy().debounce().seconds();
  }

  common::TempDir dir_;
  absl::Time now_ = absl::FromUnixSeconds(1800000000);
  common::Caller caller_{"user-a", {common::Role::kCoordinator}, ""};
  std::unique_ptr<BookingClient> client_;
  std::unique_ptr<FollowUpHandler> handler_;
};

TEST_F(FollowUpStoreSeamTest, CommittedPartsAreSeenThroughTheInterface) {
  ASSERT_TRUE(WriteEveryPart(/*commit=*/true).ok());
  EXPECT_EQ(Debounce(), 20 * 60);  // the handler reads what was written
  auto store = handler_->store().Lock();
  auto jobs = store->reminder_jobs().Pending(10);
  ASSERT_TRUE(jobs.ok()) << jobs.status();
  ASSERT_EQ(jobs->size(), 1u);
  EXPECT_EQ((*jobs)[0].subject_ref, "in-4");
  EXPECT_EQ(*ReminderQuota(store->reminder_charges(), 10).Used("user-a", now_),
            4);
}

TEST_F(FollowUpStoreSeamTest, FailedTransactionLeavesNoPartWritten) {
  const int64_t default_debounce = Debounce();
  EXPECT_EQ(WriteEveryPart(/*commit=*/false).code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(Debounce(), default_debounce);
  auto store = handler_->store().Lock();
  EXPECT_TRUE(store->reminder_jobs().Pending(10)->empty());
  EXPECT_EQ(*ReminderQuota(store->reminder_charges(), 10).Used("user-a", now_),
            0);
}

}  // namespace
}  // namespace tandem::followup
