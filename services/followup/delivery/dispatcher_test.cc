#include "services/followup/delivery/dispatcher.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "services/common/test_db.h"
#include "services/followup/delivery/file_channel.h"
#include "services/followup/delivery/smtp_channel.h"
#include "services/followup/delivery/testing/outbox_fixture.h"
#include "services/followup/delivery/testing/python_server.h"
#include "services/followup/delivery/webhook_sms_channel.h"

namespace tandem::followup::delivery {
namespace {

using testing::ContactReminder;
using testing::PythonServer;
using testing::ReadWholeFile;

std::vector<std::string> MailsIn(const std::string& dir) {
  std::vector<std::string> mails;
  if (!std::filesystem::exists(dir)) return mails;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".eml") {
      mails.push_back(ReadWholeFile(entry.path().string()));
    }
  }
  return mails;
}

int CountLines(const std::string& path) {
  const std::string text = ReadWholeFile(path);
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

// "cp-7/A" -> "cp-7-A@example.org" (e-mail) or "+49307" (SMS).
absl::StatusOr<Destination> TestAddress(const ReminderRecord& r) {
  const std::string couple = r.recipient.partner().couple_id();
  if (r.channel == v1::REMINDER_CHANNEL_SMS) {
    return Destination::To(absl::StrCat("+4930", couple.substr(3)));
  }
  return Destination::To(absl::StrCat(couple, "-A@example.org"));
}

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin_));
    db_ = testing::OpenOutboxDb(dir_.File("outbox.db"));
    ASSERT_NE(db_, nullptr);
    now_ = Berlin(9, 0);
  }

  // 30 March 2027 in Berlin (CEST).
  absl::Time Berlin(int hour, int minute, int day = 30) const {
    return absl::FromCivil(absl::CivilSecond(2027, 3, day, hour, minute, 0),
                           berlin_);
  }

  ReminderRecord Enqueue(const NewReminder& r) {
    ReminderRecord record;
    absl::Status status = Transaction()([&](Outbox& outbox) -> absl::Status {
      absl::StatusOr<EnqueueResult> result = outbox.Enqueue(r, now_);
      if (result.ok()) record = result->record;
      return result.status();
    });
    EXPECT_TRUE(status.ok()) << status;
    return record;
  }

  ReminderRecord Get(int64_t row_id) {
    ReminderRecord record;
    absl::Status status = Transaction()([&](Outbox& outbox) -> absl::Status {
      absl::StatusOr<ReminderRecord> r = outbox.Get(row_id);
      if (r.ok()) record = *r;
      return r.status();
    });
    EXPECT_TRUE(status.ok()) << status;
    return record;
  }

  OutboxTransaction Transaction() { return LockedOutboxTransaction(*db_, mu_); }

  std::unique_ptr<Dispatcher> MakeDispatcher(Dispatcher::Channels channels,
                                             AddressLookup lookup = TestAddress,
                                             DispatcherOptions options = {}) {
    return std::make_unique<Dispatcher>(
        Transaction(), std::move(channels), std::move(lookup),
        [this] { return now_; }, options);
  }

  std::unique_ptr<SmtpChannel> Smtp(int port) {
    SmtpOptions options;
    options.url = absl::StrCat("smtp://127.0.0.1:", port);
    options.from = "reminders@lindenhof.example";
    return *SmtpChannel::Create(options, [this] { return now_; });
  }

  static std::unique_ptr<WebhookSmsChannel> Sms(int port) {
    WebhookSmsOptions options;
    options.url = absl::StrCat("http://127.0.0.1:", port, "/sms");
    options.bearer_token = "t";
    return *WebhookSmsChannel::Create(options);
  }

  void Tick(Dispatcher& dispatcher) {
    absl::StatusOr<int> claimed = dispatcher.Tick();
    ASSERT_TRUE(claimed.ok()) << claimed.status();
  }

  common::TempDir dir_;
  absl::Mutex mu_;
  std::unique_ptr<common::Database> db_;
  absl::TimeZone berlin_;
  absl::Time now_;
};

