#include "services/followup/delivery/webhook_sms_channel.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/test_db.h"
#include "services/followup/delivery/testing/python_server.h"

namespace tandem::followup::delivery {
namespace {

using testing::PythonServer;

// The requests the sink recorded, oldest first.
std::vector<nlohmann::json> Requests(const PythonServer& sink) {
  std::vector<nlohmann::json> out;
  for (absl::string_view line : absl::StrSplit(
           testing::ReadWholeFile(sink.out_dir() + "/requests.jsonl"), '\n',
           absl::SkipEmpty())) {
    out.push_back(nlohmann::json::parse(std::string(line)));
  }
  return out;
}

class WebhookSmsChannelTest : public ::testing::Test {
 protected:
  std::unique_ptr<PythonServer> StartSink(std::vector<std::string> args = {}) {
    auto sink = PythonServer::Start("webhook_sink.py", dir_.path(), args);
    EXPECT_TRUE(sink.ok()) << sink.status();
    return sink.ok() ? *std::move(sink) : nullptr;
  }
  static std::unique_ptr<WebhookSmsChannel> Channel(int port) {
    WebhookSmsOptions options;
    options.url = absl::StrCat("http://127.0.0.1:", port, "/v1/sms");
    options.bearer_token = "test-token";
    return *WebhookSmsChannel::Create(options);
  }
  static OutgoingMessage Message() {
    return {"rn-3", "rk-feed", "+4930123456", "unused subject",
            "Hello Jürgen, reminder: appointment on Tue 30 Mar 2027 at 09:00."};
  }

  common::TempDir dir_;
};

TEST_F(WebhookSmsChannelTest, PostsJsonWithBearerTokenAndIdempotencyKey) {
  auto sink = StartSink();
  ASSERT_NE(sink, nullptr);
  SendResult result = Channel(sink->port())->Send(Message());
  ASSERT_TRUE(result.ok()) << result.error_code;
  auto requests = Requests(*sink);
  ASSERT_EQ(requests.size(), 1u);
  const nlohmann::json& r = requests[0];
  EXPECT_EQ(r["path"], "/v1/sms");
  EXPECT_EQ(r["authorization"], "Bearer test-token");
  EXPECT_EQ(r["idempotency_key"], "rk-feed");
  EXPECT_EQ(r["content_type"], "application/json");
  EXPECT_EQ(r["body"], nlohmann::json({{"to", "+4930123456"},
                                       {"text", Message().body},
                                       {"idempotency_key", "rk-feed"}}));
}

TEST_F(WebhookSmsChannelTest, A503IsTemporaryAndTheRetryCarriesTheSameKey) {
  auto sink = StartSink({"--fail-first=2", "--fail-status=503"});
  ASSERT_NE(sink, nullptr);
  auto channel = Channel(sink->port());
  for (int i = 0; i < 2; ++i) {
    SendResult failed = channel->Send(Message());
    EXPECT_EQ(failed.outcome, SendOutcome::kTemporaryFailure);
    EXPECT_EQ(failed.error_code, "sms-http-503");
  }
  EXPECT_TRUE(channel->Send(Message()).ok());
  auto requests = Requests(*sink);
  ASSERT_EQ(requests.size(), 3u);
  for (const auto& r : requests) EXPECT_EQ(r["idempotency_key"], "rk-feed");
  EXPECT_EQ(requests[2]["status"], 200);
}

TEST_F(WebhookSmsChannelTest, A429IsTemporaryA400Permanent) {
  auto busy = StartSink({"--fail-first=1", "--fail-status=429"});
  ASSERT_NE(busy, nullptr);
  EXPECT_EQ(Channel(busy->port())->Send(Message()).outcome,
            SendOutcome::kTemporaryFailure);
  busy.reset();
  auto rejecting = StartSink({"--fail-first=1000", "--fail-status=400"});
  ASSERT_NE(rejecting, nullptr);
  SendResult result = Channel(rejecting->port())->Send(Message());
  EXPECT_EQ(result.outcome, SendOutcome::kPermanentFailure);
  EXPECT_EQ(result.error_code, "sms-http-400");
}

TEST_F(WebhookSmsChannelTest, NoServerIsTemporary) {
  SendResult result = Channel(1)->Send(Message());
  EXPECT_EQ(result.outcome, SendOutcome::kTemporaryFailure);
  EXPECT_EQ(result.error_code, "sms-connect");
}

TEST(WebhookSmsBodyTest, InvalidUtf8IsReplacedNotFatal) {
  OutgoingMessage message{"rn-1", "k", "+1", "", "bad \xff byte"};
  const auto body =
      nlohmann::json::parse(WebhookSmsChannel::BuildBody(message));
  EXPECT_EQ(body["text"], "bad \xEF\xBF\xBD byte");
  EXPECT_FALSE(WebhookSmsChannel::Create(
                   {"ftp://x", "", absl::Seconds(1), absl::Seconds(1)})
                   .ok());
}

}  // namespace
}  // namespace tandem::followup::delivery
