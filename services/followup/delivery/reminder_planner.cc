#include "services/followup/delivery/reminder_planner.h"

#include <algorithm>

#include "services/followup/delivery/quiet_hours.h"

namespace tandem::followup::delivery {

namespace {

bool Contains(const std::vector<v1::ReminderChannel>& list,
              v1::ReminderChannel channel) {
  return std::find(list.begin(), list.end(), channel) != list.end();
}

// Why `channel` cannot reach `person`, or UNSPECIFIED if it can.
v1::SuppressReason Obstacle(const ReminderRecipient& person,
                            v1::ReminderChannel channel) {
  if (Contains(person.opted_out, channel)) return v1::SUPPRESS_REASON_OPTED_OUT;
  const bool therapist = person.ref.has_therapist_id();
  switch (channel) {
    case v1::REMINDER_CHANNEL_EMAIL:
      if (!therapist && !person.email_consent)
        return v1::SUPPRESS_REASON_NO_CONSENT;
      return person.has_email ? v1::SUPPRESS_REASON_UNSPECIFIED
                              : v1::SUPPRESS_REASON_NO_ADDRESS;
    case v1::REMINDER_CHANNEL_SMS:
      if (!therapist && !person.sms_consent)
        return v1::SUPPRESS_REASON_NO_CONSENT;
      return person.has_phone ? v1::SUPPRESS_REASON_UNSPECIFIED
                              : v1::SUPPRESS_REASON_NO_ADDRESS;
    case v1::REMINDER_CHANNEL_FILE:
      return v1::SUPPRESS_REASON_UNSPECIFIED;
    default:
      return v1::SUPPRESS_REASON_NO_CONSENT;
  }
}

// The most telling of two reasons: an explicit opt-out first, then a
// consented channel missing its address (the one thing to fix).
v1::SuppressReason Stronger(v1::SuppressReason a, v1::SuppressReason b) {
  auto rank = [](v1::SuppressReason r) {
    switch (r) {
      case v1::SUPPRESS_REASON_OPTED_OUT:
        return 3;
      case v1::SUPPRESS_REASON_NO_ADDRESS:
        return 2;
      case v1::SUPPRESS_REASON_NO_CONSENT:
        return 1;
      default:
        return 0;
    }
  };
  return rank(a) >= rank(b) ? a : b;
}

struct ChannelChoice {
  v1::ReminderChannel channel = v1::REMINDER_CHANNEL_UNSPECIFIED;
  v1::SuppressReason reason = v1::SUPPRESS_REASON_UNSPECIFIED;
};

ChannelChoice ChooseChannel(const v1::ReminderRule& rule,
                            const ReminderRecipient& person) {
  std::vector<v1::ReminderChannel> allowed;
  for (int c : rule.channels()) {
    allowed.push_back(static_cast<v1::ReminderChannel>(c));
  }
  ChannelChoice choice;
  choice.reason = v1::SUPPRESS_REASON_NO_CONSENT;  // no channel at all
  if (person.preferred != v1::REMINDER_CHANNEL_UNSPECIFIED &&
      Contains(allowed, person.preferred) &&
      Obstacle(person, person.preferred) == v1::SUPPRESS_REASON_UNSPECIFIED) {
    return {person.preferred, v1::SUPPRESS_REASON_UNSPECIFIED};
  }
  v1::SuppressReason strongest = v1::SUPPRESS_REASON_UNSPECIFIED;
  for (v1::ReminderChannel channel : allowed) {
    const v1::SuppressReason obstacle = Obstacle(person, channel);
    if (obstacle == v1::SUPPRESS_REASON_UNSPECIFIED) {
      return {channel, v1::SUPPRESS_REASON_UNSPECIFIED};
    }
    strongest = Stronger(strongest, obstacle);
  }
  if (strongest != v1::SUPPRESS_REASON_UNSPECIFIED) choice.reason = strongest;
  return choice;
}

absl::Duration ToDuration(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

}  // namespace

SendWindow PolicyWindow(const v1::ReminderPolicy& policy) {
  // Stored policies always carry both ends (see DefaultReminderPolicy); an
  // unset start is midnight (proto3 cannot tell 00:00 from unset) and an
  // unset end the end of the day.
  const int start = policy.send_window_start().hours() * 60 +
                    policy.send_window_start().minutes();
  int end = policy.send_window_end().hours() * 60 +
            policy.send_window_end().minutes();
  if (end == 0) end = 24 * 60;
  absl::StatusOr<SendWindow> window = SendWindow::Make(start, end);
  return window.ok() ? *window : SendWindow();
}

absl::Duration PolicyDebounce(const v1::ReminderPolicy& policy) {
  return ToDuration(policy.debounce());
}

std::vector<PlannedReminder> PlanReminders(const v1::ReminderPolicy& policy,
                                           const ReminderOccasion& occasion,
                                           absl::Time now,
                                           const PlannerOptions& options) {
  std::vector<PlannedReminder> out;
  const v1::ReminderRule* rule = nullptr;
  for (const v1::ReminderRule& r : policy.rules()) {
    if (r.event() == occasion.event && r.enabled()) rule = &r;
  }
  if (rule == nullptr) return out;
  const SendWindow window = PolicyWindow(policy);
  const absl::Time earliest = now + PolicyDebounce(policy);

  std::vector<absl::Duration> leads;
  for (const google::protobuf::Duration& d : rule->lead_times()) {
    leads.push_back(ToDuration(d));
  }
  std::sort(leads.begin(), leads.end());  // shortest first

  for (const ReminderRecipient& person : occasion.recipients) {
    absl::TimeZone zone = absl::UTCTimeZone();
    absl::LoadTimeZone(person.time_zone, &zone);  // unknown: UTC
    const ChannelChoice choice = ChooseChannel(*rule, person);
    for (size_t i = 0; i < leads.size(); ++i) {
      PlannedReminder planned;
      ReminderSpec& spec = planned.spec;
      spec.recipient = person.ref;
      spec.channel = choice.channel;
      spec.event = occasion.event;
      spec.subject_ref = occasion.subject_ref;
      spec.lead_time = leads[i];
      spec.event_time = occasion.event_time;
      spec.time_zone = person.time_zone;
      const absl::Time ideal = occasion.event_time - leads[i];
      spec.due_time = NextSendTime(std::max(ideal, earliest), zone, window);
      planned.suppress_reason = choice.reason;
      if (planned.suppress_reason == v1::SUPPRESS_REASON_UNSPECIFIED) {
        // A passed lead time gives way to a shorter one still ahead; the
        // shortest is sent late rather than never, if still useful.
        const bool shorter_ahead =
            i > 0 && occasion.event_time - leads[0] >= earliest;
        if ((ideal < earliest && shorter_ahead) ||
            IsTooLate(spec.due_time, occasion.event_time,
                      options.too_late_margin)) {
          planned.suppress_reason = v1::SUPPRESS_REASON_TOO_LATE;
        }
      }
      out.push_back(std::move(planned));
    }
  }
  return out;
}

}  // namespace tandem::followup::delivery
