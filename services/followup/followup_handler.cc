// FollowUpHandler: construction, shared helpers, templates and plans.
#include "services/followup/followup_handler.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/idempotency.h"
#include "services/common/pagination.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"
#include "services/followup/ids.h"
#include "services/followup/plan_builder.h"
#include "services/followup/reminder_settings.h"
#include "services/followup/therapist_scope.h"
#include "services/followup/validation.h"

namespace tandem::followup {

namespace {

namespace bk = ::tandem::booking::v1;

constexpr absl::string_view kTemplatesScope = "followup-templates";
constexpr absl::string_view kPlansScope = "followup-plans";

}  // namespace

FollowUpHandler::FollowUpHandler(std::unique_ptr<FollowUpStore> store,
                                 common::Clock clock, BookingClient* client,
                                 FollowUpOptions options)
    : options_(options),
      store_(std::move(store), clock),
      client_(client),
      booker_(client, clock) {}

ReminderQuota FollowUpHandler::Quota(FollowUpStore& store) const {
  return ReminderQuota(store.reminder_charges(),
                       options_.max_reminders_per_caller_per_day);
}

absl::StatusOr<int64_t> FollowUpHandler::RemindersFor(FollowUpStore& store,
                                                      int64_t contacts) const {
  ASSIGN_OR_RETURN(v1::ReminderPolicy policy,
                   store.reminder_settings().Policy());
  return contacts * RemindersPerContact(policy);
}

bool IsOpen(const v1::FollowUpContact& contact) {
  return contact.status() == v1::CONTACT_STATUS_UNSCHEDULED ||
         contact.status() == v1::CONTACT_STATUS_SCHEDULED ||
         contact.status() == v1::CONTACT_STATUS_NEEDS_ATTENTION;
}

void MarkScheduled(const bk::Appointment& appointment, absl::CivilDay day,
                   ContactRow& row) {
  v1::FollowUpContact& c = row.contact;
  c.set_status(v1::CONTACT_STATUS_SCHEDULED);
  c.set_appointment_id(appointment.id());
  c.set_therapist_id(appointment.therapist_id());
  c.set_room_id(appointment.room_id());
  *c.mutable_scheduled_start_time() = appointment.start_time();
  *c.mutable_scheduled_end_time() = appointment.end_time();
  row.day = day;
  row.pending = Pending::kNone;
}

void MarkClosed(v1::ContactOutcome outcome, const std::string& note,
                const std::string& actor, absl::Time now, ContactRow& row) {
  v1::FollowUpContact& c = row.contact;
  c.set_status(v1::CONTACT_STATUS_CLOSED);
  c.set_outcome(outcome);
  c.set_outcome_note(note);
  *c.mutable_outcome_time() = common::ToProto(now);
  c.set_outcome_actor(actor);
}

void MarkCancelled(ContactRow& row) {
  row.contact.set_status(v1::CONTACT_STATUS_CANCELLED);
  row.pending = row.contact.appointment_id().empty()
                    ? Pending::kNone
                    : Pending::kCancelAppointment;
}

// ---- Templates ----

absl::Status FollowUpHandler::GetFollowUpPlanTemplate(
    const Caller&, const v1::GetFollowUpPlanTemplateRequest& request,
    v1::GetFollowUpPlanTemplateResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kTemplatePrefix, request.id(), "id"));
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(*response->mutable_follow_up_plan_template(),
                   store->GetTemplate(id));
  return absl::OkStatus();
}

absl::Status FollowUpHandler::ListFollowUpPlanTemplates(
    const Caller&, const v1::ListFollowUpPlanTemplatesRequest& request,
    v1::ListFollowUpPlanTemplatesResponse* response) {
  ASSIGN_OR_RETURN(int limit, common::EffectivePageSize(request.page_size()));
  ASSIGN_OR_RETURN(
      common::PageCursor after,
      common::DecodePageToken(kTemplatesScope, request.page_token()));
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(auto page, store->ListTemplates(after, limit));
  FillPage(std::move(page), kTemplatesScope,
           response->mutable_follow_up_plan_templates(), response);
  return absl::OkStatus();
}

absl::Status FollowUpHandler::CreateFollowUpPlanTemplate(
    const Caller&, const v1::CreateFollowUpPlanTemplateRequest& request,
    v1::CreateFollowUpPlanTemplateResponse* response) {
  v1::FollowUpPlanTemplate t = request.follow_up_plan_template();
  t.clear_id();
  t.clear_update_time();
  RETURN_IF_ERROR(ValidateTemplate(t, "follow_up_plan_template"));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::CreateFollowUpPlanTemplateResponse>(
          "CreateFollowUpPlanTemplate", request, request.request_id(),
          [&](FollowUpStore* store, absl::Time now)
              -> absl::StatusOr<v1::CreateFollowUpPlanTemplateResponse> {
            v1::CreateFollowUpPlanTemplateResponse out;
            ASSIGN_OR_RETURN(*out.mutable_follow_up_plan_template(),
                             store->SaveTemplate(t, now));
            return out;
          }));
  return absl::OkStatus();
}