TEST_F(DispatcherTest, EachReminderArrivesOnceAtItsTimeOverSmtp) {
  auto sink = PythonServer::Start("smtp_sink.py", dir_.path());
  ASSERT_TRUE(sink.ok()) << sink.status();
  Dispatcher::Channels channels;
  channels[v1::REMINDER_CHANNEL_EMAIL] = Smtp((*sink)->port());
  auto dispatcher = MakeDispatcher(std::move(channels));
  std::vector<ReminderRecord> records;
  for (int i = 1; i <= 3; ++i) {
    records.push_back(Enqueue(ContactReminder(
        absl::StrCat("cp-", i), absl::StrCat("fc-", i), Berlin(9 + i, 0))));
  }
  const std::string out = (*sink)->out_dir();

  Tick(*dispatcher);
  EXPECT_EQ(MailsIn(out).size(), 0u);
  now_ = Berlin(10, 0);
  Tick(*dispatcher);
  Tick(*dispatcher);
  ASSERT_EQ(MailsIn(out).size(), 1u);
  EXPECT_TRUE(absl::StrContains(
      MailsIn(out)[0],
      absl::StrCat("X-Tandem-Idempotency-Key: ", records[0].idempotency_key)));
  EXPECT_TRUE(absl::StrContains(MailsIn(out)[0], "To: cp-1-A@example.org"));
  now_ = Berlin(12, 30);
  Tick(*dispatcher);
  Tick(*dispatcher);
  EXPECT_EQ(MailsIn(out).size(), 3u);
  for (const ReminderRecord& r : records) {
    const ReminderRecord after = Get(r.row_id);
    EXPECT_EQ(after.status, v1::REMINDER_STATUS_SENT);
    EXPECT_EQ(after.attempt_count, 0);
  }
  EXPECT_EQ(dispatcher->counters().sent, 3);
  EXPECT_EQ(dispatcher->counters().failed, 0);
}

TEST_F(DispatcherTest, SmtpTemporaryFailureIsRetriedAfterBackoff) {
  auto sink =
      PythonServer::Start("smtp_sink.py", dir_.path(), {"--fail-first=1"});
  ASSERT_TRUE(sink.ok()) << sink.status();
  Dispatcher::Channels channels;
  channels[v1::REMINDER_CHANNEL_EMAIL] = Smtp((*sink)->port());
  auto dispatcher = MakeDispatcher(std::move(channels));
  const ReminderRecord r = Enqueue(ContactReminder("cp-1", "fc-1", now_));

  Tick(*dispatcher);
  ReminderRecord failed = Get(r.row_id);
  EXPECT_EQ(failed.status, v1::REMINDER_STATUS_FAILED);
  EXPECT_EQ(failed.last_error_code, "smtp-421");
  EXPECT_EQ(failed.next_attempt_time, now_ + absl::Minutes(1));
  now_ += absl::Seconds(59);
  Tick(*dispatcher);
  EXPECT_EQ(MailsIn((*sink)->out_dir()).size(), 0u);
  now_ += absl::Seconds(1);
  Tick(*dispatcher);
  EXPECT_EQ(MailsIn((*sink)->out_dir()).size(), 1u);
  const ReminderRecord sent = Get(r.row_id);
  EXPECT_EQ(sent.status, v1::REMINDER_STATUS_SENT);
  EXPECT_EQ(sent.attempt_count, 1);
  EXPECT_EQ(dispatcher->counters().failed, 1);
  EXPECT_EQ(dispatcher->counters().sent, 1);
}

