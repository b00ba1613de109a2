#include "services/common/idempotency.h"

#include <gtest/gtest.h>

#include "google/protobuf/timestamp.pb.h"
#include "services/common/sqlite_store_backend.h"
#include "services/common/test_db.h"

namespace tandem::common {
namespace {

using google::protobuf::Timestamp;

const Migration kMigrations[] = {
    {1, kRequestLogSchema},
    {2, "CREATE TABLE counter (n INTEGER); INSERT INTO counter VALUES (0);"},
};

class IdempotencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = *SqliteStoreBackend::Open({dir_.File("a.db")}, kMigrations);
    db_ = &backend_->db();
  }
  // A mutation that bumps a counter and answers with its new value.
  absl::StatusOr<Timestamp> Bump(const Timestamp& request,
                                 absl::string_view request_id) {
    return RunIdempotent<Timestamp>(
        *backend_, "Bump", request, request_id, absl::UnixEpoch(),
        [&]() -> absl::StatusOr<Timestamp> {
          RETURN_IF_ERROR(db_->Exec("UPDATE counter SET n = n + 1"));
          auto select = *db_->Prepare("SELECT n FROM counter");
          ASSIGN_OR_RETURN(bool row, select.Step());
          Timestamp response;
          response.set_seconds(row ? select.ColumnInt64(0) : -1);
          return response;
        });
  }
  TempDir dir_;
  std::unique_ptr<SqliteStoreBackend> backend_;
  Database* db_ = nullptr;
};

TEST_F(IdempotencyTest, RetryReturnsFirstResponseAndChangesNothing) {
  Timestamp request;
  request.set_seconds(42);
  auto first = Bump(request, "req-1");
  auto retry = Bump(request, "req-1");
  ASSERT_TRUE(first.ok() && retry.ok());
  EXPECT_EQ(first->seconds(), 1);
  EXPECT_EQ(retry->seconds(), 1);
  EXPECT_EQ(Bump(request, "req-2")->seconds(), 2);
}

TEST_F(IdempotencyTest, SameIdForDifferentRequestIsInvalid) {
  Timestamp a, b;
  a.set_seconds(1);
  b.set_seconds(2);
  ASSERT_TRUE(Bump(a, "req-1").ok());
  EXPECT_EQ(Bump(b, "req-1").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(IdempotencyTest, FailedMutationIsNotRecordedSoARetryRuns) {
  Timestamp request;
  auto failing = RunIdempotent<Timestamp>(
      *backend_, "Fail", request, "req-x", absl::UnixEpoch(),
      []() -> absl::StatusOr<Timestamp> {
        return absl::FailedPreconditionError("no");
      });
  EXPECT_EQ(failing.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Bump(request, "req-x")->seconds(), 1);
}

TEST_F(IdempotencyTest, RequestIdIsValidated) {
  Timestamp request;
  EXPECT_EQ(Bump(request, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Bump(request, "has space").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Bump(request, std::string(65, 'a')).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(IdempotencyTest, PruneForgetsOldResponses) {
  Timestamp request;
  ASSERT_TRUE(Bump(request, "req-1").ok());
  EXPECT_EQ(*PruneRequestLog(*db_, absl::UnixEpoch() + absl::Seconds(1)), 1);
  EXPECT_EQ(Bump(request, "req-1")->seconds(), 2);
}

}  // namespace
}  // namespace tandem::common
