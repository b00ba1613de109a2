// Reminders through the real binaries (directory + booking + followup) and
// real receivers: an aiosmtpd server and an HTTP webhook on loopback, both
// started by the test. A booked intensive sends its programme-start and
// first follow-up reminders by e-mail and SMS, each once; an opt-out stops
// one channel; cancelling the intensive supersedes what was still queued;
// no message names the partner or says what kind of clinic this is.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "services/common/test_db.h"
#include "services/followup/delivery/message.h"
#include "services/followup/delivery/testing/python_server.h"
#include "tandem/followup/v1/followup_service.grpc.pb.h"
#include "tests/integration/booking_fixture.h"
#include "tests/integration/health_check.h"

namespace tandem::followup {
namespace {

namespace v1 = ::tandem::followup::v1;
namespace bk = ::tandem::booking::v1;
using ::tandem::followup::delivery::testing::PythonServer;
using ::tandem::followup::delivery::testing::ReadWholeFile;
using ::tandem::testing::Call;
using ::tandem::testing::ServiceProcess;
using Stub = v1::FollowUpService::Stub;

// Partner A wants e-mail, partner B SMS; both consented.
bk::Couple EmailAndSmsCouple(const std::string& family) {
  bk::Couple couple = testing::TestCouple(family);
  bk::Partner* a = couple.mutable_partner_a();
  a->set_given_name("Aino");
  a->set_email(absl::StrCat("aino.", absl::AsciiStrToLower(family),
                            "@example.org"));
  a->set_email_consent(true);
  a->set_preferred_channel(bk::CONTACT_CHANNEL_EMAIL);
  bk::Partner* b = couple.mutable_partner_b();
  b->set_given_name("Bela");
  b->set_phone("+358409998877");
  b->set_sms_consent(true);
  b->set_preferred_channel(bk::CONTACT_CHANNEL_SMS);
  return couple;
}

class RemindersIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::BookingServices services;
    ASSERT_NO_FATAL_FAILURE(testing::StartBookingServices({}, &services));
    directory_ = std::move(services.directory);
    booking_ = std::move(services.booking);
    booking_stub_ = bk::BookingService::NewStub(booking_->channel());
    auto smtp = PythonServer::Start("smtp_sink.py", dir_.path());
    ASSERT_TRUE(smtp.ok()) << smtp.status();
    smtp_ = std::move(*smtp);
    auto webhook = PythonServer::Start("webhook_sink.py", dir_.path());
    ASSERT_TRUE(webhook.ok()) << webhook.status();
    webhook_ = std::move(*webhook);
    const std::string token_file = dir_.File("sms-token");
    std::ofstream(token_file) << "test-token\n";
    base_args_ = {
        absl::StrCat("--booking=", booking_->target()),
        absl::StrCat("--directory=", directory_->target()),
        absl::StrCat("--smtp_url=smtp://127.0.0.1:", smtp_->port()),
        "--smtp_from=reminders@clinic.example",
        absl::StrCat("--sms_webhook_url=http://127.0.0.1:", webhook_->port(),
                     "/sms"),
        absl::StrCat("--sms_token_file=", token_file),
        "--reminder_poll_interval=100ms",
        absl::StrCat("--outbox_dir=", outbox_dir())};
    auto followup = ServiceProcess::Start(TANDEM_FOLLOWUP_BINARY, base_args_);
    ASSERT_TRUE(followup.ok()) << followup.status();
    followup_ = std::move(*followup);
    ASSERT_NO_FATAL_FAILURE(Connect());
    UseSendEverythingNowPolicy();
  }

