// Proposal tokens: ProposeIntensive signs each plan it returns, so that
// HoldIntensive can tell a plan it proposed from one a client edited, made
// up, or took from another couple's proposal, without keeping proposals in
// memory or on disk (they survive a restart and cost nothing to forget).
//
// token = base64url(HMAC-SHA256(key, couple id | template id | template
// update time | the plan without its token, serialized deterministically)).
// The plan's expire_time is inside what is signed.
#ifndef TANDEM_SERVICES_BOOKING_PROPOSAL_TOKEN_H_
#define TANDEM_SERVICES_BOOKING_PROPOSAL_TOKEN_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tandem/booking/v1/booking.pb.h"

namespace tandem::booking {

namespace v1 = ::tandem::booking::v1;

inline constexpr size_t kProposalKeyBytes = 32;

// A fresh random key (OpenSSL's RAND_bytes).
std::string NewProposalKey();

class ProposalSigner {
 public:
  explicit ProposalSigner(std::string key) : key_(std::move(key)) {}

  // Sets plan->proposal_token.
  void Sign(absl::string_view couple_id, const v1::ProgrammeTemplate& programme,
            v1::Plan* plan) const;

  // INVALID_ARGUMENT naming plan.proposal_token if the plan is not exactly
  // one this service proposed for this couple and template version;
  // ABORTED if it was, but its expire_time has passed (propose again).
  absl::Status Verify(absl::string_view couple_id,
                      const v1::ProgrammeTemplate& programme,
                      const v1::Plan& plan, absl::Time now) const;

 private:
  std::string Mac(absl::string_view couple_id,
                  const v1::ProgrammeTemplate& programme,
                  const v1::Plan& plan) const;

  const std::string key_;
};

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_PROPOSAL_TOKEN_H_
