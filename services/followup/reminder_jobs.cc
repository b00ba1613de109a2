#include "services/followup/reminder_jobs.h"

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"

namespace tandem::followup {

const absl::string_view kReminderJobsSchemaSql = R"sql(
CREATE TABLE reminder_jobs (
  subject_ref TEXT PRIMARY KEY,
  event       INTEGER NOT NULL,
  couple_id   TEXT NOT NULL,
  event_time  INTEGER,           -- unix microseconds; NULL: nothing to remind
  phone_call  INTEGER NOT NULL,
  version     INTEGER NOT NULL,  -- global request counter: also the order
  UNIQUE (version)
) WITHOUT ROWID;
)sql";

namespace {

using common::Statement;

constexpr absl::string_view kUpsert =
    "INSERT INTO reminder_jobs(subject_ref, event, couple_id, event_time, "
    "phone_call, version) VALUES (?1, ?2, ?3, ?4, ?5, "
    "(SELECT coalesce(max(version), 0) + 1 FROM reminder_jobs)) "
    "ON CONFLICT(subject_ref) DO UPDATE SET event = excluded.event, "
    "couple_id = excluded.couple_id, event_time = excluded.event_time, "
    "phone_call = excluded.phone_call, version = excluded.version";
constexpr absl::string_view kPending =
    "SELECT subject_ref, event, couple_id, event_time, phone_call, version "
    "FROM reminder_jobs ORDER BY version LIMIT ?";
constexpr absl::string_view kFinish =
    "DELETE FROM reminder_jobs WHERE subject_ref = ? AND version = ?";

}  // namespace

std::string CallsDueJobSubject(absl::string_view therapist_id,
                               absl::CivilDay day) {
  return absl::StrCat(therapist_id, "/", absl::FormatCivilTime(day));
}

bool ParseCallsDueJobSubject(absl::string_view subject,
                             std::string* therapist_id, absl::CivilDay* day) {
  const size_t slash = subject.find('/');
  if (slash == absl::string_view::npos || slash == 0) return false;
  if (!absl::ParseCivilTime(subject.substr(slash + 1), day)) return false;
  *therapist_id = std::string(subject.substr(0, slash));
  return true;
}

absl::Status RequestReminders(common::Database& db, const ReminderJob& job) {
  ASSIGN_OR_RETURN(Statement upsert, db.Prepare(kUpsert));
  std::optional<int64_t> at;
  if (job.event_time) at = absl::ToUnixMicros(*job.event_time);
  upsert.Bind(1, job.subject_ref)
      .Bind(2, static_cast<int64_t>(job.event))
      .Bind(3, job.couple_id)
      .Bind(4, at)
      .Bind(5, job.phone_call ? 1 : 0);
  return upsert.Run();
}

absl::StatusOr<std::vector<ReminderJob>> PendingReminderJobs(
    common::Database& db, int limit) {
  ASSIGN_OR_RETURN(Statement select, db.Prepare(kPending));
  select.Bind(1, limit);
  std::vector<ReminderJob> jobs;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return jobs;
    ReminderJob job;
    job.subject_ref = select.ColumnText(0);
    job.event = static_cast<tandem::followup::v1::ReminderEvent>(select.ColumnInt64(1));
    job.couple_id = select.ColumnText(2);
    if (!select.ColumnIsNull(3)) {
      job.event_time = absl::FromUnixMicros(select.ColumnInt64(3));
    }
    job.phone_call = select.ColumnInt64(4) != 0;
    job.version = select.ColumnInt64(5);
    jobs.push_back(std::move(job));
  }
}

absl::StatusOr<bool> FinishReminderJob(common::Database& db,
                                       const ReminderJob& job) {
  ASSIGN_OR_RETURN(Statement remove, db.Prepare(kFinish));
  remove.Bind(1, job.subject_ref).Bind(2, job.version);
  RETURN_IF_ERROR(remove.Run());
  return db.Changes() == 1;
}

absl::Status SqliteReminderJobs::Request(const ReminderJob& job) {
  return RequestReminders(db_, job);
}

absl::StatusOr<std::vector<ReminderJob>> SqliteReminderJobs::Pending(
    int limit) {
  return PendingReminderJobs(db_, limit);
}

absl::StatusOr<bool> SqliteReminderJobs::Finish(const ReminderJob& job) {
  return FinishReminderJob(db_, job);
}

}  // namespace tandem::followup
