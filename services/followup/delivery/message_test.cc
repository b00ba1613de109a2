#include "services/followup/delivery/message.h"

#include <gtest/gtest.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/time/civil_time.h"

namespace tandem::followup::delivery {
namespace {

namespace v1 = ::tandem::followup::v1;

class MessageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin_));
  }
  absl::Time At(int hour, int minute = 0) const {
    return absl::FromCivil(absl::CivilSecond(2027, 3, 30, hour, minute, 0),
                           berlin_);
  }
  MessageContext Context(std::string first_name = "Anna") const {
    return {std::move(first_name), "Praxis am Lindenhof", "+49 30 1234567",
            berlin_};
  }
  static Appointment Client(v1::ReminderEvent event, absl::Time start,
                            AppointmentMode mode) {
    return {event, start, mode, 1};
  }

  // Every message the service can produce for one recipient and day.
  std::vector<std::vector<Appointment>> AllCombinations() const {
    const v1::ReminderEvent client_events[] = {
        v1::REMINDER_EVENT_INTENSIVE_START,
        v1::REMINDER_EVENT_FOLLOW_UP_CONTACT};
    const AppointmentMode modes[] = {AppointmentMode::kVisit,
                                     AppointmentMode::kPhoneCall};
    std::vector<Appointment> singles;
    for (auto event : client_events) {
      for (auto mode : modes) singles.push_back(Client(event, At(9), mode));
    }
    std::vector<std::vector<Appointment>> out;
    for (const Appointment& a : singles) {
      out.push_back({a});
      for (const Appointment& b : singles) {
        Appointment later = b;
        later.start = At(14, 30);
        out.push_back({a, later});
        Appointment evening = b;
        evening.start = At(18, 15);
        out.push_back({a, later, evening});
      }
    }
    for (int calls : {1, 3}) {
      out.push_back({{v1::REMINDER_EVENT_THERAPIST_CALLS_DUE, At(8, 30),
                      AppointmentMode::kPhoneCall, calls}});
    }
    return out;
  }

  absl::TimeZone berlin_;
};

TEST_F(MessageTest, EveryRenderedTextIsFreeOfForbiddenWords) {
  int rendered = 0;
  for (const std::string& name :
       {std::string("Anna"), std::string(""), std::string("Jürgen"),
        std::string("Łucja"), std::string("Maximiliane-Alexandra-Konstanze")}) {
    for (const auto& items : AllCombinations()) {
      for (auto channel : {v1::REMINDER_CHANNEL_EMAIL, v1::REMINDER_CHANNEL_SMS,
                           v1::REMINDER_CHANNEL_FILE}) {
        absl::StatusOr<RenderedMessage> m =
            RenderMessage(Context(name), items, channel);
        ASSERT_TRUE(m.ok()) << m.status();
        for (const std::string& text : {m->subject, m->body}) {
          EXPECT_EQ(FindForbiddenWord(text), std::nullopt) << text;
          // Belt and braces: scan word by word, case-insensitively.
          const std::string lower = absl::AsciiStrToLower(text);
          for (absl::string_view word : ForbiddenWords()) {
            EXPECT_FALSE(absl::StrContains(lower, word))
                << word << " in " << text;
          }
        }
        ++rendered;
      }
    }
  }
  EXPECT_GT(rendered, 500);
}

TEST_F(MessageTest, TheListCoversWhatTheDomainForbids) {
  for (const char* word :
       {"sex",           "Sexual",          "THERAPY",
        "therapist",     "Intensive",       "couple",
        "partner",       "erectile",        "Urologist",
        "gynaecologist", "gynecology",      "endocrinologist",
        "dysfunction",   "Masters",         "Johnson",
        "sexologist",    "psychotherapist", "sensate focus",
        "your wife",     "clinic",          "Session",
        "diagnosis",     "vaginismus",      "premature",
        "libido",        "pelvic floor"}) {
    EXPECT_NE(FindForbiddenWord(word), std::nullopt) << word;
  }
  EXPECT_EQ(FindForbiddenWord("Praxis am Lindenhof"), std::nullopt);
}

TEST_F(MessageTest, LongFormNamesDayTimeClinicAndPhoneInLocalTime) {
  auto m = RenderMessage(Context(),
                         {Client(v1::REMINDER_EVENT_FOLLOW_UP_CONTACT, At(9),
                                 AppointmentMode::kVisit)},
                         v1::REMINDER_CHANNEL_EMAIL);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->subject, "Reminder: Tuesday 30 March 2027, 09:00");
  EXPECT_EQ(m->body,
            "Hello Anna,\n\nthis is a reminder of your appointment on Tuesday "
            "30 March 2027 at 09:00.\n\nIf the time does not suit you, please "
            "call us on +49 30 1234567.\n\nKind regards\nPraxis am "
            "Lindenhof\n");
}

