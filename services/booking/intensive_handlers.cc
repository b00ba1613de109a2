// BookingHandler: the booking flow (hold, confirm, cancel, reschedule) and
// reading intensives and sessions.
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/booking/booking_handler.h"
#include "services/booking/claims.h"
#include "services/common/date_range.h"
#include "services/booking/ids.h"
#include "services/booking/intensive_lifecycle.h"
#include "services/booking/planner_snapshot.h"
#include "services/booking/referral_rules.h"
#include "services/booking/therapist_access.h"
#include "services/common/list_page.h"
#include "services/common/pagination.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"

namespace tandem::booking {

namespace {

constexpr absl::string_view kIntensivesScope = "intensives";
constexpr absl::string_view kSessionsScope = "sessions";
// Listing every session (the clinic day) is for short ranges.
constexpr int kMaxAllSessionsDays = 31;

std::vector<Claim> IntensiveClaims(const v1::Intensive& intensive) {
  std::vector<Claim> claims;
  for (const v1::Session& s : intensive.sessions()) {
    if (!SessionBlocksTime(s.status())) continue;
    for (Claim& c : SessionClaims(s)) claims.push_back(std::move(c));
  }
  return claims;
}

absl::Status ValidatePlanShape(const v1::Plan& plan) {
  if (plan.sessions().empty()) {
    return absl::InvalidArgumentError(
        "plan: required, exactly as returned by ProposeIntensive");
  }
  if (plan.proposal_token().empty()) {
    return absl::InvalidArgumentError("plan.proposal_token: required");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Referral>> AllReferrals(BookingStore& store,
                                                       int64_t couple_id) {
  std::vector<v1::Referral> referrals;
  ReferralFilter filter;
  filter.couple_id = couple_id;
  common::PageCursor after;
  while (true) {
    ASSIGN_OR_RETURN(auto page, store.ListReferrals(filter, after, 100));
    for (v1::Referral& r : page.items) referrals.push_back(std::move(r));
    if (!page.next) return referrals;
    after = *page.next;
  }
}

std::string ConflictSummary(const std::vector<v1::Conflict>& conflicts) {
  const v1::Conflict& c = conflicts.front();
  return absl::StrCat(conflicts.size(), " conflict(s), first: ",
                      c.resource_id(), " is not free from ",
                      absl::FormatTime(common::FromProto(c.start_time())),
                      c.blocking_id().empty() ? ""
                                              : absl::StrCat(" (", c.blocking_id(), ")"));
}

}  // namespace

absl::Status BookingHandler::HoldIntensive(
    const Caller& caller, const v1::HoldIntensiveRequest& request,
    v1::HoldIntensiveResponse* response) {
  ASSIGN_OR_RETURN(int64_t couple_id,
                   ParseId(kCouplePrefix, request.couple_id(), "couple_id"));
  RETURN_IF_ERROR(ValidatePlanShape(request.plan()));
  ASSIGN_OR_RETURN(int64_t template_id,
                   ParseId(kTemplatePrefix, request.plan().template_id(),
                           "plan.template_id"));
  absl::Duration hold = options_.default_hold;
  if (request.has_hold_duration()) {
    hold = absl::Seconds(request.hold_duration().seconds()) +
           absl::Nanoseconds(request.hold_duration().nanos());
    if (hold < options_.min_hold || hold > options_.max_hold) {
      return absl::InvalidArgumentError(absl::StrCat(
          "hold_duration: between ", absl::FormatDuration(options_.min_hold),
          " and ", absl::FormatDuration(options_.max_hold)));
    }
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const DirectoryState> directory,
                   Directory());
  ASSIGN_OR_RETURN(absl::TimeZone zone, ClinicTimeZone(*directory));
  ASSIGN_OR_RETURN(scheduler::Plan plan,
                   ProposedToPlan(request.plan(), zone));

  std::vector<v1::Conflict> conflicts;  // set when the time was taken
  absl::StatusOr<v1::HoldIntensiveResponse> result =
      MutateBooking<v1::HoldIntensiveResponse>(
          "HoldIntensive", request, request.request_id(),
          [&](BookingStore& store, absl::Time now, IndexEffects& effects)
              -> absl::StatusOr<v1::HoldIntensiveResponse> {
            ASSIGN_OR_RETURN(v1::Couple couple, store.GetCouple(couple_id));
            ASSIGN_OR_RETURN(v1::ProgrammeTemplate programme,
                             store.GetTemplate(template_id));
            RETURN_IF_ERROR(signer_.Verify(couple.id(), programme,
                                           request.plan(), now));
            if (couple.archived()) {
              return absl::FailedPreconditionError(absl::StrCat(
                  "couple ", couple.id(), " is archived"));
            }
            RETURN_IF_ERROR(EnsureLive(store, now));
            RETURN_IF_ERROR(ExpireHolds(store, now, effects));
            // Counted in the transaction that inserts, so concurrent holds
            // cannot both pass; a replayed request_id never gets here.
            ASSIGN_OR_RETURN(int64_t live,
                             store.CountLiveHolds(caller.subject, now));
            if (live >= options_.max_holds_per_caller) {
              return absl::ResourceExhaustedError(absl::StrCat(
                  "hold limit reached: ", live,
                  " live holds for this account; confirm or cancel some "
                  "first"));
            }
            ASSIGN_OR_RETURN(v1::Intensive intensive,
                             IntensiveFromPlan(request.plan(), couple,
                                               programme));
            for (v1::Session& s : *intensive.mutable_sessions()) {
              s.set_couple_id(couple.id());
            }
            ASSIGN_OR_RETURN(conflicts, Conflicts(store,
                                                  IntensiveClaims(intensive),
                                                  plan, "", effects));
            if (!conflicts.empty()) {
              return absl::AbortedError(absl::StrCat(
                  "the plan's time was taken since it was proposed: ",
                  ConflictSummary(conflicts)));
            }
            *intensive.mutable_expire_time() = common::ToProto(now + hold);
            RecordTransition(intensive, v1::INTENSIVE_EVENT_HELD,
                             caller.subject, now);
            v1::HoldIntensiveResponse out;
            ASSIGN_OR_RETURN(*out.mutable_intensive(),
                             store.SaveIntensive(std::move(intensive),
                                                 v1::INTENSIVE_EVENT_HELD,
                                                 now));
            plan.booking_id = out.intensive().id();
            plan.language = couple.language();
            plan.excluded_therapist_ids.assign(
                couple.excluded_therapist_ids().begin(),
                couple.excluded_therapist_ids().end());
            effects.commit.push_back(plan);
            return out;
          });
  if (result.status().code() == absl::StatusCode::kAborted) {
    return PlanTaken(result.status().message(), request.couple_id(),
                     request.plan(), conflicts);
  }
  ASSIGN_OR_RETURN(*response, std::move(result));
  return absl::OkStatus();
}

absl::Status BookingHandler::ConfirmIntensive(
    const Caller& caller, const v1::ConfirmIntensiveRequest& request,
    v1::ConfirmIntensiveResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kIntensivePrefix, request.id(), "id"));
  ASSIGN_OR_RETURN(
      *response,
      MutateBooking<v1::ConfirmIntensiveResponse>(
          "ConfirmIntensive", request, request.request_id(),
          [&](BookingStore& store, absl::Time now, IndexEffects&)
              -> absl::StatusOr<v1::ConfirmIntensiveResponse> {
            ASSIGN_OR_RETURN(v1::Intensive intensive, store.GetIntensive(id));
            const bool expired =
                intensive.has_expire_time() &&
                common::FromProto(intensive.expire_time()) <= now;
            if (intensive.status() != v1::INTENSIVE_STATUS_HELD || expired) {
              return absl::FailedPreconditionError(absl::StrCat(
                  "intensive ", intensive.id(), " is ",
                  expired ? "a hold that expired"
                          : DescribeStatus(intensive),
                  "; only a HELD intensive can be confirmed"));
            }
            ASSIGN_OR_RETURN(int64_t template_id,
                             ParseId(kTemplatePrefix, intensive.template_id(),
                                     "template_id"));
            ASSIGN_OR_RETURN(v1::ProgrammeTemplate programme,
                             store.GetTemplate(template_id));
            ASSIGN_OR_RETURN(int64_t couple_id,
                             ParseId(kCouplePrefix, intensive.couple_id(),
                                     "couple_id"));
            ASSIGN_OR_RETURN(std::vector<v1::Referral> referrals,
                             AllReferrals(store, couple_id));
            if (std::optional<std::string> open =
                    UnsettledReferral(programme, referrals)) {
              return absl::FailedPreconditionError(absl::StrCat(
                  "referral ", *open,
                  " must be cleared or marked not needed before intensive ",
                  intensive.id(), " can be confirmed (its programme requires "
                  "settled referrals before the first day)"));
            }
            Confirm(intensive, caller.subject, now);
            v1::ConfirmIntensiveResponse out;
            ASSIGN_OR_RETURN(*out.mutable_intensive(),
                             store.SaveIntensive(std::move(intensive),
                                                 v1::INTENSIVE_EVENT_CONFIRMED,
                                                 now));
            return out;
          }));
  return absl::OkStatus();
}

absl::Status BookingHandler::CancelIntensive(
    const Caller& caller, const v1::CancelIntensiveRequest& request,
    v1::CancelIntensiveResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kIntensivePrefix, request.id(), "id"));
  if (request.reason() == v1::CANCEL_REASON_UNSPECIFIED ||
      request.reason() == v1::CANCEL_REASON_HOLD_EXPIRED ||
      !v1::CancelReason_IsValid(request.reason())) {
    return absl::InvalidArgumentError(
        "reason: required (HOLD_EXPIRED is set by the server only)");
  }
  ASSIGN_OR_RETURN(
      *response,
      MutateBooking<v1::CancelIntensiveResponse>(
          "CancelIntensive", request, request.request_id(),
          [&](BookingStore& store, absl::Time now, IndexEffects& effects)
              -> absl::StatusOr<v1::CancelIntensiveResponse> {
            ASSIGN_OR_RETURN(v1::Intensive intensive, store.GetIntensive(id));
            if (IsFinal(intensive.status())) {
              return absl::FailedPreconditionError(absl::StrCat(
                  "intensive ", intensive.id(), " is already ",
                  DescribeStatus(intensive)));
            }
            Cancel(intensive, request.reason(), caller.subject, now);
            v1::CancelIntensiveResponse out;
            ASSIGN_OR_RETURN(*out.mutable_intensive(),
                             store.SaveIntensive(std::move(intensive),
                                                 v1::INTENSIVE_EVENT_CANCELLED,
                                                 now));
            effects.release.push_back(out.intensive().id());
            return out;
          }));
  return absl::OkStatus();
}

