// From a template and a booked intensive to a follow-up plan and its
// contacts: due dates counted from the intensive's last treatment day, each
// contact assigned to a therapist of the intensive's team by the template's
// rule. Pure: no storage, no clock.
#ifndef TANDEM_SERVICES_FOLLOWUP_PLAN_BUILDER_H_
#define TANDEM_SERVICES_FOLLOWUP_PLAN_BUILDER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/followup/followup_store.h"
#include "tandem/booking/v1/booking.pb.h"
#include "tandem/followup/v1/followup.pb.h"

namespace tandem::followup {

// The template present at first start: a call after a week, a visit after a
// month, calls after three and six months, a visit after a year; 20-minute
// calls, 60-minute visits, a 3-day window, alternating therapists.
v1::FollowUpPlanTemplate DefaultTemplate();

// Which therapist takes the `index`-th (0-based) contact: ALTERNATING starts
// with the female therapist.
const std::string& AssignedTherapist(v1::AssignmentRule rule, int index,
                                     const std::string& male_therapist_id,
                                     const std::string& female_therapist_id);

// A new plan (no id, ACTIVE) for `intensive` from template `t`, and its
// contacts (no ids, UNSCHEDULED, due order, pending kBook).
struct NewPlan {
  v1::FollowUpPlan plan;
  std::vector<ContactRow> contacts;
};
// INVALID_ARGUMENT if the intensive has no end date or team.
absl::StatusOr<NewPlan> BuildPlan(
    const v1::FollowUpPlanTemplate& t,
    const tandem::booking::v1::Intensive& intensive);

// Sets the contact's due date (and its `day` while unbooked) from `anchor`.
void SetDueDate(absl::CivilDay anchor, ContactRow& row);

}  // namespace tandem::followup

#endif  // TANDEM_SERVICES_FOLLOWUP_PLAN_BUILDER_H_