TEST_F(DispatcherTest, WebhookSmsRetriesOn503AndGivesUpOn400) {
  auto sink = PythonServer::Start("webhook_sink.py", dir_.path(),
                                  {"--fail-first=1", "--fail-status=503"});
  ASSERT_TRUE(sink.ok()) << sink.status();
  Dispatcher::Channels channels;
  channels[v1::REMINDER_CHANNEL_SMS] = Sms((*sink)->port());
  auto dispatcher = MakeDispatcher(std::move(channels));
  const ReminderRecord r =
      Enqueue(ContactReminder("cp-4", "fc-1", now_, v1::REMINDER_CHANNEL_SMS));
  Tick(*dispatcher);
  EXPECT_EQ(Get(r.row_id).last_error_code, "sms-http-503");
  now_ += absl::Minutes(1);
  Tick(*dispatcher);
  EXPECT_EQ(Get(r.row_id).status, v1::REMINDER_STATUS_SENT);
  const std::string log = (*sink)->out_dir() + "/requests.jsonl";
  EXPECT_EQ(CountLines(log), 2);
  EXPECT_TRUE(absl::StrContains(ReadWholeFile(log), "\"+49304\""));

  std::filesystem::create_directory(dir_.File("b"));
  auto rejecting =
      PythonServer::Start("webhook_sink.py", dir_.File("b"),
                          {"--fail-first=99", "--fail-status=400"});
  ASSERT_TRUE(rejecting.ok()) << rejecting.status();
  Dispatcher::Channels others;
  others[v1::REMINDER_CHANNEL_SMS] = Sms((*rejecting)->port());
  auto second = MakeDispatcher(std::move(others));
  const ReminderRecord bad =
      Enqueue(ContactReminder("cp-5", "fc-1", now_, v1::REMINDER_CHANNEL_SMS));
  Tick(*second);
  const ReminderRecord dead = Get(bad.row_id);
  EXPECT_EQ(dead.status, v1::REMINDER_STATUS_DEAD);
  EXPECT_EQ(dead.last_error_code, "sms-http-400");
  EXPECT_EQ(second->counters().dead, 1);
}

TEST_F(DispatcherTest, QuietHoursDeferToTheMorningOrSuppressTooLate) {
  Dispatcher::Channels channels;
  channels[v1::REMINDER_CHANNEL_FILE] =
      *FileChannel::Create(dir_.File("files"));
  auto dispatcher = MakeDispatcher(std::move(channels));
  // Due at 22:00 (the service was down at 20:00); the event is at noon.
  NewReminder evening =
      ContactReminder("cp-1", "fc-1", Berlin(20, 0), v1::REMINDER_CHANNEL_FILE);
  evening.event_time = Berlin(12, 0, 31);
  const ReminderRecord deferred = Enqueue(evening);
  // The same night, but the event is at 08:30: too late by morning.
  NewReminder early =
      ContactReminder("cp-2", "fc-2", Berlin(20, 0), v1::REMINDER_CHANNEL_FILE);
  early.event_time = Berlin(8, 30, 31);
  const ReminderRecord too_late = Enqueue(early);

  now_ = Berlin(22, 0);
  Tick(*dispatcher);
  EXPECT_EQ(Get(deferred.row_id).status, v1::REMINDER_STATUS_QUEUED);
  EXPECT_EQ(Get(deferred.row_id).due_time, Berlin(8, 0, 31));
  const ReminderRecord suppressed = Get(too_late.row_id);
  EXPECT_EQ(suppressed.status, v1::REMINDER_STATUS_SUPPRESSED);
  EXPECT_EQ(suppressed.suppress_reason, v1::SUPPRESS_REASON_TOO_LATE);

  now_ = Berlin(7, 59, 31);
  Tick(*dispatcher);
  EXPECT_EQ(Get(deferred.row_id).status, v1::REMINDER_STATUS_QUEUED);
  now_ = Berlin(8, 0, 31);
  Tick(*dispatcher);
  EXPECT_EQ(Get(deferred.row_id).status, v1::REMINDER_STATUS_SENT);
  EXPECT_EQ(MailsIn(dir_.File("files")).size(), 1u);
  const DispatcherCounters counters = dispatcher->counters();
  EXPECT_EQ(counters.sent, 1);
  EXPECT_EQ(counters.suppressed, 1);
  EXPECT_EQ(counters.deferred, 1);
}

