// Reminder jobs: "the reminders of this subject need (re)planning", written
// in the same transaction as the change that causes it (a contact booked,
// moved or closed; an intensive booked, moved or cancelled) and done by the
// ReminderWorker afterwards, which needs booking's data about the couple
// (consent, preferred channel, first name) and so cannot run inside that
// transaction. A crash in between loses nothing: the job is still there.
//
// One row per subject: a newer request replaces an older one (its version
// grows), so a booking changed three times in a minute is planned once.
#ifndef TANDEM_SERVICES_FOLLOWUP_REMINDER_JOBS_H_
#define TANDEM_SERVICES_FOLLOWUP_REMINDER_JOBS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/sqlite.h"
#include "tandem/followup/v1/followup.pb.h"

namespace tandem::followup {

extern const absl::string_view kReminderJobsSchemaSql;

struct ReminderJob {
  std::string subject_ref;  // "in-4" or "fc-12"
  tandem::followup::v1::ReminderEvent event =
      tandem::followup::v1::REMINDER_EVENT_UNSPECIFIED;
  std::string couple_id;
  // When the subject now takes place; unset: nothing to remind of any more
  // (cancelled, closed, not booked).
  std::optional<absl::Time> event_time;
  bool phone_call = false;  // a follow-up call rather than a visit
  int64_t version = 0;      // set by the store
};

// THERAPIST_CALLS_DUE jobs are per therapist and clinic-local day: their
// subject_ref is CallsDueJobSubject() ("th-5/2027-03-28"), couple_id and
// event_time are unused (the worker counts the day's calls itself), and the
// outbox reminders they make have the day "2027-03-28" as subject_ref.
std::string CallsDueJobSubject(absl::string_view therapist_id,
                               absl::CivilDay day);
// The inverse; false for any other subject.
bool ParseCallsDueJobSubject(absl::string_view subject,
                             std::string* therapist_id, absl::CivilDay* day);

// Where the jobs are kept: part of the follow-up store
// (FollowUpStore::reminder_jobs()), written and read in its transactions.
class ReminderJobs {
 public:
  virtual ~ReminderJobs() = default;

  // In the caller's transaction: records (or replaces) the job of
  // job.subject_ref.
  virtual absl::Status Request(const ReminderJob& job) = 0;
  // Up to `limit` jobs, oldest request first.
  virtual absl::StatusOr<std::vector<ReminderJob>> Pending(int limit) = 0;
  // Removes the job if it was not replaced since it was read; returns
  // whether it was (false: a newer request is waiting and will be done
  // next).
  virtual absl::StatusOr<bool> Finish(const ReminderJob& job) = 0;
};

// ReminderJobs in the follow-up store's SQLite database (the table of
// kReminderJobsSchemaSql), over the functions below.
class SqliteReminderJobs final : public ReminderJobs {
 public:
  explicit SqliteReminderJobs(common::Database& db) : db_(db) {}
  absl::Status Request(const ReminderJob& job) override;
  absl::StatusOr<std::vector<ReminderJob>> Pending(int limit) override;
  absl::StatusOr<bool> Finish(const ReminderJob& job) override;

 private:
  common::Database& db_;
};

// The SQLite statements of SqliteReminderJobs, on the caller's Database.
// In the caller's transaction: records (or replaces) the job of
// job.subject_ref.
absl::Status RequestReminders(common::Database& db, const ReminderJob& job);
// Up to `limit` jobs, oldest request first.
absl::StatusOr<std::vector<ReminderJob>> PendingReminderJobs(
    common::Database& db, int limit);
// Removes the job if it was not replaced since it was read; returns whether
// it was (false: a newer request is waiting and will be done next).
absl::StatusOr<bool> FinishReminderJob(common::Database& db,
                                       const ReminderJob& job);

}  // namespace tandem::followup

#endif  // TANDEM_SERVICES_FOLLOWUP_REMINDER_JOBS_H_