absl::Status FollowUpHandler::UpdateFollowUpPlanTemplate(
    const Caller&, const v1::UpdateFollowUpPlanTemplateRequest& request,
    v1::UpdateFollowUpPlanTemplateResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kTemplatePrefix,
                                       request.follow_up_plan_template().id(),
                                       "follow_up_plan_template.id"));
  RETURN_IF_ERROR(common::ValidateUpdateMask(request.update_mask(),
                                             request.follow_up_plan_template(),
                                             {"id", "update_time"}));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::UpdateFollowUpPlanTemplateResponse>(
          "UpdateFollowUpPlanTemplate", request, request.request_id(),
          [&](FollowUpStore* store, absl::Time now)
              -> absl::StatusOr<v1::UpdateFollowUpPlanTemplateResponse> {
            ASSIGN_OR_RETURN(v1::FollowUpPlanTemplate t,
                             store->GetTemplate(id));
            const bool was_default = t.is_default();
            common::ApplyUpdateMask(request.follow_up_plan_template(),
                                    request.update_mask(), &t);
            RETURN_IF_ERROR(ValidateTemplate(t, "follow_up_plan_template"));
            if (was_default && !t.is_default()) {
              return absl::FailedPreconditionError(absl::StrCat(
                  "template ", t.id(),
                  " is the default: make another template the default "
                  "instead"));
            }
            v1::UpdateFollowUpPlanTemplateResponse out;
            ASSIGN_OR_RETURN(*out.mutable_follow_up_plan_template(),
                             store->SaveTemplate(std::move(t), now));
            return out;
          }));
  return absl::OkStatus();
}

absl::Status FollowUpHandler::DeleteFollowUpPlanTemplate(
    const Caller&, const v1::DeleteFollowUpPlanTemplateRequest& request,
    v1::DeleteFollowUpPlanTemplateResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kTemplatePrefix, request.id(), "id"));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::DeleteFollowUpPlanTemplateResponse>(
          "DeleteFollowUpPlanTemplate", request, request.request_id(),
          [&](FollowUpStore* store, absl::Time)
              -> absl::StatusOr<v1::DeleteFollowUpPlanTemplateResponse> {
            ASSIGN_OR_RETURN(v1::FollowUpPlanTemplate t,
                             store->GetTemplate(id));
            if (t.is_default()) {
              return absl::FailedPreconditionError(
                  absl::StrCat("template ", t.id(),
                               " is the default and cannot be deleted"));
            }
            RETURN_IF_ERROR(store->DeleteTemplate(id));
            return v1::DeleteFollowUpPlanTemplateResponse();
          }));
  return absl::OkStatus();
}

// ---- Plans ----

absl::Status FollowUpHandler::GetFollowUpPlan(
    const Caller& caller, const v1::GetFollowUpPlanRequest& request,
    v1::GetFollowUpPlanResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kPlanPrefix, request.id(), "id"));
  ASSIGN_OR_RETURN(std::optional<std::string> scope, TherapistScope(caller));
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(*response->mutable_follow_up_plan(),
                   ScopedPlan(*store, scope, id, "id"));
  return absl::OkStatus();
}

absl::Status FollowUpHandler::ListFollowUpPlans(
    const Caller& caller, const v1::ListFollowUpPlansRequest& request,
    v1::ListFollowUpPlansResponse* response) {
  ASSIGN_OR_RETURN(int limit, common::EffectivePageSize(request.page_size()));
  ASSIGN_OR_RETURN(common::PageCursor after,
                   common::DecodePageToken(kPlansScope, request.page_token()));
  PlanFilter filter;
  filter.couple_id = request.couple_id();
  filter.intensive_id = request.intensive_id();
  filter.therapist_id = request.therapist_id();
  // A therapist's plans are those with a contact of theirs: filtered in the
  // query, so pages stay full and tokens stay valid.
  ASSIGN_OR_RETURN(std::optional<std::string> scope, TherapistScope(caller));
  RETURN_IF_ERROR(NarrowToScope(scope, "therapist_id", &filter.therapist_id));
  for (int status : request.statuses()) {
    filter.statuses.push_back(static_cast<v1::FollowUpPlanStatus>(status));
  }
  if (request.has_date_range()) {
    RETURN_IF_ERROR(ParseDayRange(request.date_range(), &filter.first_day,
                                  &filter.last_day));
  }
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(auto page, store->ListPlans(filter, after, limit));
  for (v1::FollowUpPlan& plan : page.items) KeepInScope(scope, plan);
  FillPage(std::move(page), kPlansScope, response->mutable_follow_up_plans(),
           response);
  return absl::OkStatus();
}

