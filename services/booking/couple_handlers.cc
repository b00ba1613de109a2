// BookingHandler: couples (the only resource with names and contact details)
// and their medical referrals.
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/booking/booking_handler.h"
#include "services/booking/ids.h"
#include "services/booking/therapist_access.h"
#include "services/booking/validation.h"
#include "services/common/list_page.h"
#include "services/common/pagination.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"

namespace tandem::booking {

namespace {
constexpr absl::string_view kCouplesScope = "couples";
constexpr absl::string_view kReferralsScope = "referrals";

// Server-owned fields of a couple that clients cannot set or mask.
const std::initializer_list<absl::string_view> kCoupleOutputOnly = {
    "id", "archived", "create_time", "update_time"};

void FillDefaults(v1::Couple& couple) {
  if (couple.display_label().empty()) {
    couple.set_display_label(DefaultDisplayLabel(couple));
  }
}
}  // namespace

absl::Status BookingHandler::GetCouple(const Caller& caller,
                                       const v1::GetCoupleRequest& request,
                                       v1::GetCoupleResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kCouplePrefix, request.id(), "id"));
  ASSIGN_OR_RETURN(std::optional<TherapistScope> scope,
                   ScopeFor(caller, store_.Now()));
  auto store = store_.Lock();
  if (scope) {
    RETURN_IF_ERROR(RequireInScope(store->InScopeCouple(*scope, id), "id",
                                   kNotTheirCouple));
  }
  ASSIGN_OR_RETURN(*response->mutable_couple(), store->GetCouple(id));
  return absl::OkStatus();
}

absl::Status BookingHandler::ListCouples(const Caller& caller,
                                         const v1::ListCouplesRequest& request,
                                         v1::ListCouplesResponse* response) {
  ASSIGN_OR_RETURN(int limit, common::EffectivePageSize(request.page_size()));
  ASSIGN_OR_RETURN(
      common::PageCursor after,
      common::DecodePageToken(kCouplesScope, request.page_token()));
  if (request.name_prefix().size() > 100) {
    return absl::InvalidArgumentError("name_prefix: at most 100 characters");
  }
  CoupleFilter filter{request.include_archived(),
                      absl::AsciiStrToLower(request.name_prefix())};
  ASSIGN_OR_RETURN(filter.seen_by, ScopeFor(caller, store_.Now()));
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(auto page, store->ListCouples(filter, after, limit));
  ASSIGN_OR_RETURN(int64_t revision, store->Revision());
  common::FillListResponse(std::move(page), kCouplesScope, revision,
                           response->mutable_couples(), response);
  return absl::OkStatus();
}

absl::Status BookingHandler::CreateCouple(
    const Caller&, const v1::CreateCoupleRequest& request,
    v1::CreateCoupleResponse* response) {
  v1::Couple couple = request.couple();
  couple.clear_archived();
  RETURN_IF_ERROR(ValidateCouple(couple));
  FillDefaults(couple);
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::CreateCoupleResponse>(
          "CreateCouple", request, request.request_id(),
          [&](BookingStore* store,
              absl::Time now) -> absl::StatusOr<v1::CreateCoupleResponse> {
            v1::CreateCoupleResponse out;
            ASSIGN_OR_RETURN(*out.mutable_couple(),
                             store->InsertCouple(couple, now));
            return out;
          }));
  return absl::OkStatus();
}

absl::Status BookingHandler::UpdateCouple(
    const Caller&, const v1::UpdateCoupleRequest& request,
    v1::UpdateCoupleResponse* response) {
  ASSIGN_OR_RETURN(int64_t id,
                   ParseId(kCouplePrefix, request.couple().id(), "couple.id"));
  RETURN_IF_ERROR(common::ValidateUpdateMask(
      request.update_mask(), request.couple(), kCoupleOutputOnly));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::UpdateCoupleResponse>(
          "UpdateCouple", request, request.request_id(),
          [&](BookingStore* store,
              absl::Time now) -> absl::StatusOr<v1::UpdateCoupleResponse> {
            ASSIGN_OR_RETURN(v1::Couple couple, store->GetCouple(id));
            if (couple.archived()) {
              return absl::FailedPreconditionError(
                  "couple: archived couples cannot be changed");
            }
            common::ApplyUpdateMask(request.couple(), request.update_mask(),
                                    &couple);
            RETURN_IF_ERROR(ValidateCouple(couple));
            FillDefaults(couple);
            v1::UpdateCoupleResponse out;
            ASSIGN_OR_RETURN(*out.mutable_couple(),
                             store->UpdateCouple(id, std::move(couple), now));
            return out;
          }));
  return absl::OkStatus();
}