TEST_F(DispatcherTest, TheLookupSuppressesOrMakesTheReminderWait) {
  Dispatcher::Channels channels;
  channels[v1::REMINDER_CHANNEL_FILE] =
      *FileChannel::Create(dir_.File("files"));
  bool booking_up = false;
  auto lookup = [&](const ReminderRecord& r) -> absl::StatusOr<Destination> {
    if (r.recipient.partner().couple_id() == "cp-2") {
      return Destination::Suppress(v1::SUPPRESS_REASON_OPTED_OUT);
    }
    if (!booking_up) return absl::UnavailableError("booking down");
    return Destination::To("anna@example.org");
  };
  auto dispatcher = MakeDispatcher(std::move(channels), lookup);
  const ReminderRecord waits =
      Enqueue(ContactReminder("cp-1", "fc-1", now_, v1::REMINDER_CHANNEL_FILE));
  const ReminderRecord opted_out =
      Enqueue(ContactReminder("cp-2", "fc-2", now_, v1::REMINDER_CHANNEL_FILE));
  Tick(*dispatcher);
  EXPECT_EQ(Get(opted_out.row_id).suppress_reason,
            v1::SUPPRESS_REASON_OPTED_OUT);
  const ReminderRecord waiting = Get(waits.row_id);
  EXPECT_EQ(waiting.status, v1::REMINDER_STATUS_QUEUED);
  EXPECT_EQ(waiting.attempt_count, 0);
  EXPECT_EQ(waiting.due_time, now_ + absl::Minutes(1));
  booking_up = true;
  now_ += absl::Minutes(1);
  Tick(*dispatcher);
  EXPECT_EQ(Get(waits.row_id).status, v1::REMINDER_STATUS_SENT);
}

TEST_F(DispatcherTest, EveryRecordedOutcomeIsReportedWithItsChannel) {
  Dispatcher::Channels channels;
  channels[v1::REMINDER_CHANNEL_FILE] =
      *FileChannel::Create(dir_.File("files"));
  std::vector<std::string> reported;
  DispatcherOptions options;
  options.on_outcome = [&](v1::ReminderChannel channel,
                           absl::string_view outcome) {
    reported.push_back(
        absl::StrCat(v1::ReminderChannel_Name(channel), " ", outcome));
  };
  auto lookup = [](const ReminderRecord& r) -> absl::StatusOr<Destination> {
    if (r.recipient.partner().couple_id() == "cp-2") {
      return Destination::Suppress(v1::SUPPRESS_REASON_OPTED_OUT);
    }
    if (r.recipient.partner().couple_id() == "cp-3") {
      return absl::UnavailableError("booking down");
    }
    return Destination::To("anna@example.org");
  };
  auto dispatcher = MakeDispatcher(std::move(channels), lookup, options);
  Enqueue(ContactReminder("cp-1", "fc-1", now_, v1::REMINDER_CHANNEL_FILE));
  Enqueue(ContactReminder("cp-2", "fc-2", now_, v1::REMINDER_CHANNEL_FILE));
  Enqueue(ContactReminder("cp-3", "fc-3", now_, v1::REMINDER_CHANNEL_FILE));
  Enqueue(ContactReminder("cp-4", "fc-4", now_, v1::REMINDER_CHANNEL_SMS));
  Tick(*dispatcher);
  std::sort(reported.begin(), reported.end());
  EXPECT_EQ(
      reported,
      (std::vector<std::string>{
          "REMINDER_CHANNEL_FILE deferred", "REMINDER_CHANNEL_FILE sent",
          "REMINDER_CHANNEL_FILE suppressed", "REMINDER_CHANNEL_SMS dead"}));
}

