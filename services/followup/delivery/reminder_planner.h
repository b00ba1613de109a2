// Which reminders an event gets: for each recipient and each lead time of
// the clinic's rule, the channel (or why none), and when to send it.
//
// Pure: no storage, no clock of its own. The follow-up service calls it when
// a programme is booked or a contact is scheduled (and again when they move,
// after superseding what was queued), and enqueues the result in the same
// transaction (outbox.h); texts come from message.h.
//
// Channel choice (ReminderRule in followup.proto): a client's preferred
// channel if the rule allows it, else the first allowed channel the person
// consented to and did not opt out of. The file channel needs neither consent
// nor an address (it never leaves the clinic). No usable channel: one
// SUPPRESSED reminder per lead time with the reason (OPTED_OUT beats
// NO_ADDRESS of a consented channel beats NO_CONSENT), so coordinators see
// it.
//
// Timing: due = event - lead time, moved out of quiet hours (in the
// recipient's zone), and never earlier than now + debounce, so a booking
// undone within the debounce sends nothing. A lead time whose due time has
// passed is SUPPRESSED (TOO_LATE) when a shorter lead time of the same rule
// is still ahead, and sent at the earliest allowed time otherwise, unless
// the event is then nearer than `too_late_margin`.
//
// Example:
//   ReminderOccasion occasion{v1::REMINDER_EVENT_FOLLOW_UP_CONTACT, "fc-12",
//                             contact_start, {partner_a, partner_b}};
//   for (const PlannedReminder& r : PlanReminders(policy, occasion, now)) {
//     NewReminder reminder;
//     static_cast<ReminderSpec&>(reminder) = r.spec;
//     reminder.suppress_reason = r.suppress_reason;
//     ...render unless suppressed, then outbox.Enqueue(reminder, now)
//   }
#ifndef TANDEM_SERVICES_FOLLOWUP_DELIVERY_REMINDER_PLANNER_H_
#define TANDEM_SERVICES_FOLLOWUP_DELIVERY_REMINDER_PLANNER_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/followup/delivery/outbox.h"
#include "services/followup/delivery/quiet_hours.h"
#include "tandem/followup/v1/followup.pb.h"

namespace tandem::followup::delivery {

// What the planner needs to know about one person (nothing that identifies
// them beyond the reference: addresses are looked up at send time).
struct ReminderRecipient {
  v1::RecipientRef ref;
  std::string time_zone;  // IANA; the clinic's when the person has none
  // The person's preferred channel; UNSPECIFIED when none (therapists).
  v1::ReminderChannel preferred = v1::REMINDER_CHANNEL_UNSPECIFIED;
  bool email_consent = false;
  bool sms_consent = false;
  bool has_email = false;
  bool has_phone = false;
  std::vector<v1::ReminderChannel> opted_out;
};

struct ReminderOccasion {
  v1::ReminderEvent event = v1::REMINDER_EVENT_UNSPECIFIED;
  std::string subject_ref;  // "in-4", "fc-12", or a day "2027-03-28"
  absl::Time event_time;
  std::vector<ReminderRecipient> recipients;
};

struct PlannedReminder {
  ReminderSpec spec;
  // UNSPECIFIED: to be sent; otherwise recorded as SUPPRESSED with it.
  v1::SuppressReason suppress_reason = v1::SUPPRESS_REASON_UNSPECIFIED;
};

struct PlannerOptions {
  // The reminder must reach the person at least this long before the event.
  absl::Duration too_late_margin = absl::Hours(1);
};

// The policy's send window (an unset start is midnight, an unset end the
// end of the day; a window that makes no sense falls back to 08:00-21:00)
// and debounce (unset: none). The service's default policy sets both.
SendWindow PolicyWindow(const v1::ReminderPolicy& policy);
absl::Duration PolicyDebounce(const v1::ReminderPolicy& policy);

// Nothing when the policy has no enabled rule for the event. Recipients whose
// time zone is unknown to the system get the UTC window (and a log line is
// the caller's business).
std::vector<PlannedReminder> PlanReminders(const v1::ReminderPolicy& policy,
                                           const ReminderOccasion& occasion,
                                           absl::Time now,
                                           const PlannerOptions& options = {});

}  // namespace tandem::followup::delivery

#endif  // TANDEM_SERVICES_FOLLOWUP_DELIVERY_REMINDER_PLANNER_H_
