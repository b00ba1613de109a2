// BookingHandler: ProposeIntensive. Reads what it needs under the store's
// lock, then plans without holding it.
#include "services/booking/booking_handler.h"
#include "services/booking/ids.h"
#include "services/booking/proposal.h"
#include "services/common/status_macros.h"

namespace tandem::booking {

absl::Status BookingHandler::ProposeIntensive(
    const Caller&, const v1::ProposeIntensiveRequest& request,
    v1::ProposeIntensiveResponse* response) {
  ASSIGN_OR_RETURN(int64_t couple_id,
                   ParseId(kCouplePrefix, request.couple_id(), "couple_id"));
  ASSIGN_OR_RETURN(
      int64_t template_id,
      ParseId(kTemplatePrefix, request.template_id(), "template_id"));
  std::shared_ptr<const DirectoryState> directory =
      directory_ ? directory_() : nullptr;
  if (directory == nullptr) {
    return absl::UnavailableError(
        "the directory is not replicated yet; retry shortly");
  }
  ProposalInputs inputs;
  inputs.directory = directory.get();
  {
    auto store = store_.Lock();
    ASSIGN_OR_RETURN(inputs.couple, store->GetCouple(couple_id));
    ASSIGN_OR_RETURN(inputs.programme, store->GetTemplate(template_id));
    ReferralFilter filter;
    filter.couple_id = couple_id;
    common::PageCursor after{0, 0};
    while (true) {  // a couple has a handful of referrals
      ASSIGN_OR_RETURN(auto page, store->ListReferrals(filter, after, 100));
      for (v1::Referral& r : page.items)
        inputs.referrals.push_back(std::move(r));
      if (!page.next) break;
      after = *page.next;
    }
  }
  inputs.now = store_.Now();
  inputs.signer = &signer_;
  ASSIGN_OR_RETURN(*response, booking::ProposeIntensive(request, inputs));
  return absl::OkStatus();
}

}  // namespace tandem::booking
