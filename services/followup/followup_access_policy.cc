#include "services/followup/followup_access_policy.h"

namespace tandem::followup {

const common::AccessPolicy& FollowUpAccessPolicy() {
  using common::Audit;
  using common::Role;
  const common::Roles coordinator = {Role::kCoordinator};
  const common::Roles treating = {Role::kCoordinator, Role::kTherapist};
  const common::Roles settings = {Role::kAdmin, Role::kCoordinator};
  static const common::AccessPolicy* const policy = new common::AccessPolicy(
      "followup",
      {
          {"GetFollowUpPlanTemplate", {common::kStaffAndServices, Audit::kNo}},
          {"ListFollowUpPlanTemplates",
           {common::kStaffAndServices, Audit::kNo}},
          {"CreateFollowUpPlanTemplate", {settings, Audit::kYes}},
          {"UpdateFollowUpPlanTemplate", {settings, Audit::kYes}},
          {"DeleteFollowUpPlanTemplate", {settings, Audit::kYes}},
          {"GetFollowUpPlan", {treating, Audit::kYes}},
          {"ListFollowUpPlans", {treating, Audit::kYes}},
          {"CreateFollowUpPlan", {coordinator, Audit::kYes}},
          {"CancelFollowUpPlan", {coordinator, Audit::kYes}},
          {"GetFollowUpContact", {treating, Audit::kYes}},
          {"ListFollowUpContacts",
           {{Role::kCoordinator, Role::kTherapist, Role::kService},
            Audit::kYes}},
          {"RescheduleContact", {coordinator, Audit::kYes}},
          {"CancelContact", {coordinator, Audit::kYes}},
          {"RecordOutcome", {treating, Audit::kYes}},
          {"RebookContact", {coordinator, Audit::kYes}},
          {"GetReminderPolicy", {settings, Audit::kNo}},
          {"UpdateReminderPolicy", {settings, Audit::kYes}},
          {"ListContactPreferences", {coordinator, Audit::kYes}},
          {"SetOptOut", {coordinator, Audit::kYes}},
          {"GetReminder", {coordinator, Audit::kYes}},
          {"ListReminders", {coordinator, Audit::kYes}},
      });
  return *policy;
}

}  // namespace tandem::followup
