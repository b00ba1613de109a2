// The gRPC face of the follow-up service: one line per RPC, forwarding to
// FollowUpHandler. The reminder RPCs answer UNIMPLEMENTED until the
// reminders land.
#ifndef TANDEM_SERVICES_FOLLOWUP_FOLLOWUP_SERVICE_H_
#define TANDEM_SERVICES_FOLLOWUP_FOLLOWUP_SERVICE_H_

#include "services/common/caller.h"
#include "services/common/unary_call.h"
#include "services/followup/followup_handler.h"
#include "tandem/followup/v1/followup_service.grpc.pb.h"

// Declares an override of `Method` that answers UNIMPLEMENTED.
#define TANDEM_FOLLOWUP_NOT_YET(Method)                                  \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context, \
                                   const v1::Method##Request*,           \
                                   v1::Method##Response*) override {     \
    return NotYet(context, #Method);                                     \
  }

namespace tandem::followup {

class FollowUpService final : public v1::FollowUpService::CallbackService {
 public:
  // Neither pointer is owned; both must outlive the service.
  FollowUpService(FollowUpHandler* handler,
                  const common::Authenticator* authenticator)
      : handler_(handler), authenticator_(authenticator) {}

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

  TANDEM_FOLLOWUP_NOT_YET(GetReminderPolicy)
  TANDEM_FOLLOWUP_NOT_YET(UpdateReminderPolicy)
  TANDEM_FOLLOWUP_NOT_YET(ListContactPreferences)
  TANDEM_FOLLOWUP_NOT_YET(SetOptOut)
  TANDEM_FOLLOWUP_NOT_YET(GetReminder)
  TANDEM_FOLLOWUP_NOT_YET(ListReminders)

 private:
  static grpc::ServerUnaryReactor* NotYet(grpc::CallbackServerContext* context,
                                          const char* method);

  FollowUpHandler* const handler_;
  const common::Authenticator* const authenticator_;
};

}  // namespace tandem::followup

#undef TANDEM_FOLLOWUP_NOT_YET

#endif  // TANDEM_SERVICES_FOLLOWUP_FOLLOWUP_SERVICE_H_
