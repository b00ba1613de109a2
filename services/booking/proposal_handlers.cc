// BookingHandler: ProposeIntensive. Reads what it needs under the store's
// lock, then plans on the live index under its shared lock (or, in repair
// mode, with the intensive's own booking set aside under the exclusive one).
#include "absl/strings/str_cat.h"
#include "services/booking/booking_handler.h"
#include "services/booking/ids.h"
#include "services/booking/intensive_lifecycle.h"
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
  ASSIGN_OR_RETURN(std::shared_ptr<const DirectoryState> directory,
                   Directory());
  ProposalInputs inputs;
  RETURN_IF_ERROR(ReadProposalInputs(couple_id, template_id,
                                     request.repair_intensive_id(), inputs));
  inputs.now = store_.Now();
  inputs.signer = &signer_;
  {
    auto store = store_.Lock();
    RETURN_IF_ERROR(EnsureLive(*store, inputs.now));
  }
  // The index and the directory it was built from belong together.
  directory = live_.directory();
  inputs.directory = directory.get();

  absl::StatusOr<v1::ProposeIntensiveResponse> result =
      absl::UnavailableError("availability is not known yet; retry shortly");
  if (request.repair_intensive_id().empty()) {
    live_.Read([&](const scheduler::AvailabilityIndex& index) {
      ProposalInputs with_index = inputs;
      with_index.index = &index;
      result = booking::ProposeIntensive(request, with_index);
    });
    ASSIGN_OR_RETURN(*response, std::move(result));
    return absl::OkStatus();
  }

  // Repair mode: plans that replace an existing intensive's.
  ASSIGN_OR_RETURN(int64_t intensive_id,
                   ParseId(kIntensivePrefix, request.repair_intensive_id(),
                           "repair_intensive_id"));
  v1::Intensive intensive;
  {
    auto store = store_.Lock();
    ASSIGN_OR_RETURN(intensive, store->GetIntensive(intensive_id));
  }
  if (intensive.couple_id() != request.couple_id() ||
      intensive.template_id() != request.template_id()) {
    return absl::InvalidArgumentError(
        "repair_intensive_id: couple_id and template_id must be the "
        "intensive's");
  }
  if (IsFinal(intensive.status()) ||
      intensive.status() == v1::INTENSIVE_STATUS_IN_PROGRESS) {
    return absl::FailedPreconditionError(absl::StrCat(
        "intensive ", intensive.id(), " is ", DescribeStatus(intensive),
        "; only held, booked or needs-attention intensives can be re-planned"));
  }
  v1::ProposeIntensiveRequest repair = request;
  if (repair.preferences().preferred_team_id().empty()) {
    repair.mutable_preferences()->set_preferred_team_id(
        intensive.team().team_id());
  }
  live_.Write([&](scheduler::AvailabilityIndex& index) {
    std::optional<scheduler::Plan> own;
    if (const scheduler::Plan* p = index.FindPlan(intensive.id())) own = *p;
    if (own) index.Release(intensive.id()).IgnoreError();
    ProposalInputs with_index = inputs;
    with_index.index = &index;
    with_index.repairing = &intensive;
    result = booking::ProposeIntensive(repair, with_index);
    if (own) index.Commit(*own).IgnoreError();
  });
  ASSIGN_OR_RETURN(*response, std::move(result));
  return absl::OkStatus();
}

}  // namespace tandem::booking
