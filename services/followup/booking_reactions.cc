// FollowUpHandler: what booking's changes do to plans and contacts, and the
// booking work that follows (booking, moving and cancelling appointments).
#include <spdlog/spdlog.h>

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"
#include "services/followup/followup_handler.h"
#include "services/followup/ids.h"
#include "services/followup/plan_builder.h"
#include "services/followup/reminder_jobs.h"

namespace tandem::followup {

namespace {

namespace bk = ::tandem::booking::v1;
using ::google::protobuf::util::MessageDifferencer;

// Pending work is read in batches of this many contacts.
constexpr int kPendingBatch = 100;

bool WantsPlan(bk::IntensiveStatus status) {
  return status == bk::INTENSIVE_STATUS_BOOKED ||
         status == bk::INTENSIVE_STATUS_IN_PROGRESS;
}

void MarkUnscheduled(ContactRow& row) {
  v1::FollowUpContact& c = row.contact;
  c.set_status(v1::CONTACT_STATUS_UNSCHEDULED);
  c.clear_appointment_id();
  c.clear_room_id();
  c.clear_scheduled_start_time();
  c.clear_scheduled_end_time();
  row.day = absl::CivilDay(c.due_date().year(), c.due_date().month(),
                           c.due_date().day());
  row.pending = Pending::kNone;
}

// The programme-start reminders an intensive in this state needs: for its
// first session while BOOKED, none otherwise (held, cancelled, started).
ReminderJob StartReminders(const bk::Intensive& in) {
  ReminderJob job;
  job.subject_ref = in.id();
  job.event = v1::REMINDER_EVENT_INTENSIVE_START;
  job.couple_id = in.couple_id();
  if (in.status() == bk::INTENSIVE_STATUS_BOOKED && in.sessions_size() > 0) {
    job.event_time = common::FromProto(in.sessions(0).start_time());
  }
  return job;
}

void LogGaveUp(const ContactRow& row, const absl::Status& status) {
  spdlog::warn(R"("event":"contact_booking_failed","contact":"{}","code":{})",
               row.contact.id(), static_cast<int>(status.code()));
}

}  // namespace

absl::StatusOr<int64_t> FollowUpHandler::BookingRevision() {
  auto store = store_.Lock();
  return store->BookingRevision();
}

absl::Status FollowUpHandler::ApplyBookingChange(const bk::Change& change) {
  return store_.Transact(
      [&](FollowUpStore* store, absl::Time now) -> absl::Status {
        ASSIGN_OR_RETURN(int64_t done, store->BookingRevision());
        if (change.revision() <= done) return absl::OkStatus();
        if (change.has_intensive()) {
          RETURN_IF_ERROR(ReconcileIntensive(*store, change.intensive(),
                                             change.intensive_event(),
                                             /*relisted=*/false, now));
        } else if (change.has_appointment()) {
          RETURN_IF_ERROR(ApplyAppointment(*store, change.appointment(), now));
        }
        return store->SetBookingRevision(change.revision());
      },
      [] {});
}

absl::Status FollowUpHandler::ReconcileIntensives(
    const std::vector<bk::Intensive>& intensives, int64_t revision) {
  for (const bk::Intensive& intensive : intensives) {
    RETURN_IF_ERROR(store_.Transact(
        [&](FollowUpStore* store, absl::Time now) {
          return ReconcileIntensive(*store, intensive,
                                    bk::INTENSIVE_EVENT_UNSPECIFIED,
                                    /*relisted=*/true, now);
        },
        [] {}));
  }
  return store_.Transact(
      [&](FollowUpStore* store, absl::Time) {
        return store->SetBookingRevision(revision);
      },
      [] {});
}

absl::Status FollowUpHandler::ReconcileIntensive(FollowUpStore& store,
                                                 const bk::Intensive& in,
                                                 bk::IntensiveEvent event,
                                                 bool relisted,
                                                 absl::Time now) {
  RETURN_IF_ERROR(store.reminder_jobs().Request(StartReminders(in)));
  ASSIGN_OR_RETURN(std::optional<v1::FollowUpPlan> plan,
                   store.FindPlanByIntensive(in.id()));
  if (!plan) {
    if (!WantsPlan(in.status())) return absl::OkStatus();
    ASSIGN_OR_RETURN(v1::FollowUpPlanTemplate t, store.GetDefaultTemplate());
    absl::StatusOr<NewPlan> made = BuildPlan(t, in);
    if (!made.ok()) {
      spdlog::warn(R"("event":"plan_not_made","intensive":"{}","code":{})",
                   in.id(), static_cast<int>(made.status().code()));
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(v1::FollowUpPlan saved,
                     store.SavePlan(std::move(made->plan), now));
    for (ContactRow& row : made->contacts) {
      row.contact.set_plan_id(saved.id());
      RETURN_IF_ERROR(store.SaveContact(row, now));
    }
    ASSIGN_OR_RETURN(
        int64_t reminders,
        RemindersFor(store, static_cast<int64_t>(made->contacts.size())));
    RETURN_IF_ERROR(
        Quota(store).Record(kSystemActor, saved.id(), reminders, now));
    spdlog::info(
        R"("event":"plan_created","plan":"{}","intensive":"{}","contacts":{})",
        saved.id(), in.id(), made->contacts.size());
    return absl::OkStatus();
  }
  if (plan->status() != v1::FOLLOW_UP_PLAN_STATUS_ACTIVE) {
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(int64_t plan_id, ParseId(kPlanPrefix, plan->id(), "id"));
  ASSIGN_OR_RETURN(std::vector<ContactRow> rows, store.PlanContacts(plan_id));
  if (in.status() == bk::INTENSIVE_STATUS_CANCELLED) {
    // A plan made by hand after the cancellation stays.
    const bool cancelled_after_plan = common::FromProto(in.update_time()) >=
                                      common::FromProto(plan->create_time());
    if (event != bk::INTENSIVE_EVENT_CANCELLED &&
        !(relisted && cancelled_after_plan)) {
      return absl::OkStatus();
    }
    for (ContactRow& row : rows) {
      if (!IsOpen(row.contact)) continue;
      MarkCancelled(row);
      RETURN_IF_ERROR(store.SaveContact(row, now));
    }
    plan->set_status(v1::FOLLOW_UP_PLAN_STATUS_CANCELLED);
    spdlog::info(R"("event":"plan_cancelled","plan":"{}","intensive":"{}")",
                 plan->id(), in.id());
    return store.SavePlan(*std::move(plan), now).status();
  }
  if (!in.has_end_date() ||
      MessageDifferencer::Equals(in.end_date(), plan->anchor_date())) {
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(absl::CivilDay anchor,
                   common::DayFromProto(in.end_date(), "end_date"));
  int64_t moved = 0;
  for (ContactRow& row : rows) {
    if (!IsOpen(row.contact)) continue;
    SetDueDate(anchor, row);
    row.pending =
        row.contact.appointment_id().empty() ? Pending::kBook : Pending::kMove;
    RETURN_IF_ERROR(store.SaveContact(row, now));
    ++moved;
  }
  ASSIGN_OR_RETURN(int64_t reminders, RemindersFor(store, moved));
  RETURN_IF_ERROR(
      Quota(store).Record(kSystemActor, plan->id(), reminders, now));
  *plan->mutable_anchor_date() = in.end_date();
  spdlog::info(R"("event":"plan_moved","plan":"{}","intensive":"{}")",
               plan->id(), in.id());
  return store.SavePlan(*std::move(plan), now).status();
}

absl::Status FollowUpHandler::ApplyAppointment(FollowUpStore& store,
                                               const bk::Appointment& a,
                                               absl::Time now) {
  if (!absl::StartsWith(a.external_ref(), kContactPrefix)) {
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> id =
      ParseId(kContactPrefix, a.external_ref(), "external_ref");
  if (!id.ok()) return absl::OkStatus();  // someone else's reference
  absl::StatusOr<ContactRow> row = store.GetContact(*id);
  if (absl::IsNotFound(row.status())) return absl::OkStatus();
  RETURN_IF_ERROR(row.status());
  v1::FollowUpContact& c = row->contact;
  if (c.appointment_id() != a.id() || !IsOpen(c)) return absl::OkStatus();
  const v1::ContactStatus before = c.status();
  switch (a.status()) {
    case bk::APPOINTMENT_STATUS_NEEDS_ATTENTION:
      c.set_status(v1::CONTACT_STATUS_NEEDS_ATTENTION);
      break;
    case bk::APPOINTMENT_STATUS_SCHEDULED:
      c.set_status(v1::CONTACT_STATUS_SCHEDULED);
      break;
    case bk::APPOINTMENT_STATUS_CANCELLED:
      // Cancelled in booking directly: the contact needs a new time.
      MarkUnscheduled(*row);
      break;
    default:
      break;
  }
  if (c.status() == before) return absl::OkStatus();
  spdlog::info(R"("event":"contact_status","contact":"{}","status":{})", c.id(),
               static_cast<int>(c.status()));
  return store.SaveContact(*row, now);
}

// ---- Pending booking work ----

absl::Status FollowUpHandler::RunPendingWork() {
  std::vector<int64_t> ids;
  {
    auto store = store_.Lock();
    ASSIGN_OR_RETURN(ids, store->PendingContacts(kPendingBatch));
  }
  absl::Status first_failure;
  for (int64_t id : ids) {
    absl::Status done = RunPendingFor(id);
    if (!done.ok() && first_failure.ok()) first_failure = done;
  }
  return first_failure;
}

absl::Status FollowUpHandler::RunPendingFor(int64_t contact_id) {
  auto held = locks_.Acquire(FormatId(kContactPrefix, contact_id));
  ContactRow row;
  {
    auto store = store_.Lock();
    ASSIGN_OR_RETURN(row, store->GetContact(contact_id));
  }
  absl::Status done = DoPending(row);
  if (done.ok() || IsTransient(done)) return done;
  // Booking refused for good (e.g. the therapist is gone): a coordinator
  // sees the contact as it is.
  LogGaveUp(row, done);
  return RecordIfUnchanged(row,
                           [](ContactRow& r) { r.pending = Pending::kNone; })
      .status();
}

absl::StatusOr<bool> FollowUpHandler::RecordIfUnchanged(
    const ContactRow& seen, const std::function<void(ContactRow&)>& change) {
  ASSIGN_OR_RETURN(int64_t id,
                   ParseId(kContactPrefix, seen.contact.id(), "id"));
  bool recorded = false;
  RETURN_IF_ERROR(store_.Transact(
      [&](FollowUpStore* store, absl::Time now) -> absl::Status {
        ASSIGN_OR_RETURN(ContactRow current, store->GetContact(id));
        if (current.version != seen.version) return absl::OkStatus();
        change(current);
        RETURN_IF_ERROR(store->SaveContact(current, now));
        ASSIGN_OR_RETURN(
            int64_t plan_id,
            ParseId(kPlanPrefix, current.contact.plan_id(), "plan_id"));
        recorded = true;
        return store->RefreshPlanStatus(plan_id, now);
      },
      [] {}));
  return recorded;
}

absl::Status FollowUpHandler::DoPending(ContactRow row) {
  const v1::FollowUpContact& c = row.contact;
  switch (row.pending) {
    case Pending::kNone:
      return absl::OkStatus();
    case Pending::kCancelAppointment: {
      if (!c.appointment_id().empty()) {
        RETURN_IF_ERROR(booker_.Cancel(c.appointment_id()));
      }
      return RecordIfUnchanged(
                 row, [](ContactRow& r) { r.pending = Pending::kNone; })
          .status();
    }
    case Pending::kBook: {
      if (c.status() != v1::CONTACT_STATUS_UNSCHEDULED) {
        return RecordIfUnchanged(
                   row, [](ContactRow& r) { r.pending = Pending::kNone; })
            .status();
      }
      ASSIGN_OR_RETURN(std::optional<bk::Appointment> booked,
                       booker_.BookInWindow(row));
      if (!booked) {
        spdlog::info(R"("event":"contact_unscheduled","contact":"{}")", c.id());
        return RecordIfUnchanged(
                   row, [](ContactRow& r) { r.pending = Pending::kNone; })
            .status();
      }
      ASSIGN_OR_RETURN(
          absl::CivilDay day,
          booker_.ClinicDay(common::FromProto(booked->start_time())));
      ASSIGN_OR_RETURN(bool recorded,
                       RecordIfUnchanged(row, [&](ContactRow& r) {
                         MarkScheduled(*booked, day, r);
                       }));
      if (!recorded) return booker_.Cancel(booked->id());
      spdlog::info(
          R"("event":"contact_booked","contact":"{}","appointment":"{}")",
          c.id(), booked->id());
      return absl::OkStatus();
    }
    case Pending::kMove: {
      if (c.appointment_id().empty() ||
          (c.status() != v1::CONTACT_STATUS_SCHEDULED &&
           c.status() != v1::CONTACT_STATUS_NEEDS_ATTENTION)) {
        const bool book = c.status() == v1::CONTACT_STATUS_UNSCHEDULED;
        return RecordIfUnchanged(row,
                                 [book](ContactRow& r) {
                                   r.pending =
                                       book ? Pending::kBook : Pending::kNone;
                                 })
            .status();
      }
      ASSIGN_OR_RETURN(std::optional<bk::Appointment> moved,
                       booker_.MoveInWindow(row));
      if (!moved) {
        // No time in the new window: release the old one; a coordinator
        // books the contact.
        RETURN_IF_ERROR(booker_.Cancel(c.appointment_id()));
        return RecordIfUnchanged(row, MarkUnscheduled).status();
      }
      ASSIGN_OR_RETURN(
          absl::CivilDay day,
          booker_.ClinicDay(common::FromProto(moved->start_time())));
      return RecordIfUnchanged(
                 row, [&](ContactRow& r) { MarkScheduled(*moved, day, r); })
          .status();
    }
  }
  return absl::OkStatus();
}

}  // namespace tandem::followup