  // Changes the policy with `edit` (every field replaced).
  template <typename Edit>
  void EditPolicy(const std::string& request_id, Edit edit) {
    v1::GetReminderPolicyResponse current;
    ASSERT_TRUE(Call(*stub_, &Stub::GetReminderPolicy,
                     v1::GetReminderPolicyRequest(), &current)
                    .ok());
    v1::UpdateReminderPolicyRequest update;
    update.set_request_id(request_id);
    *update.mutable_reminder_policy() = current.reminder_policy();
    edit(*update.mutable_reminder_policy());
    for (const char* path :
         {"rules", "send_window_start", "send_window_end", "debounce"}) {
      update.mutable_update_mask()->add_paths(path);
    }
    v1::UpdateReminderPolicyResponse updated;
    grpc::Status s =
        Call(*stub_, &Stub::UpdateReminderPolicy, update, &updated);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // Lead times of 30 days and no quiet hours: what the tests book is due
  // at once, or in weeks; nothing depends on the time of day the test runs.
  void UseSendEverythingNowPolicy() {
    EditPolicy("policy-now", [](v1::ReminderPolicy& policy) {
      for (v1::ReminderRule& rule : *policy.mutable_rules()) {
        rule.clear_lead_times();
        rule.add_lead_times()->set_seconds(30 * 24 * 3600);
      }
      policy.mutable_send_window_start()->set_hours(0);
      policy.mutable_send_window_end()->set_hours(24);
      policy.mutable_debounce()->set_seconds(0);
    });
  }

  // Restarts the follow-up service with its clock `offset` ahead.
  void RestartFollowUpAhead(absl::Duration offset) {
    stub_.reset();
    ASSERT_TRUE(followup_->Stop().ok());
    std::vector<std::string> args = base_args_;
    args.push_back(
        absl::StrCat("--clock_offset=", absl::ToInt64Seconds(offset), "s"));
    ASSERT_TRUE(followup_->Restart(args).ok());
    ASSERT_NO_FATAL_FAILURE(Connect());
  }

  void Connect() {
    stub_ = v1::FollowUpService::NewStub(followup_->channel());
    std::string reply;
    for (int i = 0; i < 200 && reply != testing::kServingReply; ++i) {
      testing::CheckHealth(followup_->channel(),
                           "tandem.followup.v1.FollowUpService", &reply)
          .IgnoreError();
      absl::SleepFor(absl::Milliseconds(50));
    }
    ASSERT_EQ(reply, testing::kServingReply) << followup_->ReadLog();
  }

  std::vector<std::string> Mails() const {
    std::vector<std::string> mails;
    for (const auto& entry :
         std::filesystem::directory_iterator(smtp_->out_dir())) {
      if (entry.path().extension() == ".eml") {
        mails.push_back(ReadWholeFile(entry.path().string()));
      }
    }
    return mails;
  }
  std::string outbox_dir() const { return dir_.path() + "/outbox"; }
  // The files the file channel wrote.
  std::vector<std::string> Files() const {
    std::vector<std::string> files;
    if (!std::filesystem::is_directory(outbox_dir())) return files;
    for (const auto& entry :
         std::filesystem::directory_iterator(outbox_dir())) {
      if (entry.path().extension() == ".eml") {
        files.push_back(ReadWholeFile(entry.path().string()));
      }
    }
    return files;
  }
  std::vector<v1::Reminder> TherapistReminders(const std::string& therapist) {
    v1::ListRemindersRequest request;
    request.set_therapist_id(therapist);
    request.set_page_size(1000);
    v1::ListRemindersResponse response;
    EXPECT_TRUE(Call(*stub_, &Stub::ListReminders, request, &response).ok());
    return {response.reminders().begin(), response.reminders().end()};
  }
  // The contact, or an empty one while the follow-up service has not yet
  // planned it (it follows booking's change stream, so NOT_FOUND is
  // expected for a moment after booking); any other error fails.
  v1::FollowUpContact Contact(const std::string& id) {
    v1::GetFollowUpContactRequest get;
    get.set_id(id);
    v1::GetFollowUpContactResponse contact;
    const grpc::Status status =
        Call(*stub_, &Stub::GetFollowUpContact, get, &contact);
    EXPECT_TRUE(status.ok() || status.error_code() == grpc::NOT_FOUND)
        << status.error_message();
    return contact.follow_up_contact();
  }
  std::vector<std::string> Texts() const {
    std::vector<std::string> lines = absl::StrSplit(
        ReadWholeFile(webhook_->out_dir() + "/requests.jsonl"), '\n',
        absl::SkipEmpty());
    return lines;
  }

  std::vector<v1::Reminder> Reminders(const std::string& couple_id) {
    v1::ListRemindersRequest request;
    request.set_couple_id(couple_id);
    request.set_page_size(1000);
    v1::ListRemindersResponse response;
    EXPECT_TRUE(Call(*stub_, &Stub::ListReminders, request, &response).ok());
    return {response.reminders().begin(), response.reminders().end()};
  }

  // Waits (bounded) until `done()`.
  template <typename Done>
  bool WaitUntil(Done done) {
    const absl::Time give_up = absl::Now() + absl::Seconds(40);
    while (absl::Now() < give_up) {
      if (done()) return true;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return false;
  }

  common::TempDir dir_;
  std::vector<std::string> base_args_;
  std::unique_ptr<ServiceProcess> directory_, booking_, followup_;
  std::unique_ptr<PythonServer> smtp_, webhook_;
  std::unique_ptr<bk::BookingService::Stub> booking_stub_;
  std::unique_ptr<Stub> stub_;
};

TEST_F(RemindersIntegrationTest, SentOnceByChannelOptOutAndCancellation) {
  const bk::Intensive first = testing::BookTenDayIntensive(
      *booking_stub_, EmailAndSmsCouple("Lehtonen"), "first");
  // The programme start and the first follow-up contact (a week after the
  // last day) are within 30 days: one e-mail to A and one text to B each.
  ASSERT_TRUE(WaitUntil([&] { return Mails().size() >= 2 && Texts().size() >= 2; }))
      << "mails " << Mails().size() << ", texts " << Texts().size() << "\n"
      << followup_->ReadLog();
  absl::SleepFor(absl::Seconds(1));  // nothing more may come
  const std::vector<std::string> mails = Mails();
  const std::vector<std::string> texts = Texts();
  EXPECT_EQ(mails.size(), 2u);
  EXPECT_EQ(texts.size(), 2u);
  for (const std::string& mail : mails) {
    EXPECT_NE(mail.find("aino.lehtonen@example.org"), std::string::npos);
    EXPECT_NE(mail.find("Aino"), std::string::npos);
    EXPECT_EQ(mail.find("Bela"), std::string::npos);  // never the partner
    EXPECT_EQ(mail.find("Lehtonen\n"), std::string::npos);
    EXPECT_NE(mail.find("X-Tandem-Idempotency-Key: rk-"), std::string::npos);
    const std::string body = mail.substr(mail.find("\r\n\r\n") + 4);
    EXPECT_FALSE(delivery::FindForbiddenWord(body).has_value()) << mail;
  }
  for (const std::string& text : texts) {
    EXPECT_NE(text.find("+358409998877"), std::string::npos);
    EXPECT_NE(text.find("Bearer test-token"), std::string::npos);
    EXPECT_EQ(text.find("Aino"), std::string::npos);
    EXPECT_FALSE(delivery::FindForbiddenWord(text).has_value()) << text;
  }
  // Later contacts wait in the outbox.
  int queued = 0, sent = 0;
  for (const v1::Reminder& r : Reminders(first.couple_id())) {
    queued += r.status() == v1::REMINDER_STATUS_QUEUED;
    sent += r.status() == v1::REMINDER_STATUS_SENT;
  }
  EXPECT_EQ(sent, 4);
  EXPECT_GT(queued, 0);

  // Cancelling the intensive supersedes every queued reminder.
  bk::CancelIntensiveRequest cancel;
  cancel.set_request_id("cancel-first");
  cancel.set_id(first.id());
  cancel.set_reason(bk::CANCEL_REASON_COUPLE_REQUEST);
  bk::CancelIntensiveResponse cancelled;
  ASSERT_TRUE(Call(*booking_stub_, &bk::BookingService::Stub::CancelIntensive,
                   cancel, &cancelled)
                  .ok());
  ASSERT_TRUE(WaitUntil([&] {
    for (const v1::Reminder& r : Reminders(first.couple_id())) {
      if (r.status() == v1::REMINDER_STATUS_QUEUED) return false;
    }
    return true;
  })) << followup_->ReadLog();
  int superseded = 0;
  for (const v1::Reminder& r : Reminders(first.couple_id())) {
    superseded += r.suppress_reason() == v1::SUPPRESS_REASON_SUPERSEDED;
  }
  EXPECT_EQ(superseded, queued);

  // A second couple whose B opted out of SMS: A's e-mails come, B gets
  // nothing, and the coordinator sees why.
  const std::string second_couple = "cp-2";
  v1::SetOptOutRequest opt_out;
  opt_out.set_request_id("opt-out");
  opt_out.mutable_recipient()->mutable_partner()->set_couple_id(second_couple);
  opt_out.mutable_recipient()->mutable_partner()->set_partner(
      v1::PARTNER_ROLE_B);
  opt_out.set_channel(v1::REMINDER_CHANNEL_SMS);
  opt_out.set_opted_out(true);
  v1::SetOptOutResponse opted;
  ASSERT_TRUE(Call(*stub_, &Stub::SetOptOut, opt_out, &opted).ok());
  const bk::Intensive second = testing::BookTenDayIntensive(
      *booking_stub_, EmailAndSmsCouple("Nieminen"), "second");
  ASSERT_EQ(second.couple_id(), second_couple);
  ASSERT_TRUE(WaitUntil([&] { return Mails().size() >= 4; }))
      << followup_->ReadLog();
  absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ(Mails().size(), 4u);
  EXPECT_EQ(Texts().size(), 2u);  // still only the first couple's
  int opted_out = 0;
  for (const v1::Reminder& r : Reminders(second_couple)) {
    if (r.recipient().partner().partner() == v1::PARTNER_ROLE_B) {
      EXPECT_EQ(r.status(), v1::REMINDER_STATUS_SUPPRESSED);
      opted_out += r.suppress_reason() == v1::SUPPRESS_REASON_OPTED_OUT;
    }
  }
  EXPECT_GT(opted_out, 0);

  // Nothing about the clients in the service's log.
  const std::string log = followup_->ReadLog();
  for (const char* secret : {"Aino", "Bela", "Lehtonen", "Nieminen",
                             "+358409998877", "example.org"}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret;
  }
}

TEST_F(RemindersIntegrationTest, ADueReminderWaitsForTheSendWindowAndGoesOnce) {
  // Contact reminders 25 hours ahead, sent 08:00-21:00 London time only.
  EditPolicy("policy-quiet", [](v1::ReminderPolicy& policy) {
    for (v1::ReminderRule& rule : *policy.mutable_rules()) {
      rule.clear_lead_times();
      rule.add_lead_times()->set_seconds(25 * 3600);
      rule.set_enabled(rule.event() == v1::REMINDER_EVENT_FOLLOW_UP_CONTACT);
    }
    policy.mutable_send_window_start()->set_hours(8);
    policy.mutable_send_window_end()->set_hours(21);
    policy.mutable_debounce()->set_seconds(0);
  });
  const bk::Intensive booked = testing::BookTenDayIntensive(
      *booking_stub_, EmailAndSmsCouple("Virtanen"), "quiet");
  v1::Reminder first;
  ASSERT_TRUE(WaitUntil([&] {
    for (const v1::Reminder& r : Reminders(booked.couple_id())) {
      if (r.subject_ref() == "fc-1" &&
          r.channel() == v1::REMINDER_CHANNEL_EMAIL) {
        first = r;
        return true;
      }
    }
    return false;
  })) << followup_->ReadLog();
  ASSERT_EQ(first.status(), v1::REMINDER_STATUS_QUEUED);
  v1::GetFollowUpContactRequest get;
  get.set_id("fc-1");
  v1::GetFollowUpContactResponse contact;
  ASSERT_TRUE(Call(*stub_, &Stub::GetFollowUpContact, get, &contact).ok());
  const absl::Time start =
      absl::FromUnixSeconds(contact.follow_up_contact().scheduled_start_time().seconds());
  const absl::Time due = absl::FromUnixSeconds(first.due_time().seconds());
  absl::TimeZone london;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/London", &london));
  const absl::CivilSecond local_due = absl::ToCivilSecond(due, london);
  EXPECT_GE(due, start - absl::Hours(25));
  EXPECT_GE(local_due.hour(), 8);
  EXPECT_LT(local_due.hour(), 21);
  const size_t mails_before = Mails().size();

  // Half an hour before it is due: nothing goes.
  RestartFollowUpAhead(due - absl::Now() - absl::Minutes(30));
  absl::SleepFor(absl::Seconds(2));
  EXPECT_EQ(Mails().size(), mails_before);
  // A minute after: it goes, once, and is recorded at that time.
  RestartFollowUpAhead(due - absl::Now() + absl::Minutes(1));
  ASSERT_TRUE(WaitUntil([&] { return Mails().size() > mails_before; }))
      << followup_->ReadLog();
  absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ(Mails().size(), mails_before + 1);
  v1::GetReminderRequest again;
  again.set_id(first.id());
  v1::GetReminderResponse sent;
  ASSERT_TRUE(Call(*stub_, &Stub::GetReminder, again, &sent).ok());
  EXPECT_EQ(sent.reminder().status(), v1::REMINDER_STATUS_SENT);
  const absl::Time sent_at =
      absl::FromUnixSeconds(sent.reminder().send_time().seconds());
  EXPECT_GE(sent_at, due);
  EXPECT_LT(sent_at, due + absl::Minutes(10));
}

TEST_F(RemindersIntegrationTest, TherapistsGetOneCallsDueFilePerDay) {
  // Enabled, to the file channel (therapists have no e-mail or phone in the
  // directory), 30 days ahead like the others.
  EditPolicy("policy-calls", [](v1::ReminderPolicy& policy) {
    for (v1::ReminderRule& rule : *policy.mutable_rules()) {
      if (rule.event() != v1::REMINDER_EVENT_THERAPIST_CALLS_DUE) continue;
      rule.set_enabled(true);
      rule.clear_channels();
      rule.add_channels(v1::REMINDER_CHANNEL_FILE);
      rule.add_channels(v1::REMINDER_CHANNEL_EMAIL);
    }
  });
  const bk::Intensive booked = testing::BookTenDayIntensive(
      *booking_stub_, EmailAndSmsCouple("Korhonen"), "calls");
  // fc-1 is the call a week after the programme: its therapist's day.
  v1::FollowUpContact call;
  ASSERT_TRUE(WaitUntil([&] {
    call = Contact("fc-1");
    return call.status() == v1::CONTACT_STATUS_SCHEDULED;
  })) << followup_->ReadLog();
  ASSERT_EQ(call.kind(), v1::CONTACT_KIND_PHONE_CALL);
  auto calls_due = [&] {
    std::vector<std::string> found;
    for (const std::string& file : Files()) {
      if (file.find(" due on ") != std::string::npos) found.push_back(file);
    }
    return found;
  };
  ASSERT_TRUE(WaitUntil([&] { return !calls_due().empty(); }))
      << followup_->ReadLog();
  absl::SleepFor(absl::Seconds(1));  // nothing more may come
  const std::vector<std::string> files = calls_due();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_NE(files[0].find("1 call is due on"), std::string::npos) << files[0];
  EXPECT_NE(files[0].find("the first at"), std::string::npos) << files[0];
  for (const char* secret : {"Aino", "Bela", "Korhonen"}) {
    EXPECT_EQ(files[0].find(secret), std::string::npos) << secret;
  }
  EXPECT_FALSE(delivery::FindForbiddenWord(
                   files[0].substr(files[0].find("\n\n")))
                   .has_value())
      << files[0];

  // The coordinator sees it, about the call's local day; e-mail was not
  // possible (no address) and is not what was used.
  absl::TimeZone london;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/London", &london));
  const std::string day = absl::FormatCivilTime(absl::ToCivilDay(
      absl::FromUnixSeconds(call.scheduled_start_time().seconds()), london));
  int sent = 0;
  for (const v1::Reminder& r : TherapistReminders(call.therapist_id())) {
    EXPECT_EQ(r.event(), v1::REMINDER_EVENT_THERAPIST_CALLS_DUE);
    if (r.status() == v1::REMINDER_STATUS_SENT) {
      ++sent;
      EXPECT_EQ(r.subject_ref(), day);
      EXPECT_EQ(r.channel(), v1::REMINDER_CHANNEL_FILE);
    }
  }
  EXPECT_EQ(sent, 1);

  // Cancelling the intensive cancels the calls: their days' pending
  // reminders are superseded, the sent one stays sent.
  bk::CancelIntensiveRequest cancel;
  cancel.set_request_id("cancel-calls");
  cancel.set_id(booked.id());
  cancel.set_reason(bk::CANCEL_REASON_COUPLE_REQUEST);
  bk::CancelIntensiveResponse cancelled;
  ASSERT_TRUE(Call(*booking_stub_, &bk::BookingService::Stub::CancelIntensive,
                   cancel, &cancelled)
                  .ok());
  ASSERT_TRUE(WaitUntil([&] {
    for (const v1::Reminder& r : TherapistReminders(call.therapist_id())) {
      if (r.status() == v1::REMINDER_STATUS_QUEUED) return false;
    }
    return true;
  })) << followup_->ReadLog();
  int still_sent = 0;
  for (const v1::Reminder& r : TherapistReminders(call.therapist_id())) {
    still_sent += r.status() == v1::REMINDER_STATUS_SENT;
  }
  EXPECT_EQ(still_sent, 1);
  EXPECT_EQ(calls_due().size(), 1u);
}

TEST_F(RemindersIntegrationTest, TwoEventsOfADayArriveAsOneMessagePerPartner) {
  // Contact reminders 25 hours ahead, at any hour.
  EditPolicy("policy-merge", [](v1::ReminderPolicy& policy) {
    for (v1::ReminderRule& rule : *policy.mutable_rules()) {
      rule.clear_lead_times();
      rule.add_lead_times()->set_seconds(25 * 3600);
      rule.set_enabled(rule.event() == v1::REMINDER_EVENT_FOLLOW_UP_CONTACT);
    }
    policy.mutable_send_window_start()->set_hours(0);
    policy.mutable_send_window_end()->set_hours(24);
    policy.mutable_debounce()->set_seconds(0);
  });
  const bk::Intensive booked = testing::BookTenDayIntensive(
      *booking_stub_, EmailAndSmsCouple("Salonen"), "merge");
  v1::FollowUpContact call, visit;
  ASSERT_TRUE(WaitUntil([&] {
    call = Contact("fc-1");
    visit = Contact("fc-2");
    return call.status() == v1::CONTACT_STATUS_SCHEDULED &&
           visit.status() == v1::CONTACT_STATUS_SCHEDULED;
  })) << followup_->ReadLog();
  // The office visit moves to the day of the call, a few hours apart.
  absl::TimeZone london;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/London", &london));
  const absl::Time call_start =
      absl::FromUnixSeconds(call.scheduled_start_time().seconds());
  bool moved = false;
  for (int hours : {2, -2, 3, -3, 4, -4, 1, -1}) {
    const absl::Time start = call_start + absl::Hours(hours);
    if (absl::ToCivilDay(start, london) != absl::ToCivilDay(call_start, london))
      continue;
    v1::RescheduleContactRequest move;
    move.set_request_id(absl::StrCat("move-", hours));
    move.set_id("fc-2");
    move.mutable_start_time()->set_seconds(absl::ToUnixSeconds(start));
    v1::RescheduleContactResponse moved_to;
    if (Call(*stub_, &Stub::RescheduleContact, move, &moved_to).ok()) {
      visit = moved_to.follow_up_contact();
      moved = true;
      break;
    }
  }
  ASSERT_TRUE(moved) << followup_->ReadLog();
  const absl::Time visit_start =
      absl::FromUnixSeconds(visit.scheduled_start_time().seconds());
  // Both contacts' reminders wait, for their current times.
  std::vector<v1::Reminder> queued;
  ASSERT_TRUE(WaitUntil([&] {
    queued.clear();
    for (const v1::Reminder& r : Reminders(booked.couple_id())) {
      if (r.status() != v1::REMINDER_STATUS_QUEUED) continue;
      if (r.subject_ref() == "fc-1" ||
          (r.subject_ref() == "fc-2" &&
           r.due_time().seconds() ==
               absl::ToUnixSeconds(visit_start - absl::Hours(25)))) {
        queued.push_back(r);
      }
    }
    return queued.size() == 4;  // two contacts, two partners
  })) << followup_->ReadLog();
  absl::Time first_due = absl::InfiniteFuture(), last_due = absl::InfinitePast();
  for (const v1::Reminder& r : queued) {
    const absl::Time due = absl::FromUnixSeconds(r.due_time().seconds());
    first_due = std::min(first_due, due);
    last_due = std::max(last_due, due);
  }
  const size_t mails_before = Mails().size();
  const size_t texts_before = Texts().size();

  // When the first is due, the second goes with it: one e-mail to A, one
  // text to B, each naming both times.
  RestartFollowUpAhead(first_due - absl::Now() + absl::Minutes(1));
  ASSERT_TRUE(WaitUntil([&] {
    return Mails().size() > mails_before && Texts().size() > texts_before;
  })) << followup_->ReadLog();
  absl::SleepFor(absl::Seconds(1));
  ASSERT_EQ(Mails().size(), mails_before + 1);
  ASSERT_EQ(Texts().size(), texts_before + 1);
  const std::string early = absl::FormatTime(
      "%H:%M", std::min(call_start, visit_start), london);
  const std::string late = absl::FormatTime(
      "%H:%M", std::max(call_start, visit_start), london);
  std::string mail;
  for (const std::string& m : Mails()) {
    if (m.find(early) != std::string::npos) mail = m;
  }
  EXPECT_NE(mail.find(late), std::string::npos) << mail;
  EXPECT_NE(mail.find("Aino"), std::string::npos) << mail;
  EXPECT_EQ(mail.find("Bela"), std::string::npos) << mail;
  EXPECT_NE(mail.find("X-Tandem-Idempotency-Key: rm-"), std::string::npos)
      << mail;
  const std::string text = Texts().back();
  EXPECT_NE(text.find(early), std::string::npos) << text;
  EXPECT_NE(text.find(late), std::string::npos) << text;
  for (const v1::Reminder& r : queued) {
    v1::GetReminderRequest get;
    get.set_id(r.id());
    v1::GetReminderResponse now;
    ASSERT_TRUE(Call(*stub_, &Stub::GetReminder, get, &now).ok());
    EXPECT_EQ(now.reminder().status(), v1::REMINDER_STATUS_SENT) << r.id();
  }
  // And nothing more when the second one's own time comes.
  RestartFollowUpAhead(last_due - absl::Now() + absl::Minutes(2));
  absl::SleepFor(absl::Seconds(2));
  EXPECT_EQ(Mails().size(), mails_before + 1);
  EXPECT_EQ(Texts().size(), texts_before + 1);
}

}  // namespace
}  // namespace tandem::followup
