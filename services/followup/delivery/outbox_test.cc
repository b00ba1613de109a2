#include "services/followup/delivery/outbox.h"

#include <gtest/gtest.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/pagination.h"
#include "services/common/test_db.h"
#include "services/followup/delivery/testing/outbox_fixture.h"

namespace tandem::followup::delivery {
namespace {

using testing::ContactReminder;

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenOutboxDb(dir_.File("outbox.db"));
    ASSERT_NE(db_, nullptr);
  }

  ReminderRecord Enqueue(const NewReminder& r) {
    absl::StatusOr<EnqueueResult> result = outbox().Enqueue(r, now_);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->record : ReminderRecord{};
  }

  std::vector<std::string> DueIds(absl::Time at, int limit = 100) {
    absl::StatusOr<std::vector<DueReminder>> due = outbox().ClaimDue(at, limit);
    EXPECT_TRUE(due.ok()) << due.status();
    std::vector<std::string> ids;
    for (const DueReminder& d : *due) ids.push_back(d.record.subject_ref);
    return ids;
  }

  SqliteOutbox outbox() { return SqliteOutbox(*db_); }

  common::TempDir dir_;
  std::unique_ptr<common::Database> db_;
  const absl::Time now_ = absl::FromUnixSeconds(1800000000);
};

TEST_F(OutboxTest, EnqueueIsIdempotentOnTheKey) {
  NewReminder r = ContactReminder("cp-1", "fc-1", now_ + absl::Hours(1));
  auto first = outbox().Enqueue(r, now_);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->record.id, "rn-1");
  EXPECT_EQ(first->record.status, v1::REMINDER_STATUS_QUEUED);

  // The same reminder again (even with another text or due time): no-op.
  r.message.body = "changed";
  r.due_time += absl::Hours(3);
  auto again = outbox().Enqueue(r, now_ + absl::Minutes(5));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->record.id, "rn-1");
  EXPECT_EQ(again->record.due_time, now_ + absl::Hours(1));
  EXPECT_EQ(again->record.create_time, now_);
  EXPECT_EQ(*outbox().Depth(), 1);
  auto due = outbox().ClaimDue(now_ + absl::Hours(5), 10);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->front().message.body, "Hello, see you at fc-1.\n");

  // Another lead time or channel is another reminder.
  r.lead_time = absl::Hours(72);
  EXPECT_TRUE(outbox().Enqueue(r, now_)->created);
  r.channel = v1::REMINDER_CHANNEL_SMS;
  EXPECT_TRUE(outbox().Enqueue(r, now_)->created);
  EXPECT_EQ(*outbox().Depth(), 3);
}

TEST_F(OutboxTest, IdempotencyKeyIsAStableHashOfItsInputs) {
  const std::string key = ReminderIdempotencyKey(
      "cp-3/A", v1::REMINDER_EVENT_FOLLOW_UP_CONTACT, "fc-12", absl::Hours(24),
      v1::REMINDER_CHANNEL_EMAIL);
  // Fixed forever: providers deduplicate on it across releases.
  EXPECT_EQ(key, "rk-66152de1ce779ba617d9ad74fc40925b");
  EXPECT_EQ(key.find("fc-12"), std::string::npos);
  EXPECT_NE(key, ReminderIdempotencyKey(
                     "cp-3/B", v1::REMINDER_EVENT_FOLLOW_UP_CONTACT, "fc-12",
                     absl::Hours(24), v1::REMINDER_CHANNEL_EMAIL));
  EXPECT_NE(key, ReminderIdempotencyKey(
                     "cp-3/A", v1::REMINDER_EVENT_FOLLOW_UP_CONTACT, "fc-12",
                     absl::Hours(72), v1::REMINDER_CHANNEL_EMAIL));
  // A contact that moved is another reminder.
  const absl::Time at = absl::FromUnixSeconds(1800000000);
  const std::string timed = ReminderIdempotencyKey(
      "cp-3/A", v1::REMINDER_EVENT_FOLLOW_UP_CONTACT, "fc-12", absl::Hours(24),
      v1::REMINDER_CHANNEL_EMAIL, at);
  EXPECT_NE(timed, key);
  EXPECT_NE(timed, ReminderIdempotencyKey(
                       "cp-3/A", v1::REMINDER_EVENT_FOLLOW_UP_CONTACT, "fc-12",
                       absl::Hours(24), v1::REMINDER_CHANNEL_EMAIL,
                       at + absl::Hours(1)));
}

