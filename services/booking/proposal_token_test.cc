#include "services/booking/proposal_token.h"

#include <gtest/gtest.h>

#include "services/common/proto_time.h"

namespace tandem::booking {
namespace {

class ProposalTokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    programme_.set_id("pt-1");
    programme_.mutable_update_time()->set_seconds(1700000000);
    plan_.mutable_team()->set_male_therapist_id("th-1");
    plan_.mutable_team()->set_female_therapist_id("th-2");
    v1::PlannedSession* session = plan_.add_sessions();
    session->add_room_ids("rm-1");
    session->mutable_start_time()->set_seconds(1800000000);
    *plan_.mutable_expire_time() = common::ToProto(now_ + absl::Minutes(30));
    signer_.Sign("cp-1", programme_, &plan_);
  }
  ProposalSigner signer_{NewProposalKey()};
  v1::ProgrammeTemplate programme_;
  v1::Plan plan_;
  absl::Time now_ = absl::FromUnixSeconds(1790000000);
};

TEST_F(ProposalTokenTest, AcceptsTheProposedPlanUntilItExpires) {
  EXPECT_FALSE(plan_.proposal_token().empty());
  EXPECT_TRUE(signer_.Verify("cp-1", programme_, plan_, now_).ok());
  EXPECT_EQ(signer_.Verify("cp-1", programme_, plan_, now_ + absl::Minutes(31))
                .code(),
            absl::StatusCode::kAborted);
}

TEST_F(ProposalTokenTest, RejectsEditsOtherCouplesTemplatesAndKeys) {
  v1::Plan edited = plan_;
  edited.mutable_sessions(0)->set_room_ids(0, "rm-2");
  absl::Status status = signer_.Verify("cp-1", programme_, edited, now_);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("plan.proposal_token"), std::string::npos);

  edited = plan_;  // a later expiry cannot be granted by the client either
  *edited.mutable_expire_time() = common::ToProto(now_ + absl::Hours(5));
  EXPECT_FALSE(signer_.Verify("cp-1", programme_, edited, now_).ok());

  EXPECT_FALSE(signer_.Verify("cp-2", programme_, plan_, now_).ok());
  v1::ProgrammeTemplate changed = programme_;
  changed.mutable_update_time()->set_seconds(1700000001);
  EXPECT_FALSE(signer_.Verify("cp-1", changed, plan_, now_).ok());
  ProposalSigner other(NewProposalKey());
  EXPECT_FALSE(other.Verify("cp-1", programme_, plan_, now_).ok());
  v1::Plan garbage = plan_;
  garbage.set_proposal_token("!!not base64!!");
  EXPECT_FALSE(signer_.Verify("cp-1", programme_, garbage, now_).ok());
}

}  // namespace
}  // namespace tandem::booking
