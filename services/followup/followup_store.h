// All of the follow-up service's SQL: plan templates, plans, contacts, the
// booking revision processed so far, and the common request and change logs.
//
// Resources are stored as serialized protos (the `body` column, id cleared)
// beside the columns queries filter or order on. A plan's body holds no
// contacts; they are rows of their own and attached when a plan is read.
// Besides its proto, a contact row remembers what booking it needs: its
// length, its booking window, its calendar offset (to re-anchor it when the
// intensive moves) and the work still owed to booking (`pending`), which
// the booking follower performs after the change that caused it committed.
//
// Every contact write appends the contact, as it is after the write, to the
// change log (serialized FollowUpContact): the reminders follow it.
//
// Not thread-safe: used through common::GuardedStore. Writes run inside the
// caller's transaction.
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
#include "services/common/sqlite_store_backend.h"
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
  // Opens the file, applies the migrations and, on first open, inserts the
  // default template stamped `now`.
  static absl::StatusOr<std::unique_ptr<FollowUpStore>> Open(
      const common::DatabaseOptions& options, absl::Time now);

  common::Database& db() { return *db_; }
  // The transaction, request log and change log (for common::GuardedStore).
  common::StoreBackend& backend() { return *backend_; }

  // ---- Templates. NOT_FOUND names the template. ----
  absl::StatusOr<v1::FollowUpPlanTemplate> GetTemplate(int64_t id);
  absl::StatusOr<v1::FollowUpPlanTemplate> GetDefaultTemplate();
  absl::StatusOr<Page<v1::FollowUpPlanTemplate>> ListTemplates(
      const common::PageCursor& after, int limit);
  // Inserts or (with an id) replaces a template; a default one clears the
  // flag on the others. Returns it as stored.
  absl::StatusOr<v1::FollowUpPlanTemplate> SaveTemplate(
      v1::FollowUpPlanTemplate t, absl::Time now);
  absl::Status DeleteTemplate(int64_t id);

  // ---- Plans, read with their contacts in due order. ----
  absl::StatusOr<v1::FollowUpPlan> GetPlan(int64_t id);
  absl::StatusOr<std::optional<v1::FollowUpPlan>> FindPlanByIntensive(
      const std::string& intensive_id);
  absl::StatusOr<Page<v1::FollowUpPlan>> ListPlans(
      const PlanFilter& filter, const common::PageCursor& after, int limit);
  // Inserts or (with an id) updates a plan; its `contacts` are ignored.
  // ALREADY_EXISTS if the intensive has a plan.
  absl::StatusOr<v1::FollowUpPlan> SavePlan(v1::FollowUpPlan plan,
                                            absl::Time now);
  // ACTIVE while a contact is open, else COMPLETED (CANCELLED stays).
  absl::Status RefreshPlanStatus(int64_t plan_id, absl::Time now);

  // ---- Contacts. ----
  absl::StatusOr<ContactRow> GetContact(int64_t id);
  absl::StatusOr<std::vector<ContactRow>> PlanContacts(int64_t plan_id);
  absl::StatusOr<Page<v1::FollowUpContact>> ListContacts(
      const ContactFilter& filter, const common::PageCursor& after, int limit);
  // Inserts (no id) or updates a contact, bumps its version, stamps
  // update_time and appends it to the change log. `row` is updated.
  absl::Status SaveContact(ContactRow& row, absl::Time now);
  // Removes a contact that never reached booking (a refused rebook).
  absl::Status DeleteContact(int64_t id);
  // Ids of contacts with pending booking work, oldest first.
  absl::StatusOr<std::vector<int64_t>> PendingContacts(int limit);

  // ---- The booking change stream. ----
  // The last booking revision whose effects are stored (0 at first start).
  absl::StatusOr<int64_t> BookingRevision();
  absl::Status SetBookingRevision(int64_t revision);

 private:
  explicit FollowUpStore(std::unique_ptr<common::SqliteStoreBackend> backend)
      : backend_(std::move(backend)), db_(&backend_->db()) {}
  absl::Status InsertDefaultTemplate(absl::Time now);
  absl::Status AttachContacts(v1::FollowUpPlan& plan);

  const std::unique_ptr<common::SqliteStoreBackend> backend_;
  common::Database* const db_;  // backend_'s connection
};

}  // namespace tandem::followup

#endif  // TANDEM_SERVICES_FOLLOWUP_FOLLOWUP_STORE_H_
