// Turns reminder jobs (reminder_jobs.h) into outbox entries, and tells the
// dispatcher where each reminder goes when it is sent.
//
// For each job, outside the store's lock: the couple from booking (consent,
// preferred channel, first names, time zones) and the clinic's name and
// phone from the directory. Then, in one transaction: the subject's pending
// reminders for another time are superseded, the policy's reminders for the
// current time are planned (reminder_planner.h), rendered (message.h) and
// enqueued (an existing one is kept: the same key), and the job is done.
//
// Addresses are looked up again at send time (AddressFor): a partner who
// changed their number or opted out since is honoured.
#ifndef TANDEM_SERVICES_FOLLOWUP_REMINDER_WORKER_H_
#define TANDEM_SERVICES_FOLLOWUP_REMINDER_WORKER_H_

#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "services/common/guarded_store.h"
#include "services/followup/booking_client.h"
#include "services/followup/delivery/dispatcher.h"
#include "services/followup/followup_store.h"
#include "services/followup/reminder_jobs.h"

namespace tandem::followup {

// A therapist's scheduled follow-up calls of one day.
struct CallsOfDay {
  int count = 0;
  absl::Time first;  // start of the earliest; meaningless when count == 0
};
// Counts the SCHEDULED phone calls among `contacts` (others are ignored).
CallsOfDay CountCalls(
    absl::Span<const tandem::followup::v1::FollowUpContact> contacts);

class ReminderWorker {
 public:
  // Neither pointer is owned. `enqueued` runs after a transaction that
  // queued reminders (e.g. to wake the dispatcher).
  ReminderWorker(common::GuardedStore<FollowUpStore>* store,
                 BookingClient* client, std::function<void()> enqueued);

  // Plans every pending job. Returns the first error (the job stays and is
  // tried again next time).
  absl::Status RunOnce();

  // The dispatcher's merge_renderer: one text for a partner's reminders of
  // one local day (the first is the one being sent; all have the same
  // recipient, channel and zone), rendered afresh from their specs with the
  // partner's current first name, each event listed once, visits and calls
  // told apart. NOT_FOUND/UNAVAILABLE when booking cannot tell now.
  absl::StatusOr<delivery::RenderedMessage> RenderMerged(
      absl::Span<const delivery::ReminderRecord> reminders);

  // The dispatcher's AddressLookup.
  absl::StatusOr<delivery::Destination> AddressFor(
      const delivery::ReminderRecord& reminder);

 private:
  // In the caller's transaction: re-plans the THERAPIST_CALLS_DUE reminder
  // of the job's therapist and day (one per lead time, its count in the
  // idempotency key), superseding only that therapist's other pending ones
  // of the day.
  absl::Status PlanCallsDue(FollowUpStore& store, const ReminderJob& job,
                            const tandem::directory::v1::ClinicSettings& clinic,
                            absl::Time now, bool& queued);

  common::GuardedStore<FollowUpStore>* const store_;
  BookingClient* const client_;
  const std::function<void()> enqueued_;
};

}  // namespace tandem::followup

#endif  // TANDEM_SERVICES_FOLLOWUP_REMINDER_WORKER_H_
