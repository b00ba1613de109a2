// FollowUpHandler: follow-up contacts (read, reschedule, cancel, outcome,
// rebook).
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/pagination.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"
#include "services/followup/followup_handler.h"
#include "services/followup/ids.h"
#include "services/followup/therapist_scope.h"
#include "services/followup/validation.h"

namespace tandem::followup {

namespace {

namespace bk = ::tandem::booking::v1;

constexpr absl::string_view kContactsScope = "followup-contacts";

absl::Status NotOpen(const v1::FollowUpContact& c) {
  return absl::FailedPreconditionError(absl::StrCat(
      "contact ", c.id(), " is ", v1::ContactStatus_Name(c.status())));
}

// What a caller asks for: a future start, and a therapist or room of the
// right kind of id.
absl::StatusOr<SlotRequest> ParseSlot(const google::protobuf::Timestamp& start,
                                      const std::string& therapist_id,
                                      const std::string& room_id,
                                      bool has_start, absl::Time now) {
  if (!has_start) return absl::InvalidArgumentError("start_time: required");
  SlotRequest slot;
  ASSIGN_OR_RETURN(slot.start, common::TimeFromProto(start, "start_time"));
  if (slot.start <= now) {
    return absl::InvalidArgumentError("start_time: must be in the future");
  }
  if (!therapist_id.empty()) {
    RETURN_IF_ERROR(
        ParseId(kTherapistPrefix, therapist_id, "therapist_id").status());
  }
  if (!room_id.empty()) {
    RETURN_IF_ERROR(ParseId(kRoomPrefix, room_id, "room_id").status());
  }
  slot.therapist_id = therapist_id;
  slot.room_id = room_id;
  return slot;
}

absl::Status CheckRoom(const ContactRow& row, const SlotRequest& slot) {
  if (!slot.room_id.empty() &&
      row.contact.kind() != v1::CONTACT_KIND_OFFICE_VISIT) {
    return absl::InvalidArgumentError("room_id: a phone call takes no room");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status FollowUpHandler::GetFollowUpContact(
    const Caller& caller, const v1::GetFollowUpContactRequest& request,
    v1::GetFollowUpContactResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kContactPrefix, request.id(), "id"));
  ASSIGN_OR_RETURN(std::optional<std::string> scope, TherapistScope(caller));
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(ContactRow row, ScopedContact(*store, scope, id, "id"));
  *response->mutable_follow_up_contact() = std::move(row.contact);
  return absl::OkStatus();
}

absl::Status FollowUpHandler::ListFollowUpContacts(
    const Caller& caller, const v1::ListFollowUpContactsRequest& request,
    v1::ListFollowUpContactsResponse* response) {
  ASSIGN_OR_RETURN(int limit, common::EffectivePageSize(request.page_size()));
  ASSIGN_OR_RETURN(
      common::PageCursor after,
      common::DecodePageToken(kContactsScope, request.page_token()));
  ContactFilter filter;
  filter.therapist_id = request.therapist_id();
  // A therapist's own contacts only, filtered in the query (full pages).
  ASSIGN_OR_RETURN(std::optional<std::string> scope, TherapistScope(caller));
  RETURN_IF_ERROR(NarrowToScope(scope, "therapist_id", &filter.therapist_id));
  filter.couple_id = request.couple_id();
  if (!request.plan_id().empty()) {
    ASSIGN_OR_RETURN(filter.plan_id,
                     ParseId(kPlanPrefix, request.plan_id(), "plan_id"));
  }
  for (int status : request.statuses()) {
    filter.statuses.push_back(static_cast<v1::ContactStatus>(status));
  }
  if (request.has_date_range()) {
    RETURN_IF_ERROR(ParseDayRange(request.date_range(), &filter.first_day,
                                  &filter.last_day));
  }
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(auto page, store->ListContacts(filter, after, limit));
  FillPage(std::move(page), kContactsScope,
           response->mutable_follow_up_contacts(), response);
  return absl::OkStatus();
}

absl::Status FollowUpHandler::RescheduleContact(
    const Caller& caller, const v1::RescheduleContactRequest& request,
    v1::RescheduleContactResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kContactPrefix, request.id(), "id"));
  ASSIGN_OR_RETURN(
      SlotRequest slot,
      ParseSlot(request.start_time(), request.therapist_id(), request.room_id(),
                request.has_start_time(), store_.Now()));
  auto held = locks_.Acquire(request.id());
  // Checked under the contact's lock: a concurrent twin waits, then replays.
  ASSIGN_OR_RETURN(auto replayed,
                   Replayed<v1::RescheduleContactResponse>(
                       "RescheduleContact", request, request.request_id()));
  if (replayed) {
    *response = *std::move(replayed);
    return absl::OkStatus();
  }
  // The reminder limit is checked before booking is asked, so a refused
  // call changes nothing anywhere, and the reminders are counted when the
  // result is recorded: a time booked is recorded, never refused then. The
  // account's lock keeps its other calls from coming between.
  auto account = account_locks_.Acquire(caller.subject);
  ContactRow row;
  int64_t reminders = 0;
  {
    auto store = store_.Lock();
    ASSIGN_OR_RETURN(row, store->GetContact(id));
    if (!IsOpen(row.contact)) return NotOpen(row.contact);
    RETURN_IF_ERROR(CheckRoom(row, slot));
    ASSIGN_OR_RETURN(reminders, RemindersFor(*store, 1));
    RETURN_IF_ERROR(
        Quota(*store).Check(caller.subject, reminders, store_.Now()));
  }
  ASSIGN_OR_RETURN(bk::Appointment booked, booker_.BookAt(row, slot));
  ASSIGN_OR_RETURN(absl::CivilDay day,
                   booker_.ClinicDay(common::FromProto(booked.start_time())));
  absl::StatusOr<v1::RescheduleContactResponse> recorded =
      store_.Mutate<v1::RescheduleContactResponse>(
          "RescheduleContact", request, request.request_id(),
          [&](FollowUpStore* store,
              absl::Time now) -> absl::StatusOr<v1::RescheduleContactResponse> {
            ASSIGN_OR_RETURN(ContactRow current, store->GetContact(id));
            if (!IsOpen(current.contact)) return NotOpen(current.contact);
            MarkScheduled(booked, day, current);
            RETURN_IF_ERROR(store->SaveContact(current, now));
            RETURN_IF_ERROR(Quota(*store).Record(
                caller.subject, current.contact.id(), reminders, now));
            v1::RescheduleContactResponse out;
            *out.mutable_follow_up_contact() = std::move(current.contact);
            return out;
          });
  if (!recorded.ok()) {
    // Cancelled meanwhile (its plan or intensive): release the new time.
    if (row.contact.appointment_id().empty())
      booker_.Cancel(booked.id()).IgnoreError();
    return recorded.status();
  }
  *response = *std::move(recorded);
  return absl::OkStatus();
}