absl::Status BookingHandler::RescheduleIntensive(
    const Caller& caller, const v1::RescheduleIntensiveRequest& request,
    v1::RescheduleIntensiveResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kIntensivePrefix, request.id(), "id"));
  RETURN_IF_ERROR(ValidatePlanShape(request.plan()));
  ASSIGN_OR_RETURN(std::shared_ptr<const DirectoryState> directory,
                   Directory());
  ASSIGN_OR_RETURN(absl::TimeZone zone, ClinicTimeZone(*directory));
  ASSIGN_OR_RETURN(scheduler::Plan plan,
                   ProposedToPlan(request.plan(), zone));
  std::vector<v1::Conflict> conflicts;
  std::string couple_id;
  absl::StatusOr<v1::RescheduleIntensiveResponse> result =
      MutateBooking<v1::RescheduleIntensiveResponse>(
          "RescheduleIntensive", request, request.request_id(),
          [&](BookingStore& store, absl::Time now, IndexEffects& effects)
              -> absl::StatusOr<v1::RescheduleIntensiveResponse> {
            ASSIGN_OR_RETURN(v1::Intensive intensive, store.GetIntensive(id));
            couple_id = intensive.couple_id();
            if (request.plan().template_id() != intensive.template_id()) {
              return absl::InvalidArgumentError(
                  "plan.template_id: must be the intensive's template");
            }
            if (IsFinal(intensive.status()) ||
                intensive.status() == v1::INTENSIVE_STATUS_IN_PROGRESS) {
              return absl::FailedPreconditionError(absl::StrCat(
                  "intensive ", intensive.id(), " is ",
                  DescribeStatus(intensive),
                  "; only held, booked or needs-attention intensives can be "
                  "rescheduled"));
            }
            ASSIGN_OR_RETURN(int64_t template_id,
                             ParseId(kTemplatePrefix, intensive.template_id(),
                                     "template_id"));
            ASSIGN_OR_RETURN(v1::ProgrammeTemplate programme,
                             store.GetTemplate(template_id));
            RETURN_IF_ERROR(signer_.Verify(intensive.couple_id(), programme,
                                           request.plan(), now));
            RETURN_IF_ERROR(EnsureLive(store, now));
            RETURN_IF_ERROR(ExpireHolds(store, now, effects));
            ASSIGN_OR_RETURN(intensive, store.GetIntensive(id));  // may have expired
            if (IsFinal(intensive.status())) {
              return absl::FailedPreconditionError(absl::StrCat(
                  "intensive ", intensive.id(), " is ",
                  DescribeStatus(intensive)));
            }
            if (intensive.status() == v1::INTENSIVE_STATUS_NEEDS_ATTENTION) {
              intensive.set_status(StatusBeforeAttention(intensive, now));
              intensive.clear_attention_reason();
            }
            ASSIGN_OR_RETURN(v1::Intensive moved,
                             ApplyPlan(intensive, request.plan(), programme));
            for (v1::Session& s : *moved.mutable_sessions()) {
              s.set_couple_id(moved.couple_id());
              if (s.status() == v1::SESSION_STATUS_NEEDS_ATTENTION) {
                s.set_status(moved.status() == v1::INTENSIVE_STATUS_HELD
                                 ? v1::SESSION_STATUS_TENTATIVE
                                 : v1::SESSION_STATUS_SCHEDULED);
              }
            }
            ASSIGN_OR_RETURN(conflicts,
                             Conflicts(store, IntensiveClaims(moved), plan,
                                       intensive.id(), effects));
            if (!conflicts.empty()) {
              return absl::AbortedError(absl::StrCat(
                  "the new plan's time was taken since it was proposed: ",
                  ConflictSummary(conflicts)));
            }
            if (moved.status() == v1::INTENSIVE_STATUS_HELD) {
              *moved.mutable_expire_time() =
                  common::ToProto(now + options_.default_hold);
            }
            RecordTransition(moved, v1::INTENSIVE_EVENT_RESCHEDULED,
                             caller.subject, now);
            v1::RescheduleIntensiveResponse out;
            ASSIGN_OR_RETURN(*out.mutable_intensive(),
                             store.SaveIntensive(std::move(moved),
                                                 v1::INTENSIVE_EVENT_RESCHEDULED,
                                                 now));
            ASSIGN_OR_RETURN(int64_t cid, ParseId(kCouplePrefix, couple_id,
                                                  "couple_id"));
            ASSIGN_OR_RETURN(v1::Couple couple, store.GetCouple(cid));
            ASSIGN_OR_RETURN(scheduler::Plan booked,
                             IntensiveToPlan(out.intensive(), couple, zone));
            effects.release.push_back(out.intensive().id());
            effects.commit.push_back(std::move(booked));
            return out;
          });
  if (result.status().code() == absl::StatusCode::kAborted) {
    return PlanTaken(result.status().message(), couple_id, request.plan(),
                     conflicts);
  }
  ASSIGN_OR_RETURN(*response, std::move(result));
  return absl::OkStatus();
}

