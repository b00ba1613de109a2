// Which roles may call each follow-up RPC, and which calls are audited.
// Coordinators run follow-up; a therapist reads their own contacts and the
// plans they take part in and records the outcomes of their own contacts
// (narrowed in the handlers); the roster service reads contacts.
// Administrators and coordinators shape the plan templates and reminder
// policy; contact preferences and reminders are coordinators' only.
#ifndef TANDEM_SERVICES_FOLLOWUP_FOLLOWUP_ACCESS_POLICY_H_
#define TANDEM_SERVICES_FOLLOWUP_FOLLOWUP_ACCESS_POLICY_H_

#include "services/common/access_policy.h"

namespace tandem::followup {

const common::AccessPolicy& FollowUpAccessPolicy();

}  // namespace tandem::followup

#endif  // TANDEM_SERVICES_FOLLOWUP_FOLLOWUP_ACCESS_POLICY_H_
