#include "services/followup/delivery/reminder_planner.h"

#include <gtest/gtest.h>

#include "services/common/text_proto.h"

namespace tandem::followup::delivery {
namespace {

const absl::TimeZone kLondon = [] {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/London", &zone));
  return zone;
}();

absl::Time London(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), kLondon);
}

v1::ReminderPolicy Policy() {
  return common::ParseTextProto<v1::ReminderPolicy>(R"pb(
    rules {
      event: REMINDER_EVENT_FOLLOW_UP_CONTACT
      lead_times { seconds: 259200 }  # 72 h
      lead_times { seconds: 86400 }   # 24 h
      channels: [ REMINDER_CHANNEL_SMS, REMINDER_CHANNEL_EMAIL ]
      enabled: true
    }
    rules {
      event: REMINDER_EVENT_INTENSIVE_START
      lead_times { seconds: 86400 }
      channels: REMINDER_CHANNEL_EMAIL
      enabled: false
    }
    send_window_start { hours: 8 }
    send_window_end { hours: 21 }
    debounce { seconds: 600 })pb");
}

ReminderRecipient Partner(char role) {
  ReminderRecipient r;
  r.ref.mutable_partner()->set_couple_id("cp-3");
  r.ref.mutable_partner()->set_partner(role == 'A' ? v1::PARTNER_ROLE_A
                                                   : v1::PARTNER_ROLE_B);
  r.time_zone = "Europe/London";
  return r;
}

ReminderOccasion Contact(absl::Time at, std::vector<ReminderRecipient> who) {
  return {v1::REMINDER_EVENT_FOLLOW_UP_CONTACT, "fc-12", at, std::move(who)};
}

TEST(ReminderPlannerTest, PreferredChannelPerLeadTimeOutOfQuietHours) {
  ReminderRecipient a = Partner('A');
  a.preferred = v1::REMINDER_CHANNEL_EMAIL;
  a.email_consent = a.has_email = true;
  a.sms_consent = a.has_phone = true;
  // A call at 08:30 on Friday: 72 h before is Tuesday 08:30 (inside the
  // window); 24 h before is Thursday 08:30.
  const auto planned = PlanReminders(
      Policy(), Contact(London(2027, 3, 5, 8, 30), {a}),
      London(2027, 2, 20, 12, 0));
  ASSERT_EQ(planned.size(), 2u);
  EXPECT_EQ(planned[0].spec.lead_time, absl::Hours(24));
  EXPECT_EQ(planned[0].spec.channel, v1::REMINDER_CHANNEL_EMAIL);
  EXPECT_EQ(planned[0].spec.due_time, London(2027, 3, 4, 8, 30));
  EXPECT_EQ(planned[1].spec.due_time, London(2027, 3, 2, 8, 30));
  EXPECT_EQ(planned[0].suppress_reason, v1::SUPPRESS_REASON_UNSPECIFIED);
  // At 07:30 the reminders wait for 08:00.
  const auto early = PlanReminders(
      Policy(), Contact(London(2027, 3, 5, 7, 30), {a}),
      London(2027, 2, 20, 12, 0));
  EXPECT_EQ(early[0].spec.due_time, London(2027, 3, 4, 8, 0));
}

TEST(ReminderPlannerTest, FallsBackToAConsentedChannelOrSaysWhyNot) {
  ReminderRecipient a = Partner('A');
  a.preferred = v1::REMINDER_CHANNEL_EMAIL;  // no consent for e-mail
  a.sms_consent = a.has_phone = true;
  ReminderRecipient b = Partner('B');  // nothing consented
  b.has_email = b.has_phone = true;
  ReminderRecipient c = Partner('B');
  c.sms_consent = c.has_phone = true;
  c.opted_out = {v1::REMINDER_CHANNEL_SMS};
  ReminderRecipient d = Partner('B');
  d.email_consent = true;  // consent, but no address
  const auto planned =
      PlanReminders(Policy(), Contact(London(2027, 3, 5, 10, 0), {a, b, c, d}),
                    London(2027, 2, 20, 12, 0));
  ASSERT_EQ(planned.size(), 8u);
  EXPECT_EQ(planned[0].spec.channel, v1::REMINDER_CHANNEL_SMS);
  EXPECT_EQ(planned[0].suppress_reason, v1::SUPPRESS_REASON_UNSPECIFIED);
  EXPECT_EQ(planned[2].suppress_reason, v1::SUPPRESS_REASON_NO_CONSENT);
  EXPECT_EQ(planned[4].suppress_reason, v1::SUPPRESS_REASON_OPTED_OUT);
  EXPECT_EQ(planned[6].suppress_reason, v1::SUPPRESS_REASON_NO_ADDRESS);
}