absl::Status BookingHandler::GetIntensive(const Caller& caller,
                                          const v1::GetIntensiveRequest& request,
                                          v1::GetIntensiveResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kIntensivePrefix, request.id(), "id"));
  ASSIGN_OR_RETURN(std::optional<TherapistScope> scope,
                   ScopeFor(caller, store_.Now()));
  auto store = store_.Lock();
  if (scope) {
    RETURN_IF_ERROR(RequireInScope(store->InScopeIntensive(*scope, id), "id",
                                   kNotTheirIntensive));
  }
  ASSIGN_OR_RETURN(*response->mutable_intensive(), store->GetIntensive(id));
  return absl::OkStatus();
}

absl::Status BookingHandler::ListIntensives(
    const Caller& caller, const v1::ListIntensivesRequest& request,
    v1::ListIntensivesResponse* response) {
  ASSIGN_OR_RETURN(int limit, common::EffectivePageSize(request.page_size()));
  ASSIGN_OR_RETURN(common::PageCursor after,
                   common::DecodePageToken(kIntensivesScope,
                                           request.page_token()));
  IntensiveFilter filter;
  if (!request.couple_id().empty()) {
    ASSIGN_OR_RETURN(filter.couple_id,
                     ParseId(kCouplePrefix, request.couple_id(), "couple_id"));
  }
  for (int status : request.statuses()) {
    filter.statuses.push_back(static_cast<v1::IntensiveStatus>(status));
  }
  if (request.has_date_range()) {
    ASSIGN_OR_RETURN(common::DayRange range, common::DayRangeFromProto(request.date_range()));
    filter.first_day = range.first;
    filter.last_day = range.last;
  }
  ASSIGN_OR_RETURN(filter.seen_by, ScopeFor(caller, store_.Now()));
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(auto page, store->ListIntensives(filter, after, limit));
  ASSIGN_OR_RETURN(int64_t revision, store->Revision());
  common::FillListResponse(std::move(page), kIntensivesScope, revision,
                           response->mutable_intensives(), response);
  return absl::OkStatus();
}

