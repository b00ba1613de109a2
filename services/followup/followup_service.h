// The gRPC face of the follow-up service: one line per RPC, forwarding to
// FollowUpHandler.
#ifndef TANDEM_SERVICES_FOLLOWUP_FOLLOWUP_SERVICE_H_
#define TANDEM_SERVICES_FOLLOWUP_FOLLOWUP_SERVICE_H_

#include "services/common/caller.h"
#include "services/common/unary_call.h"
#include "services/followup/followup_handler.h"
#include "tandem/followup/v1/followup_service.grpc.pb.h"

namespace tandem::followup {

class FollowUpService final : public v1::FollowUpService::CallbackService {
 public:
  // Neither pointer is owned; both must outlive the service.
  FollowUpService(FollowUpHandler* handler,
                  const common::CallGate* gate)
      : handler_(handler), gate_(gate) {}

  TANDEM_FORWARD_UNARY(GetFollowUpPlanTemplate)
  TANDEM_FORWARD_UNARY(ListFollowUpPlanTemplates)
  TANDEM_FORWARD_UNARY(CreateFollowUpPlanTemplate)
  TANDEM_FORWARD_UNARY(UpdateFollowUpPlanTemplate)
  TANDEM_FORWARD_UNARY(DeleteFollowUpPlanTemplate)
  TANDEM_FORWARD_UNARY(GetFollowUpPlan)
  TANDEM_FORWARD_UNARY(ListFollowUpPlans)
  TANDEM_FORWARD_UNARY(CreateFollowUpPlan)
  TANDEM_FORWARD_UNARY(CancelFollowUpPlan)
  TANDEM_FORWARD_UNARY(GetFollowUpContact)
  TANDEM_FORWARD_UNARY(ListFollowUpContacts)
  TANDEM_FORWARD_UNARY(RescheduleContact)
  TANDEM_FORWARD_UNARY(CancelContact)
  TANDEM_FORWARD_UNARY(RecordOutcome)
  TANDEM_FORWARD_UNARY(RebookContact)
  TANDEM_FORWARD_UNARY(GetReminderPolicy)
  TANDEM_FORWARD_UNARY(UpdateReminderPolicy)
  TANDEM_FORWARD_UNARY(ListContactPreferences)
  TANDEM_FORWARD_UNARY(SetOptOut)
  TANDEM_FORWARD_UNARY(GetReminder)
  TANDEM_FORWARD_UNARY(ListReminders)

 private:
  FollowUpHandler* const handler_;
  const common::CallGate* const gate_;
};

}  // namespace tandem::followup

#undef TANDEM_FOLLOWUP_NOT_YET

#endif  // TANDEM_SERVICES_FOLLOWUP_FOLLOWUP_SERVICE_H_
