#include "services/followup/therapist_scope.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"

namespace tandem::followup {

absl::StatusOr<std::optional<std::string>> TherapistScope(
    const common::Caller& caller) {
  if (!caller.OnlyTherapist()) return std::nullopt;
  if (caller.therapist_id.empty()) {
    return absl::PermissionDeniedError(
        "the caller's credentials name no therapist");
  }
  return caller.therapist_id;
}

absl::Status NarrowToScope(const std::optional<std::string>& scope,
                           absl::string_view field,
                           std::string* therapist_filter) {
  if (!scope) return absl::OkStatus();
  if (!therapist_filter->empty() && *therapist_filter != *scope) {
    return absl::PermissionDeniedError(
        absl::StrCat(field, ": must be your own therapist id"));
  }
  *therapist_filter = *scope;
  return absl::OkStatus();
}

bool InScope(const std::optional<std::string>& scope,
             const v1::FollowUpContact& contact) {
  return !scope || contact.therapist_id() == *scope;
}

void KeepInScope(const std::optional<std::string>& scope,
                 v1::FollowUpPlan& plan) {
  if (!scope) return;
  auto* contacts = plan.mutable_contacts();
  contacts->erase(std::remove_if(contacts->begin(), contacts->end(),
                                 [&](const v1::FollowUpContact& c) {
                                   return !InScope(scope, c);
                                 }),
                  contacts->end());
}

absl::Status NotYourContact(absl::string_view field) {
  return absl::PermissionDeniedError(
      absl::StrCat(field, ": not one of your contacts"));
}

absl::Status NotYourPlan(absl::string_view field) {
  return absl::PermissionDeniedError(
      absl::StrCat(field, ": not one of your plans"));
}

absl::StatusOr<ContactRow> ScopedContact(
    FollowUpStore& store, const std::optional<std::string>& scope, int64_t id,
    absl::string_view field) {
  absl::StatusOr<ContactRow> row = store.GetContact(id);
  if (!scope) return row;
  if (absl::IsNotFound(row.status())) return NotYourContact(field);
  RETURN_IF_ERROR(row.status());
  if (!InScope(scope, row->contact)) return NotYourContact(field);
  return row;
}

absl::StatusOr<v1::FollowUpPlan> ScopedPlan(
    FollowUpStore& store, const std::optional<std::string>& scope, int64_t id,
    absl::string_view field) {
  absl::StatusOr<v1::FollowUpPlan> plan = store.GetPlan(id);
  if (!scope) return plan;
  if (absl::IsNotFound(plan.status())) return NotYourPlan(field);
  RETURN_IF_ERROR(plan.status());
  KeepInScope(scope, *plan);
  if (plan->contacts().empty()) return NotYourPlan(field);
  return plan;
}

}  // namespace tandem::followup