TEST_F(MessageTest, SameDayRemindersMergeIntoOneMessage) {
  auto m = RenderMessage(Context(),
                         {Client(v1::REMINDER_EVENT_FOLLOW_UP_CONTACT,
                                 At(14, 30), AppointmentMode::kPhoneCall),
                          Client(v1::REMINDER_EVENT_INTENSIVE_START, At(9),
                                 AppointmentMode::kVisit)},
                         v1::REMINDER_CHANNEL_EMAIL);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_TRUE(absl::StrContains(
      m->body,
      "your appointments on Tuesday 30 March 2027 at 09:00 and "
      "14:30 (by phone)."))
      << m->body;

  auto calls = RenderMessage(Context(),
                             {Client(v1::REMINDER_EVENT_FOLLOW_UP_CONTACT,
                                     At(9), AppointmentMode::kPhoneCall),
                              Client(v1::REMINDER_EVENT_FOLLOW_UP_CONTACT,
                                     At(11), AppointmentMode::kPhoneCall)},
                             v1::REMINDER_CHANNEL_SMS);
  EXPECT_EQ(calls->body,
            "Hello Anna, we will call you on Tue 30 Mar 2027 at 09:00 and "
            "11:00. To change: +49 30 1234567. Praxis am Lindenhof");
}

TEST_F(MessageTest, GroupByLocalDaySplitsAtLocalMidnight) {
  const absl::Time late = At(23, 30);
  const absl::Time after_midnight = late + absl::Hours(1);  // 31 March
  std::vector<Appointment> items = {
      Client(v1::REMINDER_EVENT_FOLLOW_UP_CONTACT, after_midnight,
             AppointmentMode::kVisit),
      Client(v1::REMINDER_EVENT_INTENSIVE_START, At(9),
             AppointmentMode::kVisit),
      Client(v1::REMINDER_EVENT_FOLLOW_UP_CONTACT, late,
             AppointmentMode::kPhoneCall)};
  auto days = GroupByLocalDay(items, berlin_);
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0].size(), 2u);
  EXPECT_EQ(days[1].size(), 1u);
  EXPECT_EQ(RenderMessage(Context(), items, v1::REMINDER_CHANNEL_EMAIL)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  for (const auto& day : days) {
    EXPECT_TRUE(RenderMessage(Context(), day, v1::REMINDER_CHANNEL_EMAIL).ok());
  }
}

TEST_F(MessageTest, ClientAndTherapistEventsDoNotMix) {
  EXPECT_FALSE(RenderMessage(Context(),
                             {Client(v1::REMINDER_EVENT_FOLLOW_UP_CONTACT,
                                     At(9), AppointmentMode::kVisit),
                              {v1::REMINDER_EVENT_THERAPIST_CALLS_DUE, At(10),
                               AppointmentMode::kPhoneCall, 2}},
                             v1::REMINDER_CHANNEL_EMAIL)
                   .ok());
  EXPECT_FALSE(RenderMessage(Context(), {}, v1::REMINDER_CHANNEL_EMAIL).ok());
}

TEST_F(MessageTest, SmsFitsOneSegmentWhateverTheNames) {
  const std::string long_name(80, 'x');
  for (const MessageContext& context :
       {Context(), Context(long_name), Context("Łucja"),
        MessageContext{"Anna", std::string(150, 'P'), "+49 30 1234567",
                       berlin_},
        MessageContext{"Anna", "Studio 東京", "+81 3 1234 5678", berlin_}}) {
    for (const auto& items : AllCombinations()) {
      auto m = RenderMessage(context, items, v1::REMINDER_CHANNEL_SMS);
      ASSERT_TRUE(m.ok()) << m.status();
      std::optional<int> septets = GsmSeptets(m->body);
      ASSERT_TRUE(septets.has_value()) << m->body;
      EXPECT_LE(*septets, kMaxSmsSeptets) << m->body;
      // The date, time and phone number always survive.
      EXPECT_TRUE(absl::StrContains(m->body, "30 Mar 2027")) << m->body;
      EXPECT_TRUE(absl::StrContains(
          m->body, items.front().event == v1::REMINDER_EVENT_THERAPIST_CALLS_DUE
                       ? "08:30"
                       : "09:00"))
          << m->body;
    }
  }
  // A non-GSM first name is left out rather than garbled.
  auto m = RenderMessage(Context("Łucja"),
                         {Client(v1::REMINDER_EVENT_INTENSIVE_START, At(9),
                                 AppointmentMode::kVisit)},
                         v1::REMINDER_CHANNEL_SMS);
  EXPECT_TRUE(absl::StartsWith(m->body, "Hello, reminder:")) << m->body;
}

TEST(GsmTest, CountsSeptets) {
  EXPECT_EQ(GsmSeptets("Hello"), 5);
  EXPECT_EQ(GsmSeptets("Jürgen Müller"), 13);
  EXPECT_EQ(GsmSeptets("5 €"), 4);  // the euro sign is an extension: 2
  EXPECT_EQ(GsmSeptets("Łucja"), std::nullopt);
  EXPECT_EQ(GsmSeptets("\xff"), std::nullopt);  // not UTF-8
}

}  // namespace
}  // namespace tandem::followup::delivery
