// The word-parallel per-pair sweep must count exactly what the per-start
// search counts, on loaded clinics and on random small instances.
#include <vector>

#include "gtest/gtest.h"
#include "scheduler/availability_index.h"
#include "scheduler/internal/feasibility.h"
#include "scheduler/internal/resolved_request.h"
#include "scheduler/internal/search.h"
#include "scheduler/planner.h"
#include "scheduler/testing/loaded_clinic.h"
#include "scheduler/testing/random_instance.h"

namespace tandem::scheduler {
namespace {

void ExpectStrategiesAgree(const AvailabilityIndex& index, const Request& r,
                           int* compared) {
  absl::StatusOr<internal::ResolvedRequest> req =
      internal::ResolveRequest(index, r);
  ASSERT_TRUE(req.ok()) << req.status();
  if (!internal::CanSweepByPair(*req)) return;
  internal::FeasibilityCache a(index, *req), b(index, *req);
  const std::vector<int> by_start = internal::CountFeasibleTeamsByStart(
      index, *req, a, req->first_start, req->last_start);
  const std::vector<int> by_pair = internal::CountFeasibleTeamsByPair(
      index, *req, b, req->first_start, req->last_start);
  EXPECT_EQ(by_start, by_pair);
  ++*compared;
}

TEST(SweepTest, PerPairSweepMatchesPerStartSearchOnALoadedClinic) {
  const testing::LoadedClinic clinic =
      testing::GenerateLoadedClinic(testing::ClinicSize::kS, 5);
  absl::StatusOr<AvailabilityIndex> index =
      AvailabilityIndex::Build(clinic.snapshot, 395);
  ASSERT_TRUE(index.ok());
  Request r;
  r.booking_id = "sweep";
  r.template_id = "ten-day-intensive";
  r.language = "English";
  r.earliest_start = clinic.snapshot.today;
  r.latest_start = r.earliest_start + 364;
  int compared = 0;
  ExpectStrategiesAgree(*index, r, &compared);
  EXPECT_EQ(compared, 1);
  absl::StatusOr<std::vector<int>> counts = CountFeasibleTeams(*index, r);
  ASSERT_TRUE(counts.ok());
  int total = 0;
  for (int c : *counts) total += c;
  EXPECT_GT(total, 0);
}

TEST(SweepTest, PerPairSweepMatchesOnRandomInstances) {
  int compared = 0;
  for (int seed = 0; seed < 500; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    const testing::Instance inst = testing::RandomSmallInstance(seed);
    absl::StatusOr<AvailabilityIndex> index =
        AvailabilityIndex::Build(inst.snapshot, 60);
    ASSERT_TRUE(index.ok());
    ExpectStrategiesAgree(*index, inst.request, &compared);
  }
  EXPECT_GT(compared, 50);  // Enough templates qualify for the fast path.
}

}  // namespace
}  // namespace tandem::scheduler