absl::Status FollowUpHandler::CancelContact(
    const Caller&, const v1::CancelContactRequest& request,
    v1::CancelContactResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kContactPrefix, request.id(), "id"));
  {
    auto held = locks_.Acquire(request.id());
    ASSIGN_OR_RETURN(
        *response,
        store_.Mutate<v1::CancelContactResponse>(
            "CancelContact", request, request.request_id(),
            [&](FollowUpStore* store,
                absl::Time now) -> absl::StatusOr<v1::CancelContactResponse> {
              ASSIGN_OR_RETURN(ContactRow row, store->GetContact(id));
              if (!IsOpen(row.contact)) return NotOpen(row.contact);
              MarkCancelled(row);
              RETURN_IF_ERROR(store->SaveContact(row, now));
              ASSIGN_OR_RETURN(
                  int64_t plan_id,
                  ParseId(kPlanPrefix, row.contact.plan_id(), "plan_id"));
              RETURN_IF_ERROR(store->RefreshPlanStatus(plan_id, now));
              v1::CancelContactResponse out;
              *out.mutable_follow_up_contact() = std::move(row.contact);
              return out;
            }));
  }
  // The appointment is released now if booking answers, or later.
  RunPendingFor(id).IgnoreError();
  return absl::OkStatus();
}