absl::Status BookingHandler::ListSessions(
    const Caller& caller, const v1::ListSessionsRequest& request,
    v1::ListSessionsResponse* response) {
  ASSIGN_OR_RETURN(int limit, common::EffectivePageSize(request.page_size()));
  ASSIGN_OR_RETURN(common::PageCursor after,
                   common::DecodePageToken(kSessionsScope,
                                           request.page_token()));
  SessionFilter filter;
  // A therapist lists the sessions of their intensives, whatever the filter.
  ASSIGN_OR_RETURN(filter.seen_by, ScopeFor(caller, store_.Now()));
  switch (request.filter_case()) {
    case v1::ListSessionsRequest::kTherapistId:
      RETURN_IF_ERROR(ParseId(kTherapistPrefix, request.therapist_id(),
                              "therapist_id").status());
      if (filter.seen_by) {
        RETURN_IF_ERROR(RequireOwnTherapistFilter(
            *filter.seen_by, request.therapist_id(), "therapist_id",
            "sessions"));
      }
      filter.party = request.therapist_id();
      break;
    case v1::ListSessionsRequest::kRoomId:
      RETURN_IF_ERROR(
          ParseId("rm", request.room_id(), "room_id").status());
      filter.party = request.room_id();
      break;
    case v1::ListSessionsRequest::kCoupleId:
      RETURN_IF_ERROR(
          ParseId(kCouplePrefix, request.couple_id(), "couple_id").status());
      filter.party = request.couple_id();
      break;
    default:
      break;  // every session: the clinic day's view
  }
  if (!request.has_date_range()) {
    return absl::InvalidArgumentError("date_range: required");
  }
  ASSIGN_OR_RETURN(common::DayRange range, common::DayRangeFromProto(request.date_range()));
  const int max_days = filter.party.empty() ? kMaxAllSessionsDays : 366;
  if (range.last - range.first >= max_days) {
    return absl::InvalidArgumentError(absl::StrCat(
        "date_range: at most ", max_days,
        filter.party.empty() ? " days without a therapist, room or couple"
                             : " days"));
  }
  filter.first_day = range.first;
  filter.last_day = range.last;
  filter.include_cancelled = request.include_cancelled();
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(auto page, store->ListSessions(filter, after, limit));
  ASSIGN_OR_RETURN(int64_t revision, store->Revision());
  common::FillListResponse(std::move(page), kSessionsScope, revision,
                           response->mutable_sessions(), response);
  return absl::OkStatus();
}

}  // namespace tandem::booking
