// The follow-up service's storage API: plan templates, plans, contacts, the
// booking revision processed so far, the reminder settings, charges, jobs and
// outbox, and (through backend()) the common request and change logs. An
// interface, so that the engine can change without touching handlers,
// workers or the dispatcher: SqliteFollowUpStore (sqlite_followup_store.h)
// is the embedded default; OpenFollowUpStore picks it from --db.
//
// A plan is read with its contacts. Besides its proto, a contact
// (ContactRow) carries what booking it needs: its
// length, its booking window, its calendar offset (to re-anchor it when the
// intensive moves) and the work still owed to booking (`pending`), which
// the booking follower performs after the change that caused it committed.
//
// Every contact write appends the contact, as it is after the write, to the
// change log (serialized FollowUpContact): the reminders follow it.
//
// Not thread-safe: used through common::GuardedStore. Writes (including
// those of the parts below) run inside the transaction the caller opened on
// backend() and never commit.
#ifndef TANDEM_SERVICES_FOLLOWUP_FOLLOWUP_STORE_H_
#define TANDEM_SERVICES_FOLLOWUP_FOLLOWUP_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/list_page.h"
#include "services/common/sqlite.h"
#include "services/common/store_backend.h"
#include "services/followup/delivery/outbox.h"
#include "services/followup/reminder_jobs.h"
#include "services/followup/reminder_quota.h"
#include "services/followup/reminder_settings.h"
#include "services/followup/schedule.h"
#include "tandem/followup/v1/followup.pb.h"

namespace tandem::followup {

namespace v1 = ::tandem::followup::v1;
using common::Page;

// Booking work a contact still needs, done by the booking follower.
enum class Pending {
  kNone = 0,
  // Find a free time in the contact's window and book it.
  kBook = 1,
  // The due date moved: move the appointment into the new window.
  kMove = 2,
  // The contact is over (cancelled) but its appointment is still booked.
  kCancelAppointment = 3,
};

// A contact and what the service needs to book it.
struct ContactRow {
  v1::FollowUpContact contact;
  absl::Duration duration = absl::Minutes(20);
  int window_days = 0;
  Offset offset;  // from the plan's anchor
  Pending pending = Pending::kNone;
  // Bumped by every write; part of the request ids sent to booking, so a
  // retried call replays and a new attempt is a new request.
  int64_t version = 0;
  // The clinic-local day it is booked on (or, unbooked, due on).
  absl::CivilDay day;
};

struct PlanFilter {
  std::string couple_id, intensive_id, therapist_id;
  std::vector<v1::FollowUpPlanStatus> statuses;  // empty: all
  std::optional<absl::CivilDay> first_day, last_day;
};

struct ContactFilter {
  std::string therapist_id, couple_id;
  std::optional<int64_t> plan_id;
  std::vector<v1::ContactStatus> statuses;  // empty: all
  std::optional<absl::CivilDay> first_day, last_day;
};

class FollowUpStore {
 public:
  virtual ~FollowUpStore() = default;

  // The transaction, request log and change log this store writes through.
  virtual common::StoreBackend& backend() = 0;

  // ---- Reminder storage, in the same database and transactions. ----
  // The clinic's reminder policy and people's opt-outs.
  virtual ReminderSettings& reminder_settings() = 0;
  // Reminders charged to accounts (ReminderQuota).
  virtual ReminderCharges& reminder_charges() = 0;
  // Subjects whose reminders need (re)planning.
  virtual ReminderJobs& reminder_jobs() = 0;
  // Reminders to send, and their texts.
  virtual delivery::Outbox& outbox() = 0;

  // ---- Templates. NOT_FOUND names the template. ----
  virtual absl::StatusOr<v1::FollowUpPlanTemplate> GetTemplate(int64_t id) = 0;
  virtual absl::StatusOr<v1::FollowUpPlanTemplate> GetDefaultTemplate() = 0;
  virtual absl::StatusOr<Page<v1::FollowUpPlanTemplate>> ListTemplates(
      const common::PageCursor& after, int limit) = 0;
  // Inserts or (with an id) replaces a template; a default one clears the
  // flag on the others. Returns it as stored.
  virtual absl::StatusOr<v1::FollowUpPlanTemplate> SaveTemplate(
      v1::FollowUpPlanTemplate t, absl::Time now) = 0;
  virtual absl::Status DeleteTemplate(int64_t id) = 0;

  // ---- Plans, read with their contacts in due order. ----
  virtual absl::StatusOr<v1::FollowUpPlan> GetPlan(int64_t id) = 0;
  virtual absl::StatusOr<std::optional<v1::FollowUpPlan>> FindPlanByIntensive(
      const std::string& intensive_id) = 0;
  virtual absl::StatusOr<Page<v1::FollowUpPlan>> ListPlans(
      const PlanFilter& filter, const common::PageCursor& after, int limit) = 0;
  // Inserts or (with an id) updates a plan; its `contacts` are ignored.
  // ALREADY_EXISTS if the intensive has a plan.
  virtual absl::StatusOr<v1::FollowUpPlan> SavePlan(v1::FollowUpPlan plan,
                                                    absl::Time now) = 0;
  // ACTIVE while a contact is open, else COMPLETED (CANCELLED stays).
  virtual absl::Status RefreshPlanStatus(int64_t plan_id, absl::Time now) = 0;

  // ---- Contacts. ----
  virtual absl::StatusOr<ContactRow> GetContact(int64_t id) = 0;
  virtual absl::StatusOr<std::vector<ContactRow>> PlanContacts(
      int64_t plan_id) = 0;
  virtual absl::StatusOr<Page<v1::FollowUpContact>> ListContacts(
      const ContactFilter& filter, const common::PageCursor& after,
      int limit) = 0;
  // Inserts (no id) or updates a contact, bumps its version, stamps
  // update_time and appends it to the change log. `row` is updated.
  virtual absl::Status SaveContact(ContactRow& row, absl::Time now) = 0;
  // Removes a contact that never reached booking (a refused rebook).
  virtual absl::Status DeleteContact(int64_t id) = 0;
  // Ids of contacts with pending booking work, oldest first.
  virtual absl::StatusOr<std::vector<int64_t>> PendingContacts(int limit) = 0;

  // ---- The booking change stream. ----
  // The last booking revision whose effects are stored (0 at first start).
  virtual absl::StatusOr<int64_t> BookingRevision() = 0;
  virtual absl::Status SetBookingRevision(int64_t revision) = 0;
};

// The store that `options.path` (--db) names: a SQLite file today. This is
// the one place a `postgresql://` URL would branch to its backend; until
// then any URL is INVALID_ARGUMENT naming --db. On first open the default
// template is inserted, stamped `now`.
absl::StatusOr<std::unique_ptr<FollowUpStore>> OpenFollowUpStore(
    const common::DatabaseOptions& options, absl::Time now);

}  // namespace tandem::followup

#endif  // TANDEM_SERVICES_FOLLOWUP_FOLLOWUP_STORE_H_