absl::Status FollowUpHandler::CreateFollowUpPlan(
    const Caller& caller, const v1::CreateFollowUpPlanRequest& request,
    v1::CreateFollowUpPlanResponse* response) {
  RETURN_IF_ERROR(
      ParseId(kIntensivePrefix, request.intensive_id(), "intensive_id")
          .status());
  std::optional<int64_t> template_id;
  if (!request.template_id().empty()) {
    ASSIGN_OR_RETURN(
        template_id,
        ParseId(kTemplatePrefix, request.template_id(), "template_id"));
  }
  ASSIGN_OR_RETURN(auto replayed,
                   Replayed<v1::CreateFollowUpPlanResponse>(
                       "CreateFollowUpPlan", request, request.request_id()));
  if (replayed) {
    *response = *std::move(replayed);
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(bk::Intensive intensive,
                   client_->GetIntensive(request.intensive_id()));
  if (intensive.status() != bk::INTENSIVE_STATUS_BOOKED &&
      intensive.status() != bk::INTENSIVE_STATUS_IN_PROGRESS &&
      intensive.status() != bk::INTENSIVE_STATUS_COMPLETED) {
    return absl::FailedPreconditionError(
        absl::StrCat("intensive ", intensive.id(),
                     " is not booked, in progress or completed"));
  }
  auto account = account_locks_.Acquire(caller.subject);
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::CreateFollowUpPlanResponse>(
          "CreateFollowUpPlan", request, request.request_id(),
          [&](FollowUpStore* store, absl::Time now)
              -> absl::StatusOr<v1::CreateFollowUpPlanResponse> {
            ASSIGN_OR_RETURN(v1::FollowUpPlanTemplate t,
                             template_id ? store->GetTemplate(*template_id)
                                         : store->GetDefaultTemplate());
            ASSIGN_OR_RETURN(NewPlan made, BuildPlan(t, intensive));
            ASSIGN_OR_RETURN(v1::FollowUpPlan plan,
                             store->SavePlan(std::move(made.plan), now));
            for (ContactRow& row : made.contacts) {
              row.contact.set_plan_id(plan.id());
              RETURN_IF_ERROR(store->SaveContact(row, now));
            }
            // The contacts are booked later on the caller's behalf: their
            // reminders are the caller's.
            const auto contacts = static_cast<int64_t>(made.contacts.size());
            ASSIGN_OR_RETURN(int64_t reminders, RemindersFor(*store, contacts));
            RETURN_IF_ERROR(Quota(*store).Charge(caller.subject, plan.id(),
                                                 reminders, now));
            ASSIGN_OR_RETURN(int64_t id, ParseId(kPlanPrefix, plan.id(), "id"));
            v1::CreateFollowUpPlanResponse out;
            ASSIGN_OR_RETURN(*out.mutable_follow_up_plan(), store->GetPlan(id));
            return out;
          }));
  return absl::OkStatus();
}

absl::Status FollowUpHandler::CancelFollowUpPlan(
    const Caller&, const v1::CancelFollowUpPlanRequest& request,
    v1::CancelFollowUpPlanResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kPlanPrefix, request.id(), "id"));
  std::vector<std::string> contact_ids;
  {
    auto store = store_.Lock();
    ASSIGN_OR_RETURN(std::vector<ContactRow> rows, store->PlanContacts(id));
    for (const ContactRow& row : rows) contact_ids.push_back(row.contact.id());
  }
  std::sort(contact_ids.begin(), contact_ids.end());
  // Nobody books these contacts meanwhile (ids in order: no deadlock).
  std::vector<std::unique_ptr<ContactLocks::Held>> held;
  for (const std::string& contact_id : contact_ids) {
    held.push_back(locks_.Acquire(contact_id));
  }
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::CancelFollowUpPlanResponse>(
          "CancelFollowUpPlan", request, request.request_id(),
          [&](FollowUpStore* store, absl::Time now)
              -> absl::StatusOr<v1::CancelFollowUpPlanResponse> {
            ASSIGN_OR_RETURN(v1::FollowUpPlan plan, store->GetPlan(id));
            if (plan.status() == v1::FOLLOW_UP_PLAN_STATUS_CANCELLED) {
              return absl::FailedPreconditionError(
                  absl::StrCat("plan ", plan.id(), " is already cancelled"));
            }
            ASSIGN_OR_RETURN(std::vector<ContactRow> rows,
                             store->PlanContacts(id));
            for (ContactRow& row : rows) {
              if (!IsOpen(row.contact)) continue;
              MarkCancelled(row);
              RETURN_IF_ERROR(store->SaveContact(row, now));
            }
            plan.set_status(v1::FOLLOW_UP_PLAN_STATUS_CANCELLED);
            RETURN_IF_ERROR(store->SavePlan(std::move(plan), now).status());
            v1::CancelFollowUpPlanResponse out;
            ASSIGN_OR_RETURN(*out.mutable_follow_up_plan(), store->GetPlan(id));
            return out;
          }));
  held.clear();
  for (const std::string& contact_id : contact_ids) {
    ASSIGN_OR_RETURN(int64_t cid, ParseId(kContactPrefix, contact_id, "id"));
    if (absl::Status s = RunPendingFor(cid); !s.ok()) break;  // retried later
  }
  return absl::OkStatus();
}

}  // namespace tandem::followup
