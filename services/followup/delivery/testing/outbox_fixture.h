// Test helper: an outbox database in a temp dir and reminders to put in it.
#ifndef TANDEM_SERVICES_FOLLOWUP_DELIVERY_TESTING_OUTBOX_FIXTURE_H_
#define TANDEM_SERVICES_FOLLOWUP_DELIVERY_TESTING_OUTBOX_FIXTURE_H_

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/common/sqlite.h"
#include "services/followup/delivery/outbox.h"

namespace tandem::followup::delivery::testing {

inline constexpr common::Migration kOutboxMigrations[] = {
    {1, kOutboxSchemaSql}};

// Opens (creating) the outbox database at `path`; synchronous NORMAL unless
// `full_sync`.
inline std::unique_ptr<common::Database> OpenOutboxDb(const std::string& path,
                                                      bool full_sync = false) {
  common::DatabaseOptions options{path};
  options.synchronous =
      full_sync ? common::Synchronous::kFull : common::Synchronous::kNormal;
  auto db = common::Database::Open(options, kOutboxMigrations);
  return db.ok() ? *std::move(db) : nullptr;
}

// A follow-up contact reminder for partner A of `couple`, due at `due`,
// with a 24 h lead time and a neutral text.
inline NewReminder ContactReminder(
    const std::string& couple, const std::string& subject, absl::Time due,
    v1::ReminderChannel channel = v1::REMINDER_CHANNEL_EMAIL) {
  NewReminder r;
  r.recipient.mutable_partner()->set_couple_id(couple);
  r.recipient.mutable_partner()->set_partner(v1::PARTNER_ROLE_A);
  r.channel = channel;
  r.event = v1::REMINDER_EVENT_FOLLOW_UP_CONTACT;
  r.subject_ref = subject;
  r.lead_time = absl::Hours(24);
  r.event_time = due + absl::Hours(24);
  r.time_zone = "Europe/Berlin";
  r.due_time = due;
  r.message.subject = absl::StrCat("Reminder ", subject);
  r.message.body = absl::StrCat("Hello, see you at ", subject, ".\n");
  return r;
}

}  // namespace tandem::followup::delivery::testing

#endif  // TANDEM_SERVICES_FOLLOWUP_DELIVERY_TESTING_OUTBOX_FIXTURE_H_