TEST_F(DispatcherTest, AChannelWithoutImplementationIsDead) {
  auto dispatcher = MakeDispatcher({});
  const ReminderRecord r = Enqueue(ContactReminder("cp-1", "fc-1", now_));
  Tick(*dispatcher);
  EXPECT_EQ(Get(r.row_id).status, v1::REMINDER_STATUS_DEAD);
  EXPECT_EQ(Get(r.row_id).last_error_code, "channel-unconfigured");
}

// A renderer that lists the merged reminders' subjects.
absl::StatusOr<RenderedMessage> ListSubjects(
    absl::Span<const ReminderRecord> members) {
  RenderedMessage text{"Reminders", "merged:"};
  for (const ReminderRecord& m : members) {
    absl::StrAppend(&text.body, " ", m.subject_ref);
  }
  return text;
}

TEST_F(DispatcherTest, SameDayRemindersOfAPartnerGoAsOneMessage) {
  const std::string out = dir_.File("merged");
  Dispatcher::Channels channels;
  channels[v1::REMINDER_CHANNEL_FILE] = *FileChannel::Create(out);
  DispatcherOptions options;
  options.merge_renderer = ListSubjects;
  options.merge_horizon = absl::Hours(6);
  auto dispatcher = MakeDispatcher(std::move(channels), TestAddress, options);
  auto file = [](const std::string& couple, const std::string& subject,
                 absl::Time due, absl::Duration lead = absl::Hours(24)) {
    NewReminder r =
        ContactReminder(couple, subject, due, v1::REMINDER_CHANNEL_FILE);
    r.event_time = due + lead;
    return r;
  };
  // cp-1/A: two contacts on 31 March (09:00 and 12:00), reminded 24 h
  // before; one on 1 April; partner B's of the same day; one due too late
  // for the horizon.
  const ReminderRecord first = Enqueue(file("cp-1", "fc-1", now_));
  const ReminderRecord second =
      Enqueue(file("cp-1", "fc-2", now_ + absl::Hours(3)));
  const ReminderRecord next_day = Enqueue(
      file("cp-1", "fc-3", now_ + absl::Hours(2), absl::Hours(24 + 15)));
  const ReminderRecord far = Enqueue(file("cp-1", "fc-4", now_ + absl::Hours(7),
                                          absl::Hours(24) - absl::Hours(7) +
                                              absl::Hours(5)));
  ASSERT_EQ(absl::ToCivilDay(*far.event_time, berlin_),
            absl::CivilDay(2027, 3, 31));
  NewReminder partner_b = file("cp-1", "fc-5", now_ + absl::Hours(1));
  partner_b.recipient.mutable_partner()->set_partner(v1::PARTNER_ROLE_B);
  const ReminderRecord other_partner = Enqueue(partner_b);
  NewReminder intensive = file("cp-1", "in-1", now_ + absl::Hours(1));
  intensive.event = v1::REMINDER_EVENT_INTENSIVE_START;
  const ReminderRecord start = Enqueue(intensive);
  ASSERT_EQ(absl::ToCivilDay(*next_day.event_time, berlin_),
            absl::CivilDay(2027, 4, 1));

  Tick(*dispatcher);
  std::vector<std::string> mails = MailsIn(out);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_TRUE(absl::StrContains(mails[0], "merged: fc-1 in-1 fc-2"))
      << mails[0];
  EXPECT_NE(mails[0].find(MergedIdempotencyKey(
                {second.idempotency_key, first.idempotency_key,
                 start.idempotency_key})),
            std::string::npos);
  for (int64_t id : {first.row_id, second.row_id, start.row_id}) {
    EXPECT_EQ(Get(id).status, v1::REMINDER_STATUS_SENT) << id;
  }
  for (int64_t id : {next_day.row_id, far.row_id, other_partner.row_id}) {
    EXPECT_EQ(Get(id).status, v1::REMINDER_STATUS_QUEUED) << id;
  }
  EXPECT_EQ(dispatcher->counters().sent, 3);

  // Later, each of the others on its own (nothing doubled).
  now_ += absl::Hours(8);
  Tick(*dispatcher);
  EXPECT_EQ(MailsIn(out).size(), 4u);
  EXPECT_EQ(dispatcher->counters().sent, 6);
}

