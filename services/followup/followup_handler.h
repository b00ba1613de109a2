// The follow-up service's RPC logic, independent of gRPC's server machinery
// so that tests can call it directly, and its reactions to booking's change
// stream (called by the BookingFollower).
//
// Mutations that need booking (rescheduling, rebooking) call booking first,
// outside the store lock and holding the contact's lock, then record the
// result in one transaction (replayed for a repeated request_id). Booking
// work that follows from a recorded change (book new contacts, move them
// with their intensive, cancel the appointments of cancelled contacts) is
// written as the contact's `pending` work in the same transaction and done
// by RunPendingWork, so a crash in between loses nothing.
//
// Every method gets the authenticated Caller. A therapist sees only their
// own contacts and the plans they take part in, and records the outcomes
// of their own contacts only (therapist_scope.h). Each account may cause at
// most FollowUpOptions::max_reminders_per_caller_per_day reminders in any
// 24 hours: a call that would cause more is RESOURCE_EXHAUSTED and changes
// nothing (reminder_quota.h).
//
// Thread-safe.
#ifndef TANDEM_SERVICES_FOLLOWUP_FOLLOWUP_HANDLER_H_
#define TANDEM_SERVICES_FOLLOWUP_FOLLOWUP_HANDLER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/caller.h"
#include "services/common/guarded_store.h"
#include "services/common/idempotency.h"
#include "services/common/list_page.h"
#include "services/common/pagination.h"
#include "services/common/status_macros.h"
#include "services/followup/booking_client.h"
#include "services/followup/contact_booker.h"
#include "services/followup/followup_store.h"
#include "services/followup/reminder_quota.h"
#include "tandem/followup/v1/followup_service.pb.h"

namespace tandem::followup {

struct FollowUpOptions {
  // Reminders one account may cause in any 24 hours (reminder_quota.h);
  // 0: no limit.
  int max_reminders_per_caller_per_day = 200;
};

class FollowUpHandler {
 public:
  // `client` is not owned and must outlive the handler.
  FollowUpHandler(std::unique_ptr<FollowUpStore> store, common::Clock clock,
                  BookingClient* client, FollowUpOptions options = {});

  using Caller = common::Caller;

  absl::Status GetFollowUpPlanTemplate(
      const Caller&, const v1::GetFollowUpPlanTemplateRequest&,
      v1::GetFollowUpPlanTemplateResponse*);
  absl::Status ListFollowUpPlanTemplates(
      const Caller&, const v1::ListFollowUpPlanTemplatesRequest&,
      v1::ListFollowUpPlanTemplatesResponse*);
  absl::Status CreateFollowUpPlanTemplate(
      const Caller&, const v1::CreateFollowUpPlanTemplateRequest&,
      v1::CreateFollowUpPlanTemplateResponse*);
  absl::Status UpdateFollowUpPlanTemplate(
      const Caller&, const v1::UpdateFollowUpPlanTemplateRequest&,
      v1::UpdateFollowUpPlanTemplateResponse*);
  absl::Status DeleteFollowUpPlanTemplate(
      const Caller&, const v1::DeleteFollowUpPlanTemplateRequest&,
      v1::DeleteFollowUpPlanTemplateResponse*);

  absl::Status GetFollowUpPlan(const Caller&, const v1::GetFollowUpPlanRequest&,
                               v1::GetFollowUpPlanResponse*);
  absl::Status ListFollowUpPlans(const Caller&,
                                 const v1::ListFollowUpPlansRequest&,
                                 v1::ListFollowUpPlansResponse*);
  absl::Status CreateFollowUpPlan(const Caller&,
                                  const v1::CreateFollowUpPlanRequest&,
                                  v1::CreateFollowUpPlanResponse*);
  absl::Status CancelFollowUpPlan(const Caller&,
                                  const v1::CancelFollowUpPlanRequest&,
                                  v1::CancelFollowUpPlanResponse*);

  absl::Status GetFollowUpContact(const Caller&,
                                  const v1::GetFollowUpContactRequest&,
                                  v1::GetFollowUpContactResponse*);
  absl::Status ListFollowUpContacts(const Caller&,
                                    const v1::ListFollowUpContactsRequest&,
                                    v1::ListFollowUpContactsResponse*);
  absl::Status RescheduleContact(const Caller&,
                                 const v1::RescheduleContactRequest&,
                                 v1::RescheduleContactResponse*);
  absl::Status CancelContact(const Caller&, const v1::CancelContactRequest&,
                             v1::CancelContactResponse*);
  absl::Status RecordOutcome(const Caller&, const v1::RecordOutcomeRequest&,
                             v1::RecordOutcomeResponse*);
  absl::Status RebookContact(const Caller&, const v1::RebookContactRequest&,
                             v1::RebookContactResponse*);