absl::Status FollowUpHandler::RecordOutcome(
    const Caller& caller, const v1::RecordOutcomeRequest& request,
    v1::RecordOutcomeResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kContactPrefix, request.id(), "id"));
  if (request.outcome() == v1::CONTACT_OUTCOME_RESCHEDULED) {
    return absl::InvalidArgumentError(
        "outcome: RESCHEDULED is recorded by RebookContact");
  }
  if (request.outcome() != v1::CONTACT_OUTCOME_DONE &&
      request.outcome() != v1::CONTACT_OUTCOME_NO_ANSWER &&
      request.outcome() != v1::CONTACT_OUTCOME_DECLINED) {
    return absl::InvalidArgumentError(
        "outcome: DONE, NO_ANSWER or DECLINED required");
  }
  RETURN_IF_ERROR(ValidateNote(request.note(), "note"));
  ASSIGN_OR_RETURN(std::optional<std::string> scope, TherapistScope(caller));
  auto held = locks_.Acquire(request.id());
  {
    // Also before a repeated request_id is answered from the request log.
    auto store = store_.Lock();
    RETURN_IF_ERROR(ScopedContact(*store, scope, id, "id").status());
  }
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::RecordOutcomeResponse>(
          "RecordOutcome", request, request.request_id(),
          [&](FollowUpStore* store,
              absl::Time now) -> absl::StatusOr<v1::RecordOutcomeResponse> {
            ASSIGN_OR_RETURN(ContactRow row,
                             ScopedContact(*store, scope, id, "id"));
            if (row.contact.status() != v1::CONTACT_STATUS_SCHEDULED) {
              return NotOpen(row.contact);
            }
            v1::FollowUpContact& c = row.contact;
            MarkClosed(request.outcome(), request.note(), caller.subject, now,
                       row);
            row.pending = Pending::kNone;
            RETURN_IF_ERROR(store->SaveContact(row, now));
            ASSIGN_OR_RETURN(int64_t plan_id,
                             ParseId(kPlanPrefix, c.plan_id(), "plan_id"));
            RETURN_IF_ERROR(store->RefreshPlanStatus(plan_id, now));
            v1::RecordOutcomeResponse out;
            *out.mutable_follow_up_contact() = std::move(c);
            return out;
          }));
  return absl::OkStatus();
}