TEST_F(DispatcherTest, ACancelledOneIsNotMergedAndBothDueNowGoOnce) {
  const std::string out = dir_.File("merged");
  Dispatcher::Channels channels;
  channels[v1::REMINDER_CHANNEL_FILE] = *FileChannel::Create(out);
  DispatcherOptions options;
  options.merge_renderer = ListSubjects;
  auto dispatcher = MakeDispatcher(std::move(channels), TestAddress, options);
  // Both due now, claimed in one batch: one message.
  const ReminderRecord a = Enqueue(
      ContactReminder("cp-1", "fc-1", now_, v1::REMINDER_CHANNEL_FILE));
  NewReminder later =
      ContactReminder("cp-1", "fc-2", now_, v1::REMINDER_CHANNEL_FILE);
  *later.event_time += absl::Hours(2);
  const ReminderRecord b = Enqueue(later);
  // cp-2: the second contact was cancelled: the first goes alone, with its
  // own text and key.
  const ReminderRecord c = Enqueue(
      ContactReminder("cp-2", "fc-3", now_, v1::REMINDER_CHANNEL_FILE));
  NewReminder cancelled =
      ContactReminder("cp-2", "fc-4", now_, v1::REMINDER_CHANNEL_FILE);
  *cancelled.event_time += absl::Hours(2);
  const ReminderRecord d = Enqueue(cancelled);
  ASSERT_TRUE(Transaction()([&](Outbox& outbox) {
                return outbox.SuppressPendingForSubject(
                                 "fc-4", v1::SUPPRESS_REASON_SUPERSEDED)
                    .status();
              }).ok());
  Tick(*dispatcher);
  const std::vector<std::string> mails = MailsIn(out);
  ASSERT_EQ(mails.size(), 2u);
  int merged = 0, alone = 0;
  for (const std::string& mail : mails) {
    merged += absl::StrContains(mail, "merged: fc-1 fc-2");
    alone += absl::StrContains(mail, "Hello, see you at fc-3.") &&
             absl::StrContains(mail, c.idempotency_key);
    EXPECT_FALSE(absl::StrContains(mail, "fc-4"));
  }
  EXPECT_EQ(merged, 1);
  EXPECT_EQ(alone, 1);
  EXPECT_EQ(Get(a.row_id).status, v1::REMINDER_STATUS_SENT);
  EXPECT_EQ(Get(b.row_id).status, v1::REMINDER_STATUS_SENT);
  EXPECT_EQ(Get(d.row_id).status, v1::REMINDER_STATUS_SUPPRESSED);
  EXPECT_EQ(dispatcher->counters().sent, 3);
}

TEST_F(DispatcherTest, AMergeThatCannotBeRenderedWaits) {
  Dispatcher::Channels channels;
  channels[v1::REMINDER_CHANNEL_FILE] = *FileChannel::Create(dir_.File("m"));
  DispatcherOptions options;
  options.merge_renderer = [](absl::Span<const ReminderRecord>)
      -> absl::StatusOr<RenderedMessage> {
    return absl::UnavailableError("booking down");
  };
  auto dispatcher = MakeDispatcher(std::move(channels), TestAddress, options);
  const ReminderRecord a = Enqueue(
      ContactReminder("cp-1", "fc-1", now_, v1::REMINDER_CHANNEL_FILE));
  NewReminder later =
      ContactReminder("cp-1", "fc-2", now_ + absl::Hours(1),
                      v1::REMINDER_CHANNEL_FILE);
  *later.event_time += absl::Hours(1);
  Enqueue(later);
  Tick(*dispatcher);
  EXPECT_TRUE(MailsIn(dir_.File("m")).empty());
  const ReminderRecord after = Get(a.row_id);
  EXPECT_EQ(after.status, v1::REMINDER_STATUS_QUEUED);
  EXPECT_EQ(after.attempt_count, 0);
  EXPECT_EQ(after.due_time, now_ + options.lookup_retry);
}

