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
#include "services/common/guarded_store.h"
#include "services/followup/booking_client.h"
#include "services/followup/delivery/dispatcher.h"
#include "services/followup/followup_store.h"

namespace tandem::followup {

class ReminderWorker {
 public:
  // Neither pointer is owned. `enqueued` runs after a transaction that
  // queued reminders (e.g. to wake the dispatcher).
  ReminderWorker(common::GuardedStore<FollowUpStore>* store,
                 BookingClient* client, std::function<void()> enqueued);

  // Plans every pending job. Returns the first error (the job stays and is
  // tried again next time).
  absl::Status RunOnce();

  // The dispatcher's AddressLookup.
  absl::StatusOr<delivery::Destination> AddressFor(
      const delivery::ReminderRecord& reminder);

 private:
  common::GuardedStore<FollowUpStore>* const store_;
  BookingClient* const client_;
  const std::function<void()> enqueued_;
};

}  // namespace tandem::followup

#endif  // TANDEM_SERVICES_FOLLOWUP_REMINDER_WORKER_H_
