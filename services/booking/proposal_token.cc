#include "services/booking/proposal_token.h"

#include <openssl/rand.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/common/deterministic_bytes.h"
#include "services/common/hmac_sha256.h"
#include "services/common/proto_time.h"

namespace tandem::booking {

std::string NewProposalKey() {
  std::string key(kProposalKeyBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()),
                 static_cast<int>(key.size())) != 1) {
    // No entropy source is not a state to serve from: refuse to start.
    std::abort();
  }
  return key;
}

std::string ProposalSigner::Mac(absl::string_view couple_id,
                                const v1::ProgrammeTemplate& programme,
                                const v1::Plan& plan) const {
  v1::Plan unsigned_plan = plan;
  unsigned_plan.clear_proposal_token();
  const std::string message = absl::StrCat(
      couple_id, "|", programme.id(), "|",
      absl::ToUnixMicros(common::FromProto(programme.update_time())), "|",
      common::DeterministicBytes(unsigned_plan));
  return common::HmacSha256(key_, message);
}

void ProposalSigner::Sign(absl::string_view couple_id,
                          const v1::ProgrammeTemplate& programme,
                          v1::Plan* plan) const {
  plan->set_proposal_token(
      absl::WebSafeBase64Escape(Mac(couple_id, programme, *plan)));
}

absl::Status ProposalSigner::Verify(absl::string_view couple_id,
                                    const v1::ProgrammeTemplate& programme,
                                    const v1::Plan& plan,
                                    absl::Time now) const {
  std::string given;
  if (!absl::WebSafeBase64Unescape(plan.proposal_token(), &given) ||
      !common::SameMac(given, Mac(couple_id, programme, plan))) {
    return absl::InvalidArgumentError(
        "plan.proposal_token: the plan is not one proposed for this couple "
        "and template (was it changed?); propose again");
  }
  if (common::FromProto(plan.expire_time()) <= now) {
    return absl::AbortedError("plan: the proposal has expired; propose again");
  }
  return absl::OkStatus();
}

}  // namespace tandem::booking
