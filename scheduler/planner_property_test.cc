// Randomised property tests against the brute-force oracle (testing/oracle.h)
// and the independent validator, over 2,000 seeded small instances.
#include <optional>

#include "gtest/gtest.h"
#include "scheduler/availability_index.h"
#include "scheduler/planner.h"
#include "scheduler/testing/index_equality.h"
#include "scheduler/testing/oracle.h"
#include "scheduler/testing/random_instance.h"
#include "scheduler/validate_plan.h"

namespace tandem::scheduler {
namespace {

constexpr int kInstances = 2000;
constexpr int kHorizonDays = 60;

TEST(PlannerPropertyTest, MatchesOracleAndEveryPlanValidates) {
  int feasible = 0, infeasible = 0, later_found = 0;
  for (int seed = 0; seed < kInstances; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    const testing::Instance inst = testing::RandomSmallInstance(seed);
    absl::StatusOr<AvailabilityIndex> index =
        AvailabilityIndex::Build(inst.snapshot, kHorizonDays);
    ASSERT_TRUE(index.ok()) << index.status();
    absl::StatusOr<ProposeResult> r = Propose(*index, inst.request, 3);
    ASSERT_TRUE(r.ok()) << r.status();

    const std::optional<absl::CivilDay> oracle =
        testing::OracleEarliestStart(inst.snapshot, inst.request);
    if (oracle.has_value()) {
      ++feasible;
      ASSERT_FALSE(r->plans.empty()) << "oracle found " << *oracle;
      EXPECT_EQ(r->plans[0].start_date(), *oracle);
    } else {
      ++infeasible;
      EXPECT_TRUE(r->plans.empty());
      ASSERT_TRUE(r->explanation.has_value());
      EXPECT_FALSE(r->explanation->feasible_in_window);
      EXPECT_FALSE(r->explanation->reasons.empty());
    }
    for (size_t i = 0; i < r->plans.size(); ++i) {
      const Plan& p = r->plans[i];
      const absl::Status valid = ValidatePlan(inst.snapshot, inst.request, p);
      EXPECT_TRUE(valid.ok()) << "plan " << i << ": " << valid;
      for (const PlannedSession& s : p.sessions) {
        EXPECT_TRUE(s.substitute_for.empty());
      }
      if (i > 0) {
        EXPECT_LE(r->plans[i - 1].start_date(), p.start_date());
      }
    }
    // The earliest start after the window really works.
    if (r->explanation && r->explanation->earliest_start_after_window) {
      ++later_found;
      Request later = inst.request;
      later.earliest_start = later.latest_start =
          *r->explanation->earliest_start_after_window;
      absl::StatusOr<ProposeResult> lr = Propose(*index, later, 1);
      ASSERT_TRUE(lr.ok());
      ASSERT_FALSE(lr->plans.empty());
      EXPECT_TRUE(ValidatePlan(inst.snapshot, later, lr->plans[0]).ok());
      EXPECT_EQ(testing::OracleEarliestStart(inst.snapshot, later),
                lr->plans[0].start_date());
    }
    // Incremental updates equal a rebuild, and Release undoes Commit.
    if (!r->plans.empty()) {
      AvailabilityIndex live = *index;
      ASSERT_TRUE(live.Commit(r->plans[0]).ok());
      absl::StatusOr<AvailabilityIndex> rebuilt =
          AvailabilityIndex::Build(live.CurrentSnapshot(), kHorizonDays);
      ASSERT_TRUE(rebuilt.ok());
      EXPECT_EQ(testing::IndexDifference(live, *rebuilt), "");
      ASSERT_TRUE(live.Release(inst.request.booking_id).ok());
      EXPECT_EQ(testing::IndexDifference(live, *index), "");
    }
  }
  // Guard against a generator that makes the test vacuous.
  EXPECT_GT(feasible, kInstances / 5);
  EXPECT_GT(infeasible, kInstances / 10);
  EXPECT_GT(later_found, 0);
  RecordProperty("feasible", feasible);
  RecordProperty("infeasible", infeasible);
  std::printf("feasible %d, infeasible %d, later start found %d\n", feasible,
              infeasible, later_found);
}

}  // namespace
}  // namespace tandem::scheduler
