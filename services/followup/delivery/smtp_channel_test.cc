#include "services/followup/delivery/smtp_channel.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "services/common/test_db.h"
#include "services/followup/delivery/testing/python_server.h"

namespace tandem::followup::delivery {
namespace {

using testing::PythonServer;
using testing::ReadWholeFile;

constexpr char kKey[] = "rk-0123456789abcdef0123456789abcdef";

class SmtpChannelTest : public ::testing::Test {
 protected:
  std::unique_ptr<PythonServer> StartSink(std::vector<std::string> args = {}) {
    auto sink = PythonServer::Start("smtp_sink.py", dir_.path(), args);
    EXPECT_TRUE(sink.ok()) << sink.status();
    return sink.ok() ? *std::move(sink) : nullptr;
  }

  std::unique_ptr<SmtpChannel> Channel(int port) {
    SmtpOptions options;
    options.url = absl::StrCat("smtp://127.0.0.1:", port);
    options.from = "reminders@lindenhof.example";
    options.from_name = "Praxis am Lindenhof";
    options.timeout = absl::Seconds(10);
    auto channel = SmtpChannel::Create(options, [this] { return now_; });
    EXPECT_TRUE(channel.ok()) << channel.status();
    return channel.ok() ? *std::move(channel) : nullptr;
  }

  static OutgoingMessage Message() {
    return {"rn-7", kKey, "anna@example.org", "Reminder: Tuesday 30 March 2027",
            "Hello Jürgen,\n\nsee you at 09:00.\n.\n.leading dot\n"};
  }

  common::TempDir dir_;
  const absl::Time now_ = absl::FromUnixSeconds(1806393600);  // 2027-03-30
};

TEST_F(SmtpChannelTest, TheServerReceivesHeadersBodyAndIdempotencyKey) {
  auto sink = StartSink();
  ASSERT_NE(sink, nullptr);
  auto channel = Channel(sink->port());
  SendResult result = channel->Send(Message());
  ASSERT_TRUE(result.ok()) << result.error_code;

  const std::string out = sink->out_dir();
  EXPECT_EQ(ReadWholeFile(out + "/0001.env"),
            "reminders@lindenhof.example\nanna@example.org\n");
  const std::string mail = ReadWholeFile(out + "/0001.eml");
  const size_t split = mail.find("\r\n\r\n");
  ASSERT_NE(split, std::string::npos) << mail;
  const std::string headers = mail.substr(0, split + 2);
  for (const std::string& line :
       {std::string("Date: Tue, 30 Mar 2027 08:00:00 +0000\r\n"),
        std::string(
            "From: Praxis am Lindenhof <reminders@lindenhof.example>\r\n"),
        std::string("To: anna@example.org\r\n"),
        std::string("Subject: Reminder: Tuesday 30 March 2027\r\n"),
        absl::StrCat("Message-ID: <", kKey, "@lindenhof.example>\r\n"),
        absl::StrCat("X-Tandem-Idempotency-Key: ", kKey, "\r\n"),
        std::string("Content-Type: text/plain; charset=UTF-8\r\n"),
        std::string("Content-Transfer-Encoding: base64\r\n")}) {
    EXPECT_TRUE(absl::StrContains(headers, line)) << line << " in\n" << headers;
  }
  std::string body;
  ASSERT_TRUE(absl::Base64Unescape(
      absl::StrReplaceAll(mail.substr(split + 4), {{"\r\n", ""}}), &body));
  EXPECT_EQ(body, Message().body);
}

TEST_F(SmtpChannelTest, PlainAsciiBodiesGoAs7BitWithDotsIntact) {
  auto sink = StartSink();
  ASSERT_NE(sink, nullptr);
  OutgoingMessage message = Message();
  message.body = "Hello Anna,\n.\n..two dots\nend\n";
  ASSERT_TRUE(Channel(sink->port())->Send(message).ok());
  const std::string mail = ReadWholeFile(sink->out_dir() + "/0001.eml");
  EXPECT_TRUE(absl::StrContains(mail, "Content-Transfer-Encoding: 7bit\r\n"));
  EXPECT_TRUE(
      absl::EndsWith(mail, "\r\n\r\nHello Anna,\r\n.\r\n..two dots\r\nend\r\n"))
      << mail;
}

TEST_F(SmtpChannelTest, A421IsTemporaryAndTheRetryIsDelivered) {
  auto sink = StartSink({"--fail-first=1"});
  ASSERT_NE(sink, nullptr);
  auto channel = Channel(sink->port());
  SendResult first = channel->Send(Message());
  EXPECT_EQ(first.outcome, SendOutcome::kTemporaryFailure);
  EXPECT_EQ(first.error_code, "smtp-421");
  SendResult second = channel->Send(Message());
  EXPECT_TRUE(second.ok()) << second.error_code;
  EXPECT_TRUE(std::filesystem::exists(sink->out_dir() + "/0001.eml"));
  EXPECT_FALSE(std::filesystem::exists(sink->out_dir() + "/0002.eml"));
}

TEST_F(SmtpChannelTest, NoServerIsATemporaryConnectFailure) {
  SendResult result = Channel(1)->Send(Message());
  EXPECT_EQ(result.outcome, SendOutcome::kTemporaryFailure);
  EXPECT_EQ(result.error_code, "smtp-connect");
}

TEST_F(SmtpChannelTest, HeaderValuesCannotInjectLines) {
  OutgoingMessage message = Message();
  message.subject = "Hi\r\nBcc: evil@example.org";
  const std::string text = Channel(1)->BuildMessage(message, now_);
  EXPECT_FALSE(absl::StrContains(text, "\r\nBcc:"));
}

TEST(SmtpOptionsTest, CreateValidates) {
  auto clock = [] { return absl::UnixEpoch(); };
  SmtpOptions options;
  options.url = "http://mail.example.org";
  options.from = "a@b.org";
  EXPECT_EQ(SmtpChannel::Create(options, clock).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.url = "smtps://mail.example.org:465";
  options.from = "not an address";
  EXPECT_EQ(SmtpChannel::Create(options, clock).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.from = "a@b.org";
  EXPECT_TRUE(SmtpChannel::Create(options, clock).ok());
}

}  // namespace
}  // namespace tandem::followup::delivery