absl::Status FollowUpHandler::RebookContact(
    const Caller& caller, const v1::RebookContactRequest& request,
    v1::RebookContactResponse* response) {
  ASSIGN_OR_RETURN(int64_t id, ParseId(kContactPrefix, request.id(), "id"));
  const v1::ContactOutcome outcome =
      request.outcome() == v1::CONTACT_OUTCOME_UNSPECIFIED
          ? v1::CONTACT_OUTCOME_NO_ANSWER
          : request.outcome();
  if (outcome != v1::CONTACT_OUTCOME_NO_ANSWER &&
      outcome != v1::CONTACT_OUTCOME_RESCHEDULED) {
    return absl::InvalidArgumentError("outcome: NO_ANSWER or RESCHEDULED");
  }
  RETURN_IF_ERROR(ValidateNote(request.note(), "note"));
  ASSIGN_OR_RETURN(
      SlotRequest slot,
      ParseSlot(request.start_time(), request.therapist_id(), request.room_id(),
                request.has_start_time(), store_.Now()));
  auto held = locks_.Acquire(request.id());
  // Checked under the contact's lock: a concurrent twin waits, then replays.
  ASSIGN_OR_RETURN(auto replayed,
                   Replayed<v1::RebookContactResponse>("RebookContact", request,
                                                       request.request_id()));
  if (replayed) {
    *response = *std::move(replayed);
    return absl::OkStatus();
  }
  // The reminder limit as in RescheduleContact: checked before booking is
  // asked, counted when the result is recorded, the account's calls in turn.
  auto account = account_locks_.Acquire(caller.subject);
  int64_t reminders = 0;
  // The new contact exists (UNSCHEDULED, nothing pending) while booking is
  // asked, so its id can be the appointment's external_ref; a retry after a
  // crash finds it again.
  ContactRow old_row;
  ContactRow new_row;
  RETURN_IF_ERROR(store_.Transact(
      [&](FollowUpStore* store, absl::Time now) -> absl::Status {
        ASSIGN_OR_RETURN(old_row, store->GetContact(id));
        if (old_row.contact.status() != v1::CONTACT_STATUS_SCHEDULED) {
          return NotOpen(old_row.contact);
        }
        ASSIGN_OR_RETURN(reminders, RemindersFor(*store, 1));
        RETURN_IF_ERROR(Quota(*store).Check(caller.subject, reminders, now));
        ASSIGN_OR_RETURN(
            int64_t plan_id,
            ParseId(kPlanPrefix, old_row.contact.plan_id(), "plan_id"));
        ASSIGN_OR_RETURN(std::vector<ContactRow> rows,
                         store->PlanContacts(plan_id));
        for (ContactRow& row : rows) {
          if (row.contact.rebooked_from_contact_id() == old_row.contact.id() &&
              row.contact.status() == v1::CONTACT_STATUS_UNSCHEDULED) {
            new_row = std::move(row);
            return absl::OkStatus();
          }
        }
        new_row = old_row;
        v1::FollowUpContact& c = new_row.contact;
        for (auto clear : {&v1::FollowUpContact::clear_id,
                           &v1::FollowUpContact::clear_appointment_id,
                           &v1::FollowUpContact::clear_room_id,
                           &v1::FollowUpContact::clear_scheduled_start_time,
                           &v1::FollowUpContact::clear_scheduled_end_time}) {
          (c.*clear)();
        }
        c.set_status(v1::CONTACT_STATUS_UNSCHEDULED);
        c.set_rebooked_from_contact_id(old_row.contact.id());
        new_row.pending = Pending::kNone;
        new_row.version = 0;
        return store->SaveContact(new_row, now);
      },
      [] {}));
  ASSIGN_OR_RETURN(int64_t new_id,
                   ParseId(kContactPrefix, new_row.contact.id(), "id"));
  absl::StatusOr<bk::Appointment> booked = booker_.BookAt(new_row, slot);
  if (!booked.ok()) {
    // Nothing changes: the placeholder goes.
    store_
        .Transact([&](FollowUpStore* store,
                      absl::Time) { return store->DeleteContact(new_id); },
                  [] {})
        .IgnoreError();
    return booked.status();
  }
  ASSIGN_OR_RETURN(absl::CivilDay day,
                   booker_.ClinicDay(common::FromProto(booked->start_time())));
  absl::StatusOr<v1::RebookContactResponse> recorded =
      store_.Mutate<v1::RebookContactResponse>(
          "RebookContact", request, request.request_id(),
          [&](FollowUpStore* store,
              absl::Time now) -> absl::StatusOr<v1::RebookContactResponse> {
            ASSIGN_OR_RETURN(ContactRow closed, store->GetContact(id));
            if (closed.contact.status() != v1::CONTACT_STATUS_SCHEDULED) {
              return NotOpen(closed.contact);
            }
            v1::FollowUpContact& c = closed.contact;
            MarkClosed(outcome, request.note(), caller.subject, now, closed);
            // A contact moved at the client's request frees its old time.
            closed.pending = outcome == v1::CONTACT_OUTCOME_RESCHEDULED &&
                                     !c.appointment_id().empty()
                                 ? Pending::kCancelAppointment
                                 : Pending::kNone;
            RETURN_IF_ERROR(store->SaveContact(closed, now));
            ASSIGN_OR_RETURN(ContactRow fresh, store->GetContact(new_id));
            MarkScheduled(*booked, day, fresh);
            RETURN_IF_ERROR(store->SaveContact(fresh, now));
            RETURN_IF_ERROR(Quota(*store).Record(
                caller.subject, fresh.contact.id(), reminders, now));
            v1::RebookContactResponse out;
            *out.mutable_closed_contact() = std::move(closed.contact);
            *out.mutable_new_contact() = std::move(fresh.contact);
            return out;
          });
  if (!recorded.ok()) {
    // Closed or cancelled meanwhile: release the new time.
    booker_.Cancel(booked->id()).IgnoreError();
    return recorded.status();
  }
  *response = *std::move(recorded);
  account.reset();
  held.reset();
  RunPendingFor(id).IgnoreError();
  return absl::OkStatus();
}

}  // namespace tandem::followup
