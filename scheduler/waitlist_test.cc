#include "scheduler/waitlist.h"

#include "gtest/gtest.h"
#include "scheduler/availability_index.h"
#include "scheduler/testing/random_instance.h"
#include "scheduler/testing/small_clinic.h"
#include "scheduler/validate_plan.h"

namespace tandem::scheduler {
namespace {

using testing::SmallClinic;
using testing::TenDayRequest;

std::vector<Request> ManyRequests(int n) {
  std::vector<Request> out;
  for (int i = 0; i < n; ++i) {
    Request r = TenDayRequest("w" + std::to_string(100 + i));
    r.earliest_start = absl::CivilDay(2026, 3, 2) + (i % 5);
    r.latest_start = r.earliest_start + 10 + (i % 7);
    out.push_back(r);
  }
  return out;
}

// Every plan keeps every rule against the snapshot plus all other plans.
void ExpectAllValid(const AvailabilityIndex& base,
                    const std::vector<Request>& requests,
                    const WaitlistResult& w) {
  AvailabilityIndex all = base;
  for (const Plan& p : w.plans) ASSERT_TRUE(all.Commit(p).ok());
  const Snapshot snap = all.CurrentSnapshot();
  for (const Plan& p : w.plans) {
    const Request* req = nullptr;
    for (const Request& r : requests) {
      if (r.booking_id == p.booking_id) req = &r;
    }
    ASSERT_NE(req, nullptr);
    EXPECT_TRUE(ValidatePlan(snap, *req, p).ok())
        << ValidatePlan(snap, *req, p);
  }
}

TEST(WaitlistTest, BooksCompatiblePlansDeterministically) {
  absl::StatusOr<AvailabilityIndex> index =
      AvailabilityIndex::Build(SmallClinic());
  ASSERT_TRUE(index.ok());
  const std::vector<Request> requests = ManyRequests(30);
  absl::StatusOr<WaitlistResult> a = PlanWaitlist(*index, requests, 7);
  absl::StatusOr<WaitlistResult> b = PlanWaitlist(*index, requests, 7);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->plans, b->plans);
  EXPECT_EQ(a->unplaced_booking_ids, b->unplaced_booking_ids);
  EXPECT_EQ(a->plans.size() + a->unplaced_booking_ids.size(), 30u);
  // Two teams' worth of therapists and one joint room: not all 30 fit.
  EXPECT_GT(a->plans.size(), 4u);
  EXPECT_FALSE(a->unplaced_booking_ids.empty());
  ExpectAllValid(*index, requests, *a);
}

TEST(WaitlistTest, LocalSearchNeverWorseThanGreedy) {
  absl::StatusOr<AvailabilityIndex> index =
      AvailabilityIndex::Build(SmallClinic());
  ASSERT_TRUE(index.ok());
  const std::vector<Request> requests = ManyRequests(24);
  absl::StatusOr<WaitlistResult> greedy =
      PlanWaitlist(*index, requests, 1, {.improvement_rounds = 0});
  absl::StatusOr<WaitlistResult> searched =
      PlanWaitlist(*index, requests, 1, {.improvement_rounds = 30});
  ASSERT_TRUE(greedy.ok());
  ASSERT_TRUE(searched.ok());
  EXPECT_GE(searched->plans.size(), greedy->plans.size());
  if (searched->plans.size() == greedy->plans.size()) {
    EXPECT_LE(searched->total_delay_days, greedy->total_delay_days);
  }
}

TEST(WaitlistTest, RandomInstancesAlwaysValid) {
  for (int seed = 0; seed < 150; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    testing::Instance inst = testing::RandomSmallInstance(seed);
    absl::StatusOr<AvailabilityIndex> index =
        AvailabilityIndex::Build(inst.snapshot, 60);
    ASSERT_TRUE(index.ok());
    std::vector<Request> requests;
    for (int i = 0; i < 5; ++i) {
      Request r = inst.request;
      r.booking_id = "q" + std::to_string(i);
      r.latest_start = r.latest_start + i * 3;
      requests.push_back(r);
    }
    absl::StatusOr<WaitlistResult> w = PlanWaitlist(*index, requests, seed);
    ASSERT_TRUE(w.ok()) << w.status();
    ExpectAllValid(*index, requests, *w);
  }
}

TEST(WaitlistTest, RejectsDuplicateAndInvalidRequestsByPosition) {
  absl::StatusOr<AvailabilityIndex> index =
      AvailabilityIndex::Build(SmallClinic());
  ASSERT_TRUE(index.ok());
  std::vector<Request> requests = ManyRequests(3);
  requests[2].booking_id = requests[0].booking_id;
  EXPECT_EQ(PlanWaitlist(*index, requests, 1).status().code(),
            absl::StatusCode::kInvalidArgument);
  requests = ManyRequests(3);
  requests[1].template_id = "nope";
  EXPECT_NE(PlanWaitlist(*index, requests, 1)
                .status()
                .message()
                .find("requests[1]: request.template_id"),
            std::string::npos);
}

}  // namespace
}  // namespace tandem::scheduler
