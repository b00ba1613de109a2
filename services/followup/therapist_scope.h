// What a caller may see of follow-up plans and contacts: the object-level
// checks (which roles may call each RPC is FollowUpAccessPolicy's job).
//
// Coordinators, administrators and services see everything. A therapist
// (Caller::OnlyTherapist) sees
//   - a contact when it is assigned to them (FollowUpContact.therapist_id);
//   - a plan when at least one of its contacts is assigned to them, and in
//     it only those contacts. This is the rule of ListFollowUpPlans'
//     therapist_id filter, and it follows reassignments: a therapist who
//     took over a contact sees its plan, one whose contacts all went to a
//     colleague no longer does. The plan's male_therapist_id and
//     female_therapist_id (the team when the plan was made) are not used.
// A therapist whose credentials carry no therapist id sees nothing.
//
// Denials are PERMISSION_DENIED naming the request field and nothing else,
// and an id that does not exist is denied the same way, so that a therapist
// cannot probe which ids exist.
#ifndef TANDEM_SERVICES_FOLLOWUP_THERAPIST_SCOPE_H_
#define TANDEM_SERVICES_FOLLOWUP_THERAPIST_SCOPE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/caller.h"
#include "services/followup/followup_store.h"
#include "tandem/followup/v1/followup.pb.h"

namespace tandem::followup {

// The one therapist whose contacts the caller sees, or nullopt when the
// caller sees everyone's. PERMISSION_DENIED for a therapist without an id.
absl::StatusOr<std::optional<std::string>> TherapistScope(
    const common::Caller& caller);

// For List requests: narrows `therapist_filter` (the request's therapist_id,
// named `field`) to the scope. PERMISSION_DENIED when it names another
// therapist; unchanged when the scope is nullopt.
absl::Status NarrowToScope(const std::optional<std::string>& scope,
                           absl::string_view field,
                           std::string* therapist_filter);

// Whether a caller of `scope` sees `contact`.
bool InScope(const std::optional<std::string>& scope,
             const tandem::followup::v1::FollowUpContact& contact);

// Removes the contacts outside `scope` from `plan`.
void KeepInScope(const std::optional<std::string>& scope,
                 tandem::followup::v1::FollowUpPlan& plan);

// "<field>: not one of your contacts" / "<field>: not one of your plans".
absl::Status NotYourContact(absl::string_view field);
absl::Status NotYourPlan(absl::string_view field);

// Contact / plan `id`, given in the request field `field`, as a caller of
// `scope` may read it: for a therapist, one outside the scope and one that
// does not exist are both the denial above; other errors pass. A plan comes
// with only the contacts in scope.
absl::StatusOr<ContactRow> ScopedContact(
    FollowUpStore& store, const std::optional<std::string>& scope, int64_t id,
    absl::string_view field);
absl::StatusOr<tandem::followup::v1::FollowUpPlan> ScopedPlan(
    FollowUpStore& store, const std::optional<std::string>& scope, int64_t id,
    absl::string_view field);

}  // namespace tandem::followup

#endif  // TANDEM_SERVICES_FOLLOWUP_THERAPIST_SCOPE_H_
