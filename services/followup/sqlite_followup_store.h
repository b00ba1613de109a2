// FollowUpStore on SQLite, the embedded default (see followup_store.h for
// the contract of each method). All of the follow-up service's SQL for plan
// templates, plans, contacts and the booking revision; the reminder parts
// are the SQLite classes of reminder_settings.h, reminder_quota.h,
// reminder_jobs.h and delivery/outbox.h over the same connection.
//
// Resources are stored as serialized protos (the `body` column, id cleared)
// beside the columns queries filter or order on. A plan's body holds no
// contacts; they are rows of their own and attached when a plan is read.
// Besides its proto, a contact row remembers what booking it needs: its
// length, its booking window, its calendar offset (to re-anchor it when the
// intensive moves) and the work still owed to booking (`pending`).
#ifndef TANDEM_SERVICES_FOLLOWUP_SQLITE_FOLLOWUP_STORE_H_
#define TANDEM_SERVICES_FOLLOWUP_SQLITE_FOLLOWUP_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/sqlite.h"
#include "services/common/sqlite_store_backend.h"
#include "services/followup/delivery/outbox.h"
#include "services/followup/followup_store.h"
#include "services/followup/reminder_jobs.h"
#include "services/followup/reminder_quota.h"
#include "services/followup/reminder_settings.h"

namespace tandem::followup {

class SqliteFollowUpStore final : public FollowUpStore {
 public:
  // Opens the file, applies the migrations and, on first open, inserts the
  // default template stamped `now`.
  static absl::StatusOr<std::unique_ptr<SqliteFollowUpStore>> Open(
      const common::DatabaseOptions& options, absl::Time now);

  common::StoreBackend& backend() override { return *backend_; }
  ReminderSettings& reminder_settings() override { return reminder_settings_; }
  ReminderCharges& reminder_charges() override { return reminder_charges_; }
  ReminderJobs& reminder_jobs() override { return reminder_jobs_; }
  delivery::Outbox& outbox() override { return outbox_; }

  // FollowUpStore:
  absl::StatusOr<v1::FollowUpPlanTemplate> GetTemplate(int64_t id) override;
  absl::StatusOr<v1::FollowUpPlanTemplate> GetDefaultTemplate() override;
  absl::StatusOr<Page<v1::FollowUpPlanTemplate>> ListTemplates(
      const common::PageCursor& after, int limit) override;
  absl::StatusOr<v1::FollowUpPlanTemplate> SaveTemplate(
      v1::FollowUpPlanTemplate t, absl::Time now) override;
  absl::Status DeleteTemplate(int64_t id) override;

  absl::StatusOr<v1::FollowUpPlan> GetPlan(int64_t id) override;
  absl::StatusOr<std::optional<v1::FollowUpPlan>> FindPlanByIntensive(
      const std::string& intensive_id) override;
  absl::StatusOr<Page<v1::FollowUpPlan>> ListPlans(
      const PlanFilter& filter, const common::PageCursor& after,
      int limit) override;
  absl::StatusOr<v1::FollowUpPlan> SavePlan(v1::FollowUpPlan plan,
                                            absl::Time now) override;
  absl::Status RefreshPlanStatus(int64_t plan_id, absl::Time now) override;

  absl::StatusOr<ContactRow> GetContact(int64_t id) override;
  absl::StatusOr<std::vector<ContactRow>> PlanContacts(
      int64_t plan_id) override;
  absl::StatusOr<Page<v1::FollowUpContact>> ListContacts(
      const ContactFilter& filter, const common::PageCursor& after,
      int limit) override;
  absl::Status SaveContact(ContactRow& row, absl::Time now) override;
  absl::Status DeleteContact(int64_t id) override;
  absl::StatusOr<std::vector<int64_t>> PendingContacts(int limit) override;

  absl::StatusOr<int64_t> BookingRevision() override;
  absl::Status SetBookingRevision(int64_t revision) override;

 private:
  explicit SqliteFollowUpStore(
      std::unique_ptr<common::SqliteStoreBackend> backend);
  absl::Status InsertDefaultTemplate(absl::Time now);
  absl::Status AttachContacts(v1::FollowUpPlan& plan);

  const std::unique_ptr<common::SqliteStoreBackend> backend_;
  common::Database* const db_;  // backend_'s connection
  // Over db_:
  SqliteReminderSettings reminder_settings_;
  SqliteReminderCharges reminder_charges_;
  SqliteReminderJobs reminder_jobs_;
  delivery::SqliteOutbox outbox_;
};

}  // namespace tandem::followup

#endif  // TANDEM_SERVICES_FOLLOWUP_SQLITE_FOLLOWUP_STORE_H_
