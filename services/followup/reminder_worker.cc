#include "services/followup/reminder_worker.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"
#include "services/followup/delivery/message.h"
#include "services/followup/delivery/outbox.h"
#include "services/followup/delivery/reminder_planner.h"
#include "services/followup/ids.h"
#include "services/followup/reminder_jobs.h"
#include "services/followup/reminder_settings.h"
#include "spdlog/spdlog.h"

namespace tandem::followup {

namespace {

namespace bk = ::tandem::booking::v1;
namespace dir = ::tandem::directory::v1;
using delivery::Destination;

constexpr int kJobBatch = 50;

v1::ReminderChannel ChannelOf(bk::ContactChannel channel) {
  switch (channel) {
    case bk::CONTACT_CHANNEL_SMS:
      return v1::REMINDER_CHANNEL_SMS;
    case bk::CONTACT_CHANNEL_EMAIL:
      return v1::REMINDER_CHANNEL_EMAIL;
    default:
      return v1::REMINDER_CHANNEL_UNSPECIFIED;
  }
}

const bk::Partner& PartnerOf(const bk::Couple& couple, v1::PartnerRole role) {
  return role == v1::PARTNER_ROLE_B ? couple.partner_b() : couple.partner_a();
}

// What the planner may know of a partner: consent and whether an address
// exists, never the address.
delivery::ReminderRecipient Recipient(const bk::Couple& couple,
                                      v1::PartnerRole role,
                                      const std::string& clinic_zone,
                                      const v1::ContactPreference& preference) {
  const bk::Partner& p = PartnerOf(couple, role);
  delivery::ReminderRecipient r;
  r.ref.mutable_partner()->set_couple_id(couple.id());
  r.ref.mutable_partner()->set_partner(role);
  r.time_zone = p.time_zone().empty() ? clinic_zone : p.time_zone();
  r.preferred = ChannelOf(p.preferred_channel());
  r.email_consent = p.email_consent();
  r.sms_consent = p.sms_consent();
  r.has_email = !p.email().empty();
  r.has_phone = !p.phone().empty();
  for (int c : preference.opted_out_channels()) {
    r.opted_out.push_back(static_cast<v1::ReminderChannel>(c));
  }
  // A partner who wants no reminders at all has opted out of every channel.
  if (p.preferred_channel() == bk::CONTACT_CHANNEL_NONE) {
    r.opted_out = {v1::REMINDER_CHANNEL_EMAIL, v1::REMINDER_CHANNEL_SMS,
                   v1::REMINDER_CHANNEL_FILE};
  }
  return r;
}

absl::TimeZone ZoneOr(const std::string& name, absl::TimeZone fallback) {
  absl::TimeZone zone;
  return absl::LoadTimeZone(name, &zone) ? zone : fallback;
}

}  // namespace

CallsOfDay CountCalls(absl::Span<const v1::FollowUpContact> contacts) {
  CallsOfDay calls;
  for (const v1::FollowUpContact& c : contacts) {
    if (c.kind() != v1::CONTACT_KIND_PHONE_CALL ||
        c.status() != v1::CONTACT_STATUS_SCHEDULED) {
      continue;
    }
    const absl::Time start = common::FromProto(c.scheduled_start_time());
    if (calls.count == 0 || start < calls.first) calls.first = start;
    ++calls.count;
  }
  return calls;
}

absl::Status ReminderWorker::PlanCallsDue(FollowUpStore& store,
                                          const ReminderJob& job,
                                          const dir::ClinicSettings& clinic,
                                          absl::Time now, bool& queued) {
  std::string therapist_id;
  absl::CivilDay day;
  if (!ParseCallsDueJobSubject(job.subject_ref, &therapist_id, &day)) {
    return absl::OkStatus();  // not ours to plan: dropped with the job
  }
  ContactFilter filter;
  filter.therapist_id = therapist_id;
  filter.statuses = {v1::CONTACT_STATUS_SCHEDULED};
  filter.first_day = filter.last_day = day;
  std::vector<v1::FollowUpContact> contacts;
  common::PageCursor after;
  while (true) {
    ASSIGN_OR_RETURN(common::Page<v1::FollowUpContact> page,
                     store.ListContacts(filter, after, 200));
    for (v1::FollowUpContact& c : page.items) contacts.push_back(std::move(c));
    if (!page.next) break;
    after = *page.next;
  }
  const CallsOfDay calls = CountCalls(contacts);
  const std::string subject = absl::FormatCivilTime(day);
  v1::RecipientRef ref;
  ref.set_therapist_id(therapist_id);
  ASSIGN_OR_RETURN(const std::string recipient_key,
                   delivery::RecipientKey(ref));
  delivery::Outbox& outbox = store.outbox();
  std::vector<std::string> keep;
  if (calls.count > 0) {
    ReminderSettings& settings = store.reminder_settings();
    ASSIGN_OR_RETURN(v1::ReminderPolicy policy, settings.Policy());
    ASSIGN_OR_RETURN(v1::ContactPreference preference,
                     settings.Preference(ref));
    // Therapists have no address in the directory: only the file channel
    // reaches them (the planner suppresses e-mail and SMS NO_ADDRESS).
    delivery::ReminderRecipient therapist;
    therapist.ref = ref;
    therapist.time_zone = clinic.time_zone();
    for (int c : preference.opted_out_channels()) {
      therapist.opted_out.push_back(static_cast<v1::ReminderChannel>(c));
    }
    const delivery::ReminderOccasion occasion{
        v1::REMINDER_EVENT_THERAPIST_CALLS_DUE, subject, calls.first,
        {therapist}};
    for (const delivery::PlannedReminder& planned :
         delivery::PlanReminders(policy, occasion, now)) {
      delivery::NewReminder reminder;
      static_cast<delivery::ReminderSpec&>(reminder) = planned.spec;
      reminder.suppress_reason = planned.suppress_reason;
      reminder.key_variant = absl::StrCat(calls.count);
      if (reminder.suppress_reason == v1::SUPPRESS_REASON_UNSPECIFIED) {
        // No name: "Hello," and the count and time of the first call.
        delivery::MessageContext context{
            "", clinic.display_name(), clinic.contact_phone(),
            ZoneOr(clinic.time_zone(), absl::UTCTimeZone())};
        delivery::Appointment appointment;
        appointment.event = v1::REMINDER_EVENT_THERAPIST_CALLS_DUE;
        appointment.start = calls.first;
        appointment.mode = delivery::AppointmentMode::kPhoneCall;
        appointment.call_count = calls.count;
        ASSIGN_OR_RETURN(reminder.message,
                         delivery::RenderMessage(context, {appointment},
                                                 reminder.channel));
      }
      ASSIGN_OR_RETURN(delivery::EnqueueResult result,
                       outbox.Enqueue(reminder, now));
      queued |= result.created || result.revived;
      keep.push_back(result.record.idempotency_key);
    }
  }
  // Only this therapist's reminders of the day: others share the subject.
  return outbox
      .SuppressPendingForRecipient(recipient_key, subject,
                                   v1::SUPPRESS_REASON_SUPERSEDED, keep)
      .status();
}

ReminderWorker::ReminderWorker(common::GuardedStore<FollowUpStore>* store,
                               BookingClient* client,
                               std::function<void()> enqueued)
    : store_(store), client_(client), enqueued_(std::move(enqueued)) {}

absl::Status ReminderWorker::RunOnce() {
  std::vector<ReminderJob> jobs;
  {
    auto store = store_->Lock();
    ASSIGN_OR_RETURN(jobs, store->reminder_jobs().Pending(kJobBatch));
  }
  if (jobs.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(dir::ClinicSettings clinic, client_->GetClinicSettings());
  const absl::TimeZone clinic_zone =
      ZoneOr(clinic.time_zone(), absl::UTCTimeZone());
  bool queued = false;
  for (const ReminderJob& job : jobs) {
    if (job.event == v1::REMINDER_EVENT_THERAPIST_CALLS_DUE) {
      RETURN_IF_ERROR(store_->Transact(
          [&](FollowUpStore* store, absl::Time now) -> absl::Status {
            RETURN_IF_ERROR(PlanCallsDue(*store, job, clinic, now, queued));
            return store->reminder_jobs().Finish(job).status();
          },
          [] {}));
      continue;
    }
    std::optional<bk::Couple> couple;
    if (job.event_time) {
      ASSIGN_OR_RETURN(couple, client_->GetCouple(job.couple_id));
    }
    RETURN_IF_ERROR(store_->Transact(
        [&](FollowUpStore* store, absl::Time now) -> absl::Status {
          delivery::Outbox& outbox = store->outbox();
          RETURN_IF_ERROR(outbox
                              .SuppressPendingForSubject(
                                  job.subject_ref,
                                  v1::SUPPRESS_REASON_SUPERSEDED,
                                  job.event_time)
                              .status());
          if (couple) {
            ReminderSettings& settings = store->reminder_settings();
            ASSIGN_OR_RETURN(v1::ReminderPolicy policy, settings.Policy());
            delivery::ReminderOccasion occasion{job.event, job.subject_ref,
                                                *job.event_time, {}};
            std::vector<v1::PartnerRole> roles = {v1::PARTNER_ROLE_A};
            if (couple->has_partner_b()) roles.push_back(v1::PARTNER_ROLE_B);
            for (v1::PartnerRole role : roles) {
              v1::RecipientRef ref;
              ref.mutable_partner()->set_couple_id(couple->id());
              ref.mutable_partner()->set_partner(role);
              ASSIGN_OR_RETURN(v1::ContactPreference preference,
                               settings.Preference(ref));
              occasion.recipients.push_back(
                  Recipient(*couple, role, clinic.time_zone(), preference));
            }
            for (const delivery::PlannedReminder& planned :
                 delivery::PlanReminders(policy, occasion, now)) {
              delivery::NewReminder reminder;
              static_cast<delivery::ReminderSpec&>(reminder) = planned.spec;
              reminder.suppress_reason = planned.suppress_reason;
              if (reminder.suppress_reason ==
                  v1::SUPPRESS_REASON_UNSPECIFIED) {
                const bk::Partner& partner = PartnerOf(
                    *couple, planned.spec.recipient.partner().partner());
                delivery::MessageContext context{
                    partner.given_name(), clinic.display_name(),
                    clinic.contact_phone(),
                    ZoneOr(planned.spec.time_zone, clinic_zone)};
                delivery::Appointment appointment;
                appointment.event = job.event;
                appointment.start = *job.event_time;
                appointment.mode = job.phone_call
                                       ? delivery::AppointmentMode::kPhoneCall
                                       : delivery::AppointmentMode::kVisit;
                ASSIGN_OR_RETURN(reminder.message,
                                 delivery::RenderMessage(context, {appointment},
                                                         reminder.channel));
              }
              ASSIGN_OR_RETURN(delivery::EnqueueResult result,
                               outbox.Enqueue(reminder, now));
              queued |= result.created || result.revived;
            }
          }
          return store->reminder_jobs().Finish(job).status();
        },
        [] {}));
  }
  if (queued && enqueued_) enqueued_();
  return absl::OkStatus();
}

absl::StatusOr<delivery::RenderedMessage> ReminderWorker::RenderMerged(
    absl::Span<const delivery::ReminderRecord> reminders) {
  if (reminders.empty() || !reminders.front().recipient.has_partner()) {
    return absl::InvalidArgumentError("reminders: not a partner's");
  }
  const delivery::ReminderRecord& lead = reminders.front();
  const v1::PartnerRef& ref = lead.recipient.partner();
  std::vector<delivery::Appointment> appointments;
  std::vector<std::string> subjects;
  {
    auto store = store_->Lock();
    for (const delivery::ReminderRecord& r : reminders) {
      if (!r.event_time ||
          std::find(subjects.begin(), subjects.end(), r.subject_ref) !=
              subjects.end()) {
        continue;  // another lead time of an event already listed
      }
      subjects.push_back(r.subject_ref);
      delivery::Appointment appointment;
      appointment.event = r.event;
      appointment.start = *r.event_time;
      if (r.event == v1::REMINDER_EVENT_FOLLOW_UP_CONTACT) {
        ASSIGN_OR_RETURN(int64_t id,
                         ParseId(kContactPrefix, r.subject_ref, "subject_ref"));
        ASSIGN_OR_RETURN(ContactRow contact, store->GetContact(id));
        if (contact.contact.kind() == v1::CONTACT_KIND_PHONE_CALL) {
          appointment.mode = delivery::AppointmentMode::kPhoneCall;
        }
      }
      appointments.push_back(appointment);
    }
  }
  std::sort(appointments.begin(), appointments.end(),
            [](const auto& a, const auto& b) { return a.start < b.start; });
  ASSIGN_OR_RETURN(bk::Couple couple, client_->GetCouple(ref.couple_id()));
  ASSIGN_OR_RETURN(dir::ClinicSettings clinic, client_->GetClinicSettings());
  const absl::TimeZone clinic_zone =
      ZoneOr(clinic.time_zone(), absl::UTCTimeZone());
  delivery::MessageContext context{
      PartnerOf(couple, ref.partner()).given_name(), clinic.display_name(),
      clinic.contact_phone(), ZoneOr(lead.time_zone, clinic_zone)};
  return delivery::RenderMessage(context, appointments, lead.channel);
}

absl::StatusOr<Destination> ReminderWorker::AddressFor(
    const delivery::ReminderRecord& reminder) {
  if (reminder.channel == v1::REMINDER_CHANNEL_FILE) {
    return Destination::To("file");
  }
  if (!reminder.recipient.has_partner()) {
    // A therapist (calls due): the directory holds no e-mail address or
    // phone number of therapists, so e-mail and SMS cannot reach them; the
    // file channel above can.
    return Destination::Suppress(v1::SUPPRESS_REASON_NO_ADDRESS);
  }
  const v1::PartnerRef& ref = reminder.recipient.partner();
  {
    auto store = store_->Lock();
    ASSIGN_OR_RETURN(v1::ContactPreference preference,
                     store->reminder_settings().Preference(reminder.recipient));
    for (int c : preference.opted_out_channels()) {
      if (c == reminder.channel) {
        return Destination::Suppress(v1::SUPPRESS_REASON_OPTED_OUT);
      }
    }
  }
  ASSIGN_OR_RETURN(bk::Couple couple, client_->GetCouple(ref.couple_id()));
  const bk::Partner& partner = PartnerOf(couple, ref.partner());
  if (reminder.channel == v1::REMINDER_CHANNEL_EMAIL) {
    if (!partner.email_consent())
      return Destination::Suppress(v1::SUPPRESS_REASON_NO_CONSENT);
    if (partner.email().empty())
      return Destination::Suppress(v1::SUPPRESS_REASON_NO_ADDRESS);
    return Destination::To(partner.email());
  }
  if (!partner.sms_consent())
    return Destination::Suppress(v1::SUPPRESS_REASON_NO_CONSENT);
  if (partner.phone().empty())
    return Destination::Suppress(v1::SUPPRESS_REASON_NO_ADDRESS);
  return Destination::To(partner.phone());
}

}  // namespace tandem::followup