// Sends through `inner`, then dies before the dispatcher can record it.
class DieAfterSend final : public Channel {
 public:
  explicit DieAfterSend(std::unique_ptr<Channel> inner)
      : inner_(std::move(inner)) {}
  SendResult Send(const OutgoingMessage& message) override {
    if (inner_->Send(message).ok()) ::kill(::getpid(), SIGKILL);
    ::_exit(3);
  }

 private:
  std::unique_ptr<Channel> inner_;
};

TEST_F(DispatcherTest, ACrashBetweenSendAndRecordResendsWithTheSameKey) {
  auto sink = PythonServer::Start("webhook_sink.py", dir_.path());
  ASSERT_TRUE(sink.ok()) << sink.status();
  const ReminderRecord r =
      Enqueue(ContactReminder("cp-1", "fc-1", now_, v1::REMINDER_CHANNEL_SMS));
  const ReminderRecord later = Enqueue(ContactReminder(
      "cp-1", "fc-2", now_ + absl::Hours(1), v1::REMINDER_CHANNEL_SMS));

  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The first process: its own connection, killed right after the send.
    auto db = testing::OpenOutboxDb(dir_.File("outbox.db"));
    absl::Mutex mu;
    Dispatcher::Channels channels;
    channels[v1::REMINDER_CHANNEL_SMS] =
        std::make_unique<DieAfterSend>(Sms((*sink)->port()));
    Dispatcher dying(LockedOutboxTransaction(*db, mu), std::move(channels),
                     TestAddress, [this] { return now_; });
    (void)dying.Tick();
    ::_exit(4);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  EXPECT_EQ(Get(r.row_id).status, v1::REMINDER_STATUS_QUEUED);

  // The restarted process sends it again, with the same key, and records it.
  Dispatcher::Channels channels;
  channels[v1::REMINDER_CHANNEL_SMS] = Sms((*sink)->port());
  auto restarted = MakeDispatcher(std::move(channels));
  Tick(*restarted);
  Tick(*restarted);
  const std::string log = (*sink)->out_dir() + "/requests.jsonl";
  const std::vector<std::string> lines =
      absl::StrSplit(ReadWholeFile(log), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u);
  for (const std::string& line : lines) {
    EXPECT_TRUE(absl::StrContains(line, r.idempotency_key)) << line;
  }
  EXPECT_EQ(Get(r.row_id).status, v1::REMINDER_STATUS_SENT);
  EXPECT_EQ(restarted->counters().sent, 1);
  // Nothing due is lost: the later one goes out at its time, once.
  now_ += absl::Hours(1);
  Tick(*restarted);
  Tick(*restarted);
  EXPECT_EQ(Get(later.row_id).status, v1::REMINDER_STATUS_SENT);
  EXPECT_EQ(CountLines(log), 3);
}

TEST_F(DispatcherTest, RunSendsOnWakeAndStops) {
  Dispatcher::Channels channels;
  channels[v1::REMINDER_CHANNEL_FILE] =
      *FileChannel::Create(dir_.File("files"));
  DispatcherOptions options;
  options.poll_interval = absl::Hours(1);  // only Wake() makes it tick again
  auto dispatcher = MakeDispatcher(std::move(channels), TestAddress, options);
  std::thread loop([&] { dispatcher->Run(); });
  // Let the first (empty) tick pass, then enqueue and wake.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  Enqueue(ContactReminder("cp-1", "fc-1", now_, v1::REMINDER_CHANNEL_FILE));
  dispatcher->Wake();
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (dispatcher->counters().sent == 0 && absl::Now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  dispatcher->Stop();
  loop.join();
  EXPECT_EQ(dispatcher->counters().sent, 1);
}

}  // namespace
}  // namespace tandem::followup::delivery
