// A per-account limit on reminders, so that one account cannot run up the
// SMS bill: each account may cause at most `limit` reminders in any 24 hours.
//
// Reminders are planned by the ReminderWorker after the change that causes
// them committed (reminder_jobs.h), and how many go out depends on the
// couple (one partner or two, their consent), which only booking knows. So
// they are counted where they are caused, in the transaction of that
// change, by the policy in force then: scheduling one follow-up contact
// counts RemindersPerContact() reminders. What causes them:
//   - CreateFollowUpPlan: every contact of the new plan (booked afterwards by
//     the booking follower on the coordinator's behalf);
//   - RescheduleContact, RebookContact: the contact booked at its new time;
//   - the service itself (kSystemActor): plans made and moved when booking's
//     intensives change. Recorded, never refused.
// Cancelling or closing a contact plans nothing (its reminders are
// superseded). Programme-start reminders follow booking's intensives alone
// (system), and therapists' calls-due reminders go only to the file channel
// (therapists have no phone number here): neither is counted.
//
// Each charge is a row (account, plan or contact id, count, time): the
// attribution of reminders to accounts, kept for a week (kChargeRetention).
//
// Example, inside the write's transaction:
//   ReminderQuota quota(store->reminder_charges(), limit);
//   RETURN_IF_ERROR(quota.Charge(caller.subject, contact_id, n, now));
#ifndef TANDEM_SERVICES_FOLLOWUP_REMINDER_QUOTA_H_
#define TANDEM_SERVICES_FOLLOWUP_REMINDER_QUOTA_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/sqlite.h"
#include "tandem/followup/v1/followup.pb.h"

namespace tandem::followup {

// The table of charges (one numbered migration of the follow-up store).
extern const absl::string_view kReminderQuotaSchemaSql;

// The account of the service's own work; never limited.
inline constexpr absl::string_view kSystemActor = "system";

// The limit applies to any 24 hours ending now.
inline constexpr absl::Duration kQuotaWindow = absl::Hours(24);
// How long charges are kept (they say who caused which reminders).
inline constexpr absl::Duration kChargeRetention = absl::Hours(24 * 7);

// Reminders one scheduled follow-up contact gets under `policy`: one per
// lead time of the enabled FOLLOW_UP_CONTACT rule for each partner, counted
// as two partners (the most a couple has; an individual client's contact
// counts the same). 0 when the rule is off.
int RemindersPerContact(const tandem::followup::v1::ReminderPolicy& policy);

// Where the charges are kept: part of the follow-up store
// (FollowUpStore::reminder_charges()), written in its transactions.
class ReminderCharges {
 public:
  virtual ~ReminderCharges() = default;

  // The reminders charged to `actor` after `since`.
  virtual absl::StatusOr<int64_t> ChargedSince(absl::string_view actor,
                                               absl::Time since) = 0;
  // Forgets the charges at or before `cutoff`.
  virtual absl::Status ForgetUntil(absl::Time cutoff) = 0;
  // Adds a charge of `reminders` to `actor` for `subject_ref` at `time`.
  virtual absl::Status Add(absl::string_view actor,
                           absl::string_view subject_ref, int64_t reminders,
                           absl::Time time) = 0;
};

// ReminderCharges in the follow-up store's SQLite database (the table of
// kReminderQuotaSchemaSql).
class SqliteReminderCharges final : public ReminderCharges {
 public:
  explicit SqliteReminderCharges(common::Database& db) : db_(db) {}
  absl::StatusOr<int64_t> ChargedSince(absl::string_view actor,
                                       absl::Time since) override;
  absl::Status ForgetUntil(absl::Time cutoff) override;
  absl::Status Add(absl::string_view actor, absl::string_view subject_ref,
                   int64_t reminders, absl::Time time) override;

 private:
  common::Database& db_;
};

class ReminderQuota {
 public:
  // `limit`: reminders per account in any kQuotaWindow; 0: no limit.
  // `charges` must outlive the quota.
  ReminderQuota(ReminderCharges& charges, int limit)
      : charges_(charges), limit_(limit) {}

  // Reminders charged to `actor` in the kQuotaWindow up to `now`.
  absl::StatusOr<int64_t> Used(absl::string_view actor, absl::Time now);

  // RESOURCE_EXHAUSTED ("reminder limit reached for this account: 200 in
  // 24 h") when `reminders` more would take `actor` past the limit. Reads
  // only: for refusing a call before it asks booking for anything.
  absl::Status Check(absl::string_view actor, int64_t reminders,
                     absl::Time now);

  // In the caller's transaction: Check, then Record. kSystemActor is
  // recorded but never refused.
  absl::Status Charge(absl::string_view actor, absl::string_view subject_ref,
                      int64_t reminders, absl::Time now);

  // In the caller's transaction: records `reminders` against `actor` and
  // `subject_ref` (the plan or contact) without checking, for a change that
  // was checked before it asked booking for anything and can no longer be
  // refused (see FollowUpHandler::RescheduleContact). Nothing for 0
  // reminders. Forgets charges older than kChargeRetention.
  absl::Status Record(absl::string_view actor, absl::string_view subject_ref,
                      int64_t reminders, absl::Time now);

 private:
  ReminderCharges& charges_;
  const int limit_;
};

}  // namespace tandem::followup

#endif  // TANDEM_SERVICES_FOLLOWUP_REMINDER_QUOTA_H_
