// Random, often malformed inputs: every operation returns a status or an
// answer (never crashes), and every plan it returns passes the validator.
#include <cstdio>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "scheduler/availability_index.h"
#include "scheduler/planner.h"
#include "scheduler/repair.h"
#include "scheduler/testing/random_instance.h"
#include "scheduler/validate_plan.h"
#include "scheduler/waitlist.h"

namespace tandem::scheduler {
namespace {

TEST(RobustnessTest, RandomRequestsAndDisruptionsNeverCrash) {
  std::mt19937_64 rng(2026);
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  int answered = 0, rejected = 0;
  for (int round = 0; round < 300; ++round) {
    testing::Instance inst = testing::RandomSmallInstance(10000 + round);
    absl::StatusOr<AvailabilityIndex> index =
        AvailabilityIndex::Build(inst.snapshot, 40);
    ASSERT_TRUE(index.ok());
    Request r = inst.request;
    const absl::CivilDay today = inst.snapshot.today;
    switch (pick(8)) {
      case 0:
        r.template_id = pick(2) ? "" : "weekly";
        break;
      case 1:
        r.latest_start = r.earliest_start - pick(5);
        break;
      case 2:
        r.earliest_start = today + 30 + pick(30);
        break;
      case 3:
        r.language = pick(2) ? "" : "TAMIL";
        break;
      case 4:
        r.booking_id = "";
        break;
      case 5:
        r.preferences.standing_team = Team{"f0", "m0"};
        break;
      case 6:
        r.template_id = "classic-1970";
        r.partner_b_sex = r.partner_a_sex;
        break;
      default:
        r.latest_start = today + 1000;
        break;
    }
    const int k = pick(4) == 0 ? -pick(3) : 1 + pick(6);
    absl::StatusOr<ProposeResult> p = Propose(*index, r, k);
    if (!p.ok()) {
      ++rejected;
      EXPECT_FALSE(p.status().message().empty());
      continue;
    }
    ++answered;
    for (const Plan& plan : p->plans) {
      EXPECT_TRUE(ValidatePlan(inst.snapshot, r, plan).ok())
          << ValidatePlan(inst.snapshot, r, plan);
    }
    if (p->plans.empty()) continue;
    ASSERT_TRUE(index->Commit(p->plans[0]).ok());
    Disruption e;
    e.kind = pick(2) ? Disruption::Kind::kRoomOutage
                     : Disruption::Kind::kTherapistAbsence;
    e.resource_id = pick(5) == 0 ? "ghost"
                    : e.kind == Disruption::Kind::kRoomOutage
                        ? inst.snapshot.rooms[0].id
                        : inst.snapshot.therapists[0].id;
    const absl::CivilMinute at =
        absl::CivilMinute(today + pick(20)) + 60 * pick(24);
    e.interval = {at, at + pick(3000) - 200};
    absl::StatusOr<RepairResult> fix = Repair(*index, e);
    if (fix.ok()) {
      const Snapshot now = index->CurrentSnapshot();
      for (const Plan& plan : fix->repaired_plans) {
        EXPECT_TRUE(
            ValidatePlan(now, r, plan, {.allow_missing_sessions = true}).ok());
      }
    }
    absl::StatusOr<WaitlistResult> w =
        PlanWaitlist(*index, {r, r}, rng(), {.improvement_rounds = 2});
    EXPECT_FALSE(w.ok());  // Duplicate (and already committed) booking id.
  }
  std::printf("answered %d, rejected %d\n", answered, rejected);
  EXPECT_GT(answered, 30);
  EXPECT_GT(rejected, 20);
}

}  // namespace
}  // namespace tandem::scheduler