TEST(ReminderPlannerTest, LateBookingsDebounceAndGiveWayToShorterLeads) {
  ReminderRecipient a = Partner('A');
  a.sms_consent = a.has_phone = true;
  // Booked on Wednesday noon for Friday 10:00: the 72 h reminder is past
  // and gives way to the 24 h one.
  const absl::Time now = London(2027, 3, 3, 12, 0);
  auto planned =
      PlanReminders(Policy(), Contact(London(2027, 3, 5, 10, 0), {a}), now);
  ASSERT_EQ(planned.size(), 2u);
  EXPECT_EQ(planned[0].suppress_reason, v1::SUPPRESS_REASON_UNSPECIFIED);
  EXPECT_EQ(planned[1].suppress_reason, v1::SUPPRESS_REASON_TOO_LATE);
  // Booked Thursday 20:55 for Friday 10:00: even the 24 h one is past; it
  // goes at once... but not before the debounce, and not in quiet hours:
  // Friday 08:00.
  planned = PlanReminders(Policy(), Contact(London(2027, 3, 5, 10, 0), {a}),
                          London(2027, 3, 4, 20, 55));
  EXPECT_EQ(planned[0].suppress_reason, v1::SUPPRESS_REASON_UNSPECIFIED);
  EXPECT_EQ(planned[0].spec.due_time, London(2027, 3, 5, 8, 0));
  // For a call at 08:30 that is too late (less than an hour ahead).
  planned = PlanReminders(Policy(), Contact(London(2027, 3, 5, 8, 30), {a}),
                          London(2027, 3, 4, 20, 55));
  EXPECT_EQ(planned[0].suppress_reason, v1::SUPPRESS_REASON_TOO_LATE);
  // Inside the window, a booking made now is reminded after the debounce.
  planned = PlanReminders(Policy(), Contact(London(2027, 3, 5, 10, 0), {a}),
                          London(2027, 3, 4, 14, 0));
  EXPECT_EQ(planned[0].spec.due_time, London(2027, 3, 4, 14, 10));
}

TEST(ReminderPlannerTest, DisabledOrMissingRulesPlanNothingAndTherapistsNeedNoConsent) {
  ReminderRecipient a = Partner('A');
  a.email_consent = a.has_email = true;
  ReminderOccasion start{v1::REMINDER_EVENT_INTENSIVE_START, "in-4",
                         London(2027, 3, 5, 9, 0), {a}};
  EXPECT_TRUE(
      PlanReminders(Policy(), start, London(2027, 2, 1, 9, 0)).empty());

  v1::ReminderPolicy policy = Policy();
  policy.mutable_rules(0)->set_event(v1::REMINDER_EVENT_THERAPIST_CALLS_DUE);
  ReminderRecipient therapist;
  therapist.ref.set_therapist_id("th-5");
  therapist.time_zone = "Europe/London";
  therapist.has_phone = true;
  ReminderOccasion calls{v1::REMINDER_EVENT_THERAPIST_CALLS_DUE, "2027-03-05",
                         London(2027, 3, 5, 9, 0), {therapist}};
  const auto planned = PlanReminders(policy, calls, London(2027, 2, 1, 9, 0));
  ASSERT_EQ(planned.size(), 2u);
  EXPECT_EQ(planned[0].spec.channel, v1::REMINDER_CHANNEL_SMS);
  EXPECT_EQ(planned[0].suppress_reason, v1::SUPPRESS_REASON_UNSPECIFIED);
}

}  // namespace
}  // namespace tandem::followup::delivery
