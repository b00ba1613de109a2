#include "services/followup/reminder_quota.h"

#include <spdlog/spdlog.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"

namespace tandem::followup {

const absl::string_view kReminderQuotaSchemaSql = R"sql(
CREATE TABLE reminder_charges (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  actor       TEXT NOT NULL,     -- Caller::subject, or 'system'
  subject_ref TEXT NOT NULL,     -- the plan or contact ("fp-3", "fc-12")
  reminders   INTEGER NOT NULL,
  charge_time INTEGER NOT NULL   -- unix microseconds
);
CREATE INDEX reminder_charges_by_actor ON reminder_charges(actor, charge_time);
CREATE INDEX reminder_charges_by_time ON reminder_charges(charge_time);
)sql";

namespace {

namespace v1 = ::tandem::followup::v1;
using common::Statement;

// Partners of a couple: the most recipients a contact's reminders have.
constexpr int kMaxPartners = 2;

constexpr absl::string_view kSumCharges =
    "SELECT coalesce(sum(reminders), 0) FROM reminder_charges "
    "WHERE actor = ? AND charge_time > ?";
constexpr absl::string_view kInsertCharge =
    "INSERT INTO reminder_charges(actor, subject_ref, reminders, charge_time) "
    "VALUES (?, ?, ?, ?)";
constexpr absl::string_view kForgetCharges =
    "DELETE FROM reminder_charges WHERE charge_time <= ?";

}  // namespace

int RemindersPerContact(const v1::ReminderPolicy& policy) {
  for (const v1::ReminderRule& rule : policy.rules()) {
    if (rule.event() == v1::REMINDER_EVENT_FOLLOW_UP_CONTACT &&
        rule.enabled()) {
      return rule.lead_times_size() * kMaxPartners;
    }
  }
  return 0;
}

absl::StatusOr<int64_t> SqliteReminderCharges::ChargedSince(
    absl::string_view actor, absl::Time since) {
  ASSIGN_OR_RETURN(Statement sum, db_.Prepare(kSumCharges));
  sum.Bind(1, actor).Bind(2, absl::ToUnixMicros(since));
  ASSIGN_OR_RETURN(bool row, sum.Step());
  return row ? sum.ColumnInt64(0) : 0;
}

absl::Status SqliteReminderCharges::ForgetUntil(absl::Time cutoff) {
  ASSIGN_OR_RETURN(Statement forget, db_.Prepare(kForgetCharges));
  forget.Bind(1, absl::ToUnixMicros(cutoff));
  return forget.Run();
}

absl::Status SqliteReminderCharges::Add(absl::string_view actor,
                                        absl::string_view subject_ref,
                                        int64_t reminders, absl::Time time) {
  ASSIGN_OR_RETURN(Statement insert, db_.Prepare(kInsertCharge));
  insert.Bind(1, actor)
      .Bind(2, subject_ref)
      .Bind(3, reminders)
      .Bind(4, absl::ToUnixMicros(time));
  return insert.Run();
}

absl::StatusOr<int64_t> ReminderQuota::Used(absl::string_view actor,
                                            absl::Time now) {
  return charges_.ChargedSince(actor, now - kQuotaWindow);
}

absl::Status ReminderQuota::Check(absl::string_view actor, int64_t reminders,
                                  absl::Time now) {
  if (limit_ <= 0 || reminders <= 0 || actor == kSystemActor) {
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(int64_t used, Used(actor, now));
  if (used + reminders <= limit_) return absl::OkStatus();
  // The subject is a stable account id, never a name.
  spdlog::warn(
      R"("event":"reminder_limit_reached","actor":"{}","used":{},"asked":{})",
      std::string(actor), used, reminders);
  return absl::ResourceExhaustedError(absl::StrCat(
      "reminder limit reached for this account: ", limit_, " in 24 h"));
}

absl::Status ReminderQuota::Charge(absl::string_view actor,
                                   absl::string_view subject_ref,
                                   int64_t reminders, absl::Time now) {
  RETURN_IF_ERROR(Check(actor, reminders, now));
  return Record(actor, subject_ref, reminders, now);
}

absl::Status ReminderQuota::Record(absl::string_view actor,
                                   absl::string_view subject_ref,
                                   int64_t reminders, absl::Time now) {
  if (reminders <= 0) return absl::OkStatus();
  RETURN_IF_ERROR(charges_.ForgetUntil(now - kChargeRetention));
  return charges_.Add(actor, subject_ref, reminders, now);
}

}  // namespace tandem::followup