TEST_F(OutboxTest, RecipientKeysRoundTrip) {
  v1::RecipientRef partner;
  partner.mutable_partner()->set_couple_id("cp-3");
  partner.mutable_partner()->set_partner(v1::PARTNER_ROLE_B);
  EXPECT_EQ(*RecipientKey(partner), "cp-3/B");
  EXPECT_EQ(ParseRecipientKey("cp-3/B")->partner().partner(),
            v1::PARTNER_ROLE_B);
  v1::RecipientRef therapist;
  therapist.set_therapist_id("th-5");
  EXPECT_EQ(*RecipientKey(therapist), "th-5");
  EXPECT_EQ(ParseRecipientKey("th-5")->therapist_id(), "th-5");
  EXPECT_FALSE(RecipientKey(v1::RecipientRef()).ok());
  EXPECT_FALSE(ParseRecipientKey("cp-3/C").ok());
}

TEST_F(OutboxTest, EnqueueRejectsIncompleteReminders) {
  NewReminder r = ContactReminder("cp-1", "fc-1", now_);
  r.time_zone = "Mars/Olympus";
  EXPECT_EQ(outbox().Enqueue(r, now_).status().code(),
            absl::StatusCode::kInvalidArgument);
  r = ContactReminder("cp-1", "fc-1", now_);
  r.channel = v1::REMINDER_CHANNEL_UNSPECIFIED;
  EXPECT_EQ(outbox().Enqueue(r, now_).status().code(),
            absl::StatusCode::kInvalidArgument);
  r = ContactReminder("cp-1", "fc-1", now_);
  r.message.body.clear();
  EXPECT_EQ(outbox().Enqueue(r, now_).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(OutboxTest, AReminderSuppressedFromTheStartIsListedButNeverDue) {
  NewReminder r = ContactReminder("cp-1", "fc-1", now_);
  r.channel = v1::REMINDER_CHANNEL_UNSPECIFIED;  // no consented channel
  r.message = {};
  r.suppress_reason = v1::SUPPRESS_REASON_NO_CONSENT;
  const ReminderRecord record = Enqueue(r);
  EXPECT_EQ(record.status, v1::REMINDER_STATUS_SUPPRESSED);
  EXPECT_EQ(record.suppress_reason, v1::SUPPRESS_REASON_NO_CONSENT);
  EXPECT_TRUE(DueIds(now_ + absl::Hours(48)).empty());
  EXPECT_EQ(*outbox().Depth(), 0);
  ReminderFilter suppressed;
  suppressed.statuses = {v1::REMINDER_STATUS_SUPPRESSED};
  EXPECT_EQ(outbox().List(suppressed, 10)->items.size(), 1u);
}

TEST_F(OutboxTest, ClaimsDueRemindersEarliestFirstUpToTheLimit) {
  Enqueue(ContactReminder("cp-1", "late", now_ + absl::Minutes(30)));
  Enqueue(ContactReminder("cp-1", "early", now_ + absl::Minutes(10)));
  Enqueue(ContactReminder("cp-1", "future", now_ + absl::Hours(5)));
  Enqueue(ContactReminder("cp-2", "middle", now_ + absl::Minutes(20)));

  EXPECT_TRUE(DueIds(now_).empty());
  EXPECT_EQ(DueIds(now_ + absl::Minutes(10)),
            std::vector<std::string>{"early"});
  EXPECT_EQ(DueIds(now_ + absl::Hours(1)),
            (std::vector<std::string>{"early", "middle", "late"}));
  EXPECT_EQ(DueIds(now_ + absl::Hours(1), 2),
            (std::vector<std::string>{"early", "middle"}));
  // Claiming is reading: nothing changed.
  EXPECT_EQ(*outbox().Depth(), 4);
}

TEST(RetryPolicyTest, BackoffDoublesFromOneMinuteUpToTheCap) {
  RetryPolicy policy{.max_attempts = 10,
                     .initial_backoff = absl::Minutes(1),
                     .max_backoff = absl::Minutes(10)};
  std::vector<absl::Duration> waits;
  for (int attempt = 1; attempt <= 6; ++attempt) {
    waits.push_back(policy.BackoffAfter(attempt));
  }
  EXPECT_EQ(waits,
            (std::vector<absl::Duration>{
                absl::Minutes(1), absl::Minutes(2), absl::Minutes(4),
                absl::Minutes(8), absl::Minutes(10), absl::Minutes(10)}));
  EXPECT_EQ(policy.BackoffAfter(1000), absl::Minutes(10));
}

TEST_F(OutboxTest, FailuresRetryOnTheBackoffScheduleThenGoDead) {
  const RetryPolicy policy{.max_attempts = 4,
                           .initial_backoff = absl::Minutes(1),
                           .max_backoff = absl::Hours(1)};
  const ReminderRecord r = Enqueue(ContactReminder("cp-1", "fc-1", now_));
  absl::Time t = now_;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto failed = outbox().MarkFailed(r.row_id, "smtp-421", false, policy, t);
    ASSERT_TRUE(failed.ok()) << failed.status();
    EXPECT_EQ(failed->status, v1::REMINDER_STATUS_FAILED);
    EXPECT_EQ(failed->attempt_count, attempt);
    EXPECT_EQ(failed->last_error_code, "smtp-421");
    const absl::Time next = t + absl::Minutes(1 << (attempt - 1));
    EXPECT_EQ(failed->next_attempt_time, next);
    EXPECT_TRUE(DueIds(next - absl::Seconds(1)).empty());
    EXPECT_EQ(DueIds(next).size(), 1u);
    t = next;
  }
  auto dead = outbox().MarkFailed(r.row_id, "smtp-451", false, policy, t);
  ASSERT_TRUE(dead.ok()) << dead.status();
  EXPECT_EQ(dead->status, v1::REMINDER_STATUS_DEAD);
  EXPECT_EQ(dead->attempt_count, 4);
  EXPECT_EQ(dead->last_error_code, "smtp-451");
  EXPECT_FALSE(dead->next_attempt_time.has_value());
  EXPECT_TRUE(DueIds(t + absl::Hours(100)).empty());
  EXPECT_EQ(*outbox().Depth(), 0);
  // A dead reminder is final: another failure report changes nothing.
  EXPECT_EQ(outbox().MarkFailed(r.row_id, "x", false, policy, t)->attempt_count,
            4);
}

TEST_F(OutboxTest, PermanentFailureIsDeadAtOnce) {
  const ReminderRecord r = Enqueue(ContactReminder("cp-1", "fc-1", now_));
  auto dead =
      outbox().MarkFailed(r.row_id, "sms-http-400", true, RetryPolicy{}, now_);
  EXPECT_EQ(dead->status, v1::REMINDER_STATUS_DEAD);
  EXPECT_EQ(dead->attempt_count, 1);
}

TEST_F(OutboxTest, SentIsFinalKeepsTheFirstSendTimeAndDropsTheText) {
  const ReminderRecord r = Enqueue(ContactReminder("cp-1", "fc-1", now_));
  auto sent = outbox().MarkSent(r.row_id, now_ + absl::Minutes(1));
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->status, v1::REMINDER_STATUS_SENT);
  EXPECT_EQ(sent->send_time, now_ + absl::Minutes(1));
  // A re-send after a crash is recorded once.
  EXPECT_EQ(outbox().MarkSent(r.row_id, now_ + absl::Minutes(9))->send_time,
            now_ + absl::Minutes(1));
  auto text = *db_->Prepare("SELECT COUNT(*) FROM reminder_messages");
  ASSERT_TRUE(*text.Step());
  EXPECT_EQ(text.ColumnInt64(0), 0);
  EXPECT_EQ(outbox().MarkSent(99, now_).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(OutboxTest, SuppressPendingForSubjectLeavesFinalAndOtherSubjects) {
  const ReminderRecord sent = Enqueue(ContactReminder("cp-1", "in-4", now_));
  ASSERT_TRUE(outbox().MarkSent(sent.row_id, now_).ok());
  NewReminder partner_b = ContactReminder("cp-1", "in-4", now_);
  partner_b.recipient.mutable_partner()->set_partner(v1::PARTNER_ROLE_B);
  const ReminderRecord queued = Enqueue(partner_b);
  NewReminder retry = ContactReminder("cp-1", "in-4", now_);
  retry.lead_time = absl::Hours(72);
  const ReminderRecord failed = Enqueue(retry);
  ASSERT_TRUE(
      outbox()
          .MarkFailed(failed.row_id, "sms-timeout", false, RetryPolicy{}, now_)
          .ok());
  Enqueue(ContactReminder("cp-2", "in-5", now_));

  auto count = outbox().SuppressPendingForSubject(
      "in-4", v1::SUPPRESS_REASON_SUPERSEDED);
  ASSERT_TRUE(count.ok()) << count.status();
  EXPECT_EQ(*count, 2);
  EXPECT_EQ(outbox().Get(sent.row_id)->status, v1::REMINDER_STATUS_SENT);
  for (int64_t id : {queued.row_id, failed.row_id}) {
    auto r = outbox().Get(id);
    EXPECT_EQ(r->status, v1::REMINDER_STATUS_SUPPRESSED);
    EXPECT_EQ(r->suppress_reason, v1::SUPPRESS_REASON_SUPERSEDED);
    EXPECT_FALSE(r->next_attempt_time.has_value());
  }
  EXPECT_EQ(DueIds(now_ + absl::Hours(9)), std::vector<std::string>{"in-5"});
  EXPECT_EQ(*outbox().Depth(), 1);
  EXPECT_EQ(outbox()
                .MarkSuppressed(queued.row_id, v1::SUPPRESS_REASON_OPTED_OUT)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

// A calls-due reminder of one therapist and day, `count` calls.
NewReminder CallsDue(const std::string& therapist, int count, absl::Time due) {
  NewReminder r;
  r.recipient.set_therapist_id(therapist);
  r.channel = v1::REMINDER_CHANNEL_FILE;
  r.event = v1::REMINDER_EVENT_THERAPIST_CALLS_DUE;
  r.subject_ref = "2027-03-28";
  r.lead_time = absl::Hours(12);
  r.event_time = due + absl::Hours(12);
  r.time_zone = "Europe/Berlin";
  r.due_time = due;
  r.message.subject = "Calls";
  r.message.body = absl::StrCat(count, " calls\n");
  r.key_variant = absl::StrCat(count);
  return r;
}

TEST_F(OutboxTest, TheKeyVariantMakesAnotherReminder) {
  EXPECT_EQ(ReminderIdempotencyKey("cp-3/A",
                                   v1::REMINDER_EVENT_FOLLOW_UP_CONTACT,
                                   "fc-12", absl::Hours(24),
                                   v1::REMINDER_CHANNEL_EMAIL, std::nullopt,
                                   ""),
            "rk-66152de1ce779ba617d9ad74fc40925b");  // unchanged without one
  const ReminderRecord two = Enqueue(CallsDue("th-1", 2, now_));
  const ReminderRecord three = Enqueue(CallsDue("th-1", 3, now_));
  EXPECT_NE(two.idempotency_key, three.idempotency_key);
  EXPECT_NE(two.row_id, three.row_id);
  EXPECT_FALSE(outbox().Enqueue(CallsDue("th-1", 3, now_), now_)->created);
}

TEST(MergedIdempotencyKeyTest, DependsOnTheSetNotItsOrder) {
  const std::string key = MergedIdempotencyKey({"rk-1", "rk-2"});
  EXPECT_EQ(key.substr(0, 3), "rm-");
  EXPECT_EQ(key.size(), 3u + 32u);
  EXPECT_EQ(MergedIdempotencyKey({"rk-2", "rk-1"}), key);
  EXPECT_NE(MergedIdempotencyKey({"rk-1"}), key);
  EXPECT_NE(MergedIdempotencyKey({"rk-1", "rk-3"}), key);
}

TEST_F(OutboxTest, PendingForListsOneRecipientsReadyRemindersOfAChannel) {
  const ReminderRecord a = Enqueue(ContactReminder("cp-1", "fc-1", now_));
  const ReminderRecord b =
      Enqueue(ContactReminder("cp-1", "fc-2", now_ + absl::Hours(2)));
  Enqueue(ContactReminder("cp-1", "fc-3", now_ + absl::Hours(9)));
  Enqueue(ContactReminder("cp-2", "fc-4", now_));
  Enqueue(ContactReminder("cp-1", "fc-5", now_, v1::REMINDER_CHANNEL_SMS));
  const ReminderRecord sent = Enqueue(ContactReminder("cp-1", "fc-6", now_));
  ASSERT_TRUE(outbox().MarkSent(sent.row_id, now_).ok());
  auto pending = outbox().PendingFor("cp-1/A", v1::REMINDER_CHANNEL_EMAIL,
                                     now_ + absl::Hours(3));
  ASSERT_TRUE(pending.ok()) << pending.status();
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].row_id, a.row_id);
  EXPECT_EQ((*pending)[1].row_id, b.row_id);
  // Same local day of the event only, never the lead itself, never a
  // therapist's calls due.
  EXPECT_EQ(SameDayCompanions(a, *pending).size(), 1u);
  ReminderRecord lead = a;
  *lead.event_time += absl::Hours(24);
  EXPECT_TRUE(SameDayCompanions(lead, *pending).empty());
  lead = a;
  lead.event = v1::REMINDER_EVENT_THERAPIST_CALLS_DUE;
  EXPECT_TRUE(SameDayCompanions(lead, *pending).empty());
}

TEST_F(OutboxTest, SuppressPendingForRecipientLeavesOthersAndKeptKeys) {
  const ReminderRecord old_count = Enqueue(CallsDue("th-1", 2, now_));
  const ReminderRecord new_count = Enqueue(CallsDue("th-1", 3, now_));
  const ReminderRecord colleague = Enqueue(CallsDue("th-2", 1, now_));
  const ReminderRecord other_day = Enqueue([&] {
    NewReminder r = CallsDue("th-1", 1, now_);
    r.subject_ref = "2027-03-29";
    return r;
  }());
  auto count = outbox().SuppressPendingForRecipient(
      "th-1", "2027-03-28", v1::SUPPRESS_REASON_SUPERSEDED,
      {new_count.idempotency_key});
  ASSERT_TRUE(count.ok()) << count.status();
  EXPECT_EQ(*count, 1);
  EXPECT_EQ(outbox().Get(old_count.row_id)->status,
            v1::REMINDER_STATUS_SUPPRESSED);
  EXPECT_EQ(outbox().Get(old_count.row_id)->suppress_reason,
            v1::SUPPRESS_REASON_SUPERSEDED);
  for (int64_t id : {new_count.row_id, colleague.row_id, other_day.row_id}) {
    EXPECT_EQ(outbox().Get(id)->status, v1::REMINDER_STATUS_QUEUED) << id;
  }
  // Without keys: all of them; final ones are left alone.
  ASSERT_TRUE(outbox().MarkSent(colleague.row_id, now_).ok());
  EXPECT_EQ(*outbox().SuppressPendingForRecipient(
                "th-1", "2027-03-28", v1::SUPPRESS_REASON_SUPERSEDED),
            1);
  EXPECT_EQ(*outbox().SuppressPendingForRecipient(
                "th-2", "2027-03-28", v1::SUPPRESS_REASON_SUPERSEDED),
            0);
  EXPECT_EQ(outbox().Get(colleague.row_id)->status, v1::REMINDER_STATUS_SENT);
  EXPECT_EQ(outbox()
                .SuppressPendingForRecipient("th-1", "2027-03-28",
                                             v1::SUPPRESS_REASON_UNSPECIFIED)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(OutboxTest, DeferMovesThePendingSendTimeWithoutAnAttempt) {
  const ReminderRecord r = Enqueue(ContactReminder("cp-1", "fc-1", now_));
  auto deferred = outbox().Defer(r.row_id, now_ + absl::Hours(10));
  EXPECT_EQ(deferred->due_time, now_ + absl::Hours(10));
  EXPECT_EQ(deferred->attempt_count, 0);
  EXPECT_TRUE(DueIds(now_ + absl::Hours(9)).empty());
  EXPECT_EQ(DueIds(now_ + absl::Hours(10)).size(), 1u);
}

TEST_F(OutboxTest, ListFiltersAndPaginatesWithTokens) {
  for (int i = 1; i <= 7; ++i) {
    NewReminder r =
        ContactReminder(i % 2 ? "cp-1" : "cp-2", absl::StrCat("fc-", i), now_);
    Enqueue(r);
  }
  ASSERT_TRUE(outbox().MarkSent(3, now_).ok());

  std::vector<std::string> seen;
  common::PageCursor cursor;
  int pages = 0;
  while (true) {
    auto page = outbox().List({}, 3, cursor);
    ASSERT_TRUE(page.ok()) << page.status();
    ++pages;
    for (const ReminderRecord& r : page->items) seen.push_back(r.id);
    if (!page->next) break;
    // Through an opaque token, as the RPC does.
    const std::string token =
        common::EncodePageToken(Outbox::kListScope, *page->next);
    cursor = *common::DecodePageToken(Outbox::kListScope, token);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{"rn-1", "rn-2", "rn-3", "rn-4",
                                            "rn-5", "rn-6", "rn-7"}));

  ReminderFilter by_couple;
  by_couple.person = "cp-2";
  EXPECT_EQ(outbox().List(by_couple, 100)->items.size(), 3u);
  by_couple.person = "cp-20";  // not a prefix match
  EXPECT_EQ(outbox().List(by_couple, 100)->items.size(), 0u);
  ReminderFilter sent;
  sent.statuses = {v1::REMINDER_STATUS_SENT};
  auto sent_page = outbox().List(sent, 100);
  ASSERT_EQ(sent_page->items.size(), 1u);
  EXPECT_EQ(sent_page->items[0].subject_ref, "fc-3");
  ReminderFilter subject;
  subject.subject_ref = "fc-6";
  subject.statuses = {v1::REMINDER_STATUS_QUEUED};
  EXPECT_EQ(outbox().List(subject, 100)->items.size(), 1u);
  ReminderFilter later;
  later.due_after = now_ + absl::Minutes(1);
  EXPECT_EQ(outbox().List(later, 100)->items.size(), 0u);
}

TEST_F(OutboxTest, SuppressingForAMovedEventKeepsTheCurrentTimesReminders) {
  const NewReminder before = ContactReminder("cp-1", "fc-7", now_);
  const ReminderRecord old_time = Enqueue(before);
  NewReminder moved = ContactReminder("cp-1", "fc-7", now_ + absl::Hours(5));
  const ReminderRecord new_time = Enqueue(moved);
  EXPECT_NE(old_time.idempotency_key, new_time.idempotency_key);
  ASSERT_EQ(*outbox().SuppressPendingForSubject(
                "fc-7", v1::SUPPRESS_REASON_SUPERSEDED, moved.event_time),
            1);
  EXPECT_EQ(outbox().Get(old_time.row_id)->status,
            v1::REMINDER_STATUS_SUPPRESSED);
  EXPECT_EQ(outbox().Get(new_time.row_id)->status, v1::REMINDER_STATUS_QUEUED);
}

TEST_F(OutboxTest, ASupersededReminderPlannedAgainIsQueuedAgain) {
  // 2 calls, then 3 (2 superseded), then 2 again.
  const ReminderRecord two = Enqueue(CallsDue("th-1", 2, now_));
  const ReminderRecord three = Enqueue(CallsDue("th-1", 3, now_));
  ASSERT_EQ(*outbox().SuppressPendingForRecipient(
                "th-1", "2027-03-28", v1::SUPPRESS_REASON_SUPERSEDED,
                {three.idempotency_key}),
            1);
  NewReminder again = CallsDue("th-1", 2, now_);
  again.due_time = now_ + absl::Hours(1);  // planned later, same event
  again.message.body = "2 calls again\n";
  auto revived = outbox().Enqueue(again, now_);
  ASSERT_TRUE(revived.ok()) << revived.status();
  EXPECT_FALSE(revived->created);
  EXPECT_TRUE(revived->revived);
  EXPECT_EQ(revived->record.row_id, two.row_id);
  EXPECT_EQ(revived->record.status, v1::REMINDER_STATUS_QUEUED);
  EXPECT_EQ(revived->record.due_time, now_ + absl::Hours(1));
  ASSERT_EQ(*outbox().SuppressPendingForRecipient(
                "th-1", "2027-03-28", v1::SUPPRESS_REASON_SUPERSEDED,
                {two.idempotency_key}),
            1);
  auto due = outbox().ClaimDue(now_ + absl::Hours(2), 10);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->front().message.body, "2 calls again\n");
  // A sent one, or one suppressed for another reason, stays as it is.
  ASSERT_TRUE(outbox().MarkSent(two.row_id, now_).ok());
  EXPECT_FALSE(outbox().Enqueue(again, now_)->revived);
  NewReminder opted = ContactReminder("cp-1", "fc-1", now_);
  const ReminderRecord out = Enqueue(opted);
  ASSERT_TRUE(
      outbox().MarkSuppressed(out.row_id, v1::SUPPRESS_REASON_OPTED_OUT).ok());
  EXPECT_FALSE(outbox().Enqueue(opted, now_)->revived);
  EXPECT_EQ(outbox().Get(out.row_id)->status, v1::REMINDER_STATUS_SUPPRESSED);
}

TEST_F(OutboxTest, RecordsConvertToTheApiResource) {
  const ReminderRecord r = Enqueue(ContactReminder("cp-1", "fc-1", now_));
  auto failed =
      outbox().MarkFailed(r.row_id, "smtp-421", false, RetryPolicy{}, now_);
  const v1::Reminder proto = failed->ToProto();
  EXPECT_EQ(proto.id(), "rn-1");
  EXPECT_EQ(proto.recipient().partner().couple_id(), "cp-1");
  EXPECT_EQ(proto.status(), v1::REMINDER_STATUS_FAILED);
  EXPECT_EQ(proto.lead_time().seconds(), 24 * 3600);
  EXPECT_EQ(proto.attempt_count(), 1);
  EXPECT_EQ(proto.last_error_code(), "smtp-421");
  EXPECT_EQ(proto.next_attempt_time().seconds(), 1800000000 + 60);
  EXPECT_EQ(proto.idempotency_key(), r.idempotency_key);
  EXPECT_FALSE(proto.has_send_time());
}

}  // namespace
}  // namespace tandem::followup::delivery
