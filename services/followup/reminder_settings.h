// The clinic's reminder policy and people's opt-outs: the ReminderSettings
// interface (part of the follow-up store) and its SQLite implementation, with
// its tables (one numbered migration of the follow-up store, together with
// the delivery outbox) and its SQL, inside the caller's transaction, like
// delivery::Outbox.
//
// Opt-outs are keyed by delivery::RecipientKey ("cp-3/A", "th-5"); a person
// without any opt-out has no row, so ListContactPreferences shows only the
// people coordinators need to know about.
#ifndef TANDEM_SERVICES_FOLLOWUP_REMINDER_SETTINGS_H_
#define TANDEM_SERVICES_FOLLOWUP_REMINDER_SETTINGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/guarded_store.h"
#include "services/common/sqlite.h"
#include "services/followup/delivery/quiet_hours.h"
#include "tandem/followup/v1/followup.pb.h"

namespace tandem::followup {

namespace v1 = ::tandem::followup::v1;

// The policy and preferences tables.
extern const absl::string_view kReminderSettingsSchemaSql;

// What a clinic gets until it says otherwise: programme start 72 h and 24 h
// before, follow-up contacts 24 h before (e-mail or SMS, as the person
// prefers), therapists' calls due off; send window 08:00-21:00; debounce 10
// minutes.
v1::ReminderPolicy DefaultReminderPolicy();

// INVALID_ARGUMENT naming the field: one rule per event, 1-5 lead times of
// 1 hour to 30 days, at least one channel and no repeats, a window whose
// start is before its end, a debounce of 0-24 hours.
absl::Status ValidateReminderPolicy(const v1::ReminderPolicy& policy);

class FollowUpStore;

// The send window of the stored policy (the default one when reading
// fails), for the dispatcher.
delivery::SendWindow CurrentSendWindow(
    common::GuardedStore<FollowUpStore>& store);

// Where the policy and preferences are kept: part of the follow-up store
// (FollowUpStore::reminder_settings()), used inside its transactions.
class ReminderSettings {
 public:
  virtual ~ReminderSettings() = default;

  // The stored policy, or the default one.
  virtual absl::StatusOr<v1::ReminderPolicy> Policy() = 0;
  virtual absl::StatusOr<v1::ReminderPolicy> SavePolicy(
      v1::ReminderPolicy policy, absl::Time now) = 0;

  // The person's preferences (no opt-outs when none are stored).
  virtual absl::StatusOr<v1::ContactPreference> Preference(
      const v1::RecipientRef& recipient) = 0;
  // Stores `preference` (deleting the row when it opts out of nothing).
  virtual absl::StatusOr<v1::ContactPreference> SavePreference(
      v1::ContactPreference preference, absl::string_view actor,
      absl::Time now) = 0;
  // People with an opt-out, ordered by recipient key, after `after_key`;
  // `person` narrows to a couple ("cp-3") or a therapist ("th-5").
  struct PreferencePage {
    std::vector<v1::ContactPreference> items;
    std::string next_after_key;  // empty on the last page
  };
  virtual absl::StatusOr<PreferencePage> ListPreferences(
      absl::string_view person, absl::string_view after_key, int limit) = 0;
};

// ReminderSettings in the follow-up store's SQLite database (the tables of
// kReminderSettingsSchemaSql), inside the caller's transaction.
class SqliteReminderSettings final : public ReminderSettings {
 public:
  explicit SqliteReminderSettings(common::Database& db) : db_(db) {}

  absl::StatusOr<v1::ReminderPolicy> Policy() override;
  absl::StatusOr<v1::ReminderPolicy> SavePolicy(v1::ReminderPolicy policy,
                                                absl::Time now) override;
  absl::StatusOr<v1::ContactPreference> Preference(
      const v1::RecipientRef& recipient) override;
  absl::StatusOr<v1::ContactPreference> SavePreference(
      v1::ContactPreference preference, absl::string_view actor,
      absl::Time now) override;
  absl::StatusOr<PreferencePage> ListPreferences(absl::string_view person,
                                                 absl::string_view after_key,
                                                 int limit) override;

 private:
  common::Database& db_;
};

}  // namespace tandem::followup

#endif  // TANDEM_SERVICES_FOLLOWUP_REMINDER_SETTINGS_H_
