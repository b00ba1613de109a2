#include "services/booking/therapist_access.h"

#include "absl/strings/str_cat.h"

namespace tandem::booking {

absl::StatusOr<std::optional<TherapistScope>> ScopeFor(
    const common::Caller& caller, absl::Time now) {
  if (!caller.OnlyTherapist()) return std::nullopt;
  if (caller.therapist_id.empty()) {
    return absl::PermissionDeniedError(
        "caller: a therapist's credentials must name their therapist id");
  }
  return TherapistScope{caller.therapist_id, now};
}

absl::Status NotTheirs(absl::string_view field, absl::string_view what) {
  return absl::PermissionDeniedError(absl::StrCat(field, ": not ", what));
}

absl::Status RequireInScope(const absl::StatusOr<bool>& in_scope,
                            absl::string_view field, absl::string_view what) {
  if (!in_scope.ok()) return in_scope.status();
  return *in_scope ? absl::OkStatus() : NotTheirs(field, what);
}

absl::Status RequireOwnTherapistFilter(const TherapistScope& scope,
                                       absl::string_view requested,
                                       absl::string_view field,
                                       absl::string_view listing) {
  if (requested.empty() || requested == scope.therapist_id) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      field, ": not you; a therapist lists only their own ", listing));
}

}  // namespace tandem::booking