absl::Status BookingHandler::ArchiveCouple(
    const Caller&, const v1::ArchiveCoupleRequest& request,
    v1::ArchiveCoupleResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kCouplePrefix, request.id(), "id"));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::ArchiveCoupleResponse>(
          "ArchiveCouple", request, request.request_id(),
          [&](BookingStore* store,
              absl::Time now) -> absl::StatusOr<v1::ArchiveCoupleResponse> {
            ASSIGN_OR_RETURN(v1::Couple couple, store->GetCouple(id));
            v1::ArchiveCoupleResponse out;
            if (couple.archived()) {  // already archived: nothing to change
              *out.mutable_couple() = std::move(couple);
              return out;
            }
            ASSIGN_OR_RETURN(bool open, store->CoupleHasOpenBookings(id));
            if (open) {
              return absl::FailedPreconditionError(absl::StrCat(
                  "couple ", couple.id(),
                  " has open bookings (an intensive that is held, booked, in "
                  "progress or needs attention, or a scheduled appointment); "
                  "cancel them first"));
            }
            couple.set_archived(true);
            ASSIGN_OR_RETURN(*out.mutable_couple(),
                             store->UpdateCouple(id, std::move(couple), now));
            return out;
          }));
  return absl::OkStatus();
}

// ---- Referrals ----

absl::Status BookingHandler::GetReferral(const Caller& caller,
                                         const v1::GetReferralRequest& request,
                                         v1::GetReferralResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kReferralPrefix, request.id(), "id"));
  ASSIGN_OR_RETURN(std::optional<TherapistScope> scope,
                   ScopeFor(caller, store_.Now()));
  auto store = store_.Lock();
  if (scope) {
    RETURN_IF_ERROR(RequireInScope(store->InScopeReferral(*scope, id), "id",
                                   kNotTheirReferral));
  }
  ASSIGN_OR_RETURN(*response->mutable_referral(), store->GetReferral(id));
  return absl::OkStatus();
}

absl::Status BookingHandler::ListReferrals(
    const Caller& caller, const v1::ListReferralsRequest& request,
    v1::ListReferralsResponse* response) {
  ASSIGN_OR_RETURN(int limit, common::EffectivePageSize(request.page_size()));
  ASSIGN_OR_RETURN(
      common::PageCursor after,
      common::DecodePageToken(kReferralsScope, request.page_token()));
  ReferralFilter filter;
  if (!request.couple_id().empty()) {
    ASSIGN_OR_RETURN(filter.couple_id,
                     ParseId(kCouplePrefix, request.couple_id(), "couple_id"));
  }
  for (int status : request.statuses()) {
    if (status == v1::REFERRAL_STATUS_UNSPECIFIED ||
        !v1::ReferralStatus_IsValid(status)) {
      return absl::InvalidArgumentError("statuses: unknown referral status");
    }
    filter.statuses.push_back(static_cast<v1::ReferralStatus>(status));
  }
  ASSIGN_OR_RETURN(filter.seen_by, ScopeFor(caller, store_.Now()));
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(auto page, store->ListReferrals(filter, after, limit));
  ASSIGN_OR_RETURN(int64_t revision, store->Revision());
  common::FillListResponse(std::move(page), kReferralsScope, revision,
                           response->mutable_referrals(), response);
  return absl::OkStatus();
}

absl::Status BookingHandler::CreateReferral(
    const Caller&, const v1::CreateReferralRequest& request,
    v1::CreateReferralResponse* response) {
  const v1::Referral& referral = request.referral();
  ASSIGN_OR_RETURN(
      int64_t couple_id,
      ParseId(kCouplePrefix, referral.couple_id(), "referral.couple_id"));
  RETURN_IF_ERROR(ValidateReferral(referral));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::CreateReferralResponse>(
          "CreateReferral", request, request.request_id(),
          [&](BookingStore* store,
              absl::Time now) -> absl::StatusOr<v1::CreateReferralResponse> {
            ASSIGN_OR_RETURN(v1::Couple couple, store->GetCouple(couple_id));
            if (referral.partner() == v1::PARTNER_ROLE_B &&
                !couple.has_partner_b()) {
              return absl::InvalidArgumentError(
                  "referral.partner: this couple has no partner B");
            }
            v1::CreateReferralResponse out;
            ASSIGN_OR_RETURN(*out.mutable_referral(),
                             store->InsertReferral(referral, couple_id, now));
            return out;
          }));
  return absl::OkStatus();
}

absl::Status BookingHandler::UpdateReferral(
    const Caller&, const v1::UpdateReferralRequest& request,
    v1::UpdateReferralResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kReferralPrefix, request.referral().id(),
                                       "referral.id"));
  RETURN_IF_ERROR(
      common::ValidateUpdateMask(request.update_mask(), request.referral(),
                                 {"id", "couple_id", "update_time"}));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::UpdateReferralResponse>(
          "UpdateReferral", request, request.request_id(),
          [&](BookingStore* store,
              absl::Time now) -> absl::StatusOr<v1::UpdateReferralResponse> {
            ASSIGN_OR_RETURN(v1::Referral referral, store->GetReferral(id));
            common::ApplyUpdateMask(request.referral(), request.update_mask(),
                                    &referral);
            RETURN_IF_ERROR(ValidateReferral(referral));
            v1::UpdateReferralResponse out;
            ASSIGN_OR_RETURN(
                *out.mutable_referral(),
                store->UpdateReferral(id, std::move(referral), now));
            return out;
          }));
  return absl::OkStatus();
}

}  // namespace tandem::booking