  // ---- Reminders: policy, opt-outs, delivery records ----
  absl::Status GetReminderPolicy(const Caller&,
                                 const v1::GetReminderPolicyRequest&,
                                 v1::GetReminderPolicyResponse*);
  absl::Status UpdateReminderPolicy(const Caller&,
                                    const v1::UpdateReminderPolicyRequest&,
                                    v1::UpdateReminderPolicyResponse*);
  absl::Status ListContactPreferences(const Caller&,
                                      const v1::ListContactPreferencesRequest&,
                                      v1::ListContactPreferencesResponse*);
  absl::Status SetOptOut(const Caller&, const v1::SetOptOutRequest&,
                         v1::SetOptOutResponse*);
  absl::Status GetReminder(const Caller&, const v1::GetReminderRequest&,
                           v1::GetReminderResponse*);
  absl::Status ListReminders(const Caller&, const v1::ListRemindersRequest&,
                             v1::ListRemindersResponse*);

  // ---- Booking's change stream (see BookingFollower). ----

  // The booking revision whose effects are stored.
  absl::StatusOr<int64_t> BookingRevision();
  // Applies one change and records its revision, in one transaction; a
  // change at or below the stored revision is ignored.
  absl::Status ApplyBookingChange(const tandem::booking::v1::Change& change);
  // After a re-list: brings every plan in line with the intensives' current
  // state, then records `revision`.
  absl::Status ReconcileIntensives(
      const std::vector<tandem::booking::v1::Intensive>& intensives,
      int64_t revision);
  // Does the pending booking work of every contact. Returns the first
  // transient failure (the work stays pending and is retried).
  absl::Status RunPendingWork();

  common::GuardedStore<FollowUpStore>& store() { return store_; }

 private:
  // The stored response of a repeated request_id, if any.
  template <typename Response>
  absl::StatusOr<std::optional<Response>> Replayed(
      absl::string_view method, const google::protobuf::Message& request,
      absl::string_view request_id);
  // Does one contact's pending work (holding its lock).
  absl::Status RunPendingFor(int64_t contact_id);
  absl::Status DoPending(ContactRow row);
  // Records `change` to a contact read as `seen`, unless it changed since;
  // returns whether it was recorded.
  absl::StatusOr<bool> RecordIfUnchanged(
      const ContactRow& seen, const std::function<void(ContactRow&)>& change);
  // Under the store's transaction.
  absl::Status ReconcileIntensive(FollowUpStore& store,
                                  const tandem::booking::v1::Intensive& in,
                                  tandem::booking::v1::IntensiveEvent event,
                                  bool relisted, absl::Time now);
  // The reminder limit, over `store`'s database.
  ReminderQuota Quota(FollowUpStore& store) const;
  // The reminders scheduling `contacts` contacts causes under the stored
  // policy (in the caller's transaction, or under the store's lock).
  absl::StatusOr<int64_t> RemindersFor(FollowUpStore& store,
                                       int64_t contacts) const;
  absl::Status ApplyAppointment(FollowUpStore& store,
                                const tandem::booking::v1::Appointment& a,
                                absl::Time now);

  const FollowUpOptions options_;
  common::GuardedStore<FollowUpStore> store_;
  BookingClient* const client_;
  ContactBooker booker_;
  ContactLocks locks_;
  // Keyed by Caller::subject: one account's reminder check and count (and
  // the booking calls between them) in turn, so that no call of the same
  // account comes between. Taken after a contact's lock, never before.
  ContactLocks account_locks_;
};

template <typename Response>
absl::StatusOr<std::optional<Response>> FollowUpHandler::Replayed(
    absl::string_view method, const google::protobuf::Message& request,
    absl::string_view request_id) {
  RETURN_IF_ERROR(common::ValidateRequestId(request_id));
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(
      std::optional<std::string> stored,
      store->backend().FindStoredResponse(request_id, method, request));
  if (!stored) return std::nullopt;
  Response response;
  if (!response.ParseFromString(*stored)) {
    return absl::InternalError("stored response is unreadable");
  }
  return response;
}

// Fills a List response: the page's items and the token of the next page.
template <typename T, typename Response>
void FillPage(common::Page<T> page, absl::string_view scope,
              google::protobuf::RepeatedPtrField<T>* items,
              Response* response) {
  for (T& item : page.items) *items->Add() = std::move(item);
  if (page.next) {
    response->set_next_page_token(common::EncodePageToken(scope, *page.next));
  }
}

// Sets a contact SCHEDULED at `appointment`'s time, room and therapist.
void MarkScheduled(const tandem::booking::v1::Appointment& appointment,
                   absl::CivilDay day, ContactRow& row);
// Closes a contact with how it went, who said so and when.
void MarkClosed(v1::ContactOutcome outcome, const std::string& note,
                const std::string& actor, absl::Time now, ContactRow& row);
// Cancels an open contact; its appointment, if any, is to be cancelled.
void MarkCancelled(ContactRow& row);
bool IsOpen(const v1::FollowUpContact& contact);

}  // namespace tandem::followup

#endif  // TANDEM_SERVICES_FOLLOWUP_FOLLOWUP_HANDLER_H_
