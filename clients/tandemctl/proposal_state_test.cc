#include "clients/tandemctl/proposal_state.h"

#include <cstdlib>
#include <filesystem>

#include "gtest/gtest.h"

namespace tandem::cli {
namespace {

ProposalState TwoPlans() {
  ProposalState state;
  state.couple_id = "cp-1";
  state.proposed_at = absl::FromUnixSeconds(1790000000);
  for (int i = 1; i <= 2; ++i) {
    auto* plan = state.plans.Add();
    plan->set_proposal_token("token-" + std::to_string(i));
    plan->mutable_team()->set_male_therapist_id("th-1");
    plan->mutable_start_date()->set_year(2026);
    plan->set_score(0.5 * i);
    plan->add_sessions()->add_room_ids("rm-" + std::to_string(i));
  }
  return state;
}

TEST(ProposalState, RoundTripsThePlansExactly) {
  const ProposalState state = TwoPlans();
  auto decoded = DecodeProposalState(EncodeProposalState(state));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->couple_id, "cp-1");
  EXPECT_EQ(decoded->proposed_at, state.proposed_at);
  ASSERT_EQ(decoded->plans.size(), 2);
  EXPECT_EQ(decoded->plans[1].SerializeAsString(),
            state.plans[1].SerializeAsString());
}

TEST(ProposalState, PlanNumbersAreOneBased) {
  const ProposalState state = TwoPlans();
  EXPECT_EQ(PlanNumber(state, 2)->proposal_token(), "token-2");
  auto bad = PlanNumber(state, 3);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("(1-2)"), std::string::npos);
  EXPECT_FALSE(PlanNumber(state, 0).ok());
}

TEST(ProposalState, GarbageIsDataLoss) {
  EXPECT_EQ(DecodeProposalState("{not json").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeProposalState("{}").status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(ProposalState, SavesAndLoadsInADirectory) {
  const std::string dir = ::testing::TempDir() + "/tandemctl-state-test";
  std::filesystem::remove_all(dir);
  EXPECT_EQ(LoadProposalState(dir).status().code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(SaveProposalState(dir, TwoPlans()).ok());
  auto loaded = LoadProposalState(dir);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->plans.size(), 2);
  std::filesystem::remove_all(dir);
}

TEST(StateDir, FlagThenVariablesThenHome) {
  auto env = [](std::map<std::string, std::string> vars) -> EnvLookup {
    return [vars](const std::string& n) -> std::optional<std::string> {
      auto it = vars.find(n);
      if (it == vars.end()) return std::nullopt;
      return it->second;
    };
  };
  EXPECT_EQ(*StateDir("/s", env({{"TANDEM_STATE_DIR", "/t"}})), "/s");
  EXPECT_EQ(*StateDir("", env({{"TANDEM_STATE_DIR", "/t"}})), "/t");
  EXPECT_EQ(*StateDir("", env({{"XDG_STATE_HOME", "/x"}, {"HOME", "/h"}})),
            "/x/tandem");
  EXPECT_EQ(*StateDir("", env({{"HOME", "/h"}})), "/h/.local/state/tandem");
  EXPECT_FALSE(StateDir("", env({})).ok());
}

}  // namespace
}  // namespace tandem::cli
