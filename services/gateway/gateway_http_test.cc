// The HTTP surface and the forwarder together, in process, in front of a
// fake generic gRPC backend: what the backend receives (only the token and
// the deadline), what the browser gets back (frames as they come, the
// backend's status, message, details and trailing metadata), deadlines and
// shutdown. The real services are in tests/integration.
#include "services/gateway/gateway_http.h"

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <array>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/gateway/grpc_web_frames.h"

namespace tandem::gateway {
namespace {

constexpr char kService[] = "/tandem.directory.v1.DirectoryService/";

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  (void)buffer.Dump(&slices);
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

// What the fake backend saw of the last call.
struct Seen {
  std::multimap<std::string, std::string> metadata;
  absl::Duration deadline_in;  // deadline - arrival
};

// Methods: Stream (three messages "<request>-0..2", then OK), Fail
// (FAILED_PRECONDITION with details and trailing metadata), Hang (waits for
// the cancel or the deadline), OneThenHang (one message, then Hang).
class FakeBackend final : public grpc::CallbackGenericService {
 public:
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    return new Reactor(this, context);
  }

  Seen last() {
    absl::MutexLock lock(&mu_);
    return seen_;
  }

 private:
  class Reactor final : public grpc::ServerGenericBidiReactor {
   public:
    Reactor(FakeBackend* backend, grpc::GenericCallbackServerContext* context)
        : backend_(backend), context_(context) {
      StartRead(&request_);
    }

    void OnReadDone(bool ok) override {
      if (!ok) return Done(grpc::Status(grpc::StatusCode::INTERNAL, "no message"));
      {
        absl::MutexLock lock(&backend_->mu_);
        backend_->seen_.metadata.clear();
        for (const auto& [key, value] : context_->client_metadata()) {
          backend_->seen_.metadata.emplace(std::string(key.data(), key.size()),
                                           std::string(value.data(), value.size()));
        }
        backend_->seen_.deadline_in =
            absl::FromChrono(context_->deadline()) - absl::Now();
      }
      payload_ = Flatten(request_);
      const std::string& method = context_->method();
      if (absl::EndsWith(method, "/Stream")) {
        remaining_ = 3;
        WriteNext();
      } else if (absl::EndsWith(method, "/OneThenHang")) {
        remaining_ = 1;
        hang_after_writes_ = true;
        WriteNext();
      } else if (absl::EndsWith(method, "/Fail")) {
        context_->AddTrailingMetadata("x-trace", "abc");
        context_->AddTrailingMetadata("x-blob-bin", std::string("\x01\x02", 2));
        Done(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          "room rm-2: 100% booked \xc3\xbc",
                          std::string("details\0bytes", 13)));
      } else if (absl::EndsWith(method, "/Hang")) {
        // Until OnCancel (deadline or the gateway's cancel).
      } else {
        Done(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, ""));
      }
    }

    void OnWriteDone(bool ok) override {
      if (!ok) return Done(grpc::Status::CANCELLED);
      if (--remaining_ > 0) return WriteNext();
      if (!hang_after_writes_) Done(grpc::Status::OK);
    }

    void OnCancel() override { Done(grpc::Status::CANCELLED); }
    void OnDone() override { delete this; }

   private:
    void WriteNext() {
      const std::string text = absl::StrCat(payload_, "-", written_++);
      grpc::Slice slice(text.data(), text.size());
      response_ = grpc::ByteBuffer(&slice, 1);
      StartWrite(&response_);
    }
    void Done(const grpc::Status& status) {
      absl::MutexLock lock(&mu_);
      if (finished_) return;
      finished_ = true;
      Finish(status);
    }

    FakeBackend* const backend_;
    grpc::GenericCallbackServerContext* const context_;
    grpc::ByteBuffer request_, response_;
    std::string payload_;
    int remaining_ = 0;
    int written_ = 0;
    bool hang_after_writes_ = false;
    absl::Mutex mu_;
    bool finished_ = false;
  };

  absl::Mutex mu_;
  Seen seen_ ABSL_GUARDED_BY(mu_);
};

struct Reply {
  std::vector<std::string> messages;
  std::map<std::string, std::string> trailer;
  int status() const {
    int code = -1;
    auto it = trailer.find("grpc-status");
    return it != trailer.end() && absl::SimpleAtoi(it->second, &code) ? code : -1;
  }
};

::testing::AssertionResult Parse(absl::string_view body, Reply* reply) {
  while (!body.empty()) {
    if (body.size() < 5) return ::testing::AssertionFailure() << "short header";
    const uint8_t flag = static_cast<uint8_t>(body[0]);
    uint32_t length = 0;
    for (int i = 1; i <= 4; ++i) length = (length << 8) | static_cast<uint8_t>(body[i]);
    if (body.size() - 5 < length) return ::testing::AssertionFailure() << "short frame";
    const absl::string_view payload = body.substr(5, length);
    body.remove_prefix(5 + length);
    if (flag == kMessageFlag) {
      if (!reply->trailer.empty()) return ::testing::AssertionFailure() << "data after trailer";
      reply->messages.emplace_back(payload);
      continue;
    }
    if (flag != kTrailerFlag) return ::testing::AssertionFailure() << "bad flag";
    for (absl::string_view line : absl::StrSplit(payload, "\r\n", absl::SkipEmpty())) {
      const size_t colon = line.find(": ");
      if (colon == absl::string_view::npos) return ::testing::AssertionFailure() << line;
      reply->trailer[std::string(line.substr(0, colon))] = std::string(line.substr(colon + 2));
    }
  }
  if (reply->trailer.empty()) return ::testing::AssertionFailure() << "no trailer";
  return ::testing::AssertionSuccess();
}

class GatewayHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &backend_port_);
    builder.RegisterCallbackGenericService(&backend_);
    backend_server_ = builder.BuildAndStart();
    ASSERT_NE(backend_server_, nullptr);
    StartGateway(ForwarderOptions());
  }

  void StartGateway(ForwarderOptions options) {
    auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", backend_port_),
                                       grpc::InsecureChannelCredentials());
    forwarder_ = std::make_unique<GrpcWebForwarder>(
        std::array<std::shared_ptr<grpc::Channel>, kBackendCount>{
            channel, channel, channel, channel},
        options);
    http_ = std::make_unique<httplib::Server>();
    InstallRoutes({.files = &files_, .forwarder = forwarder_.get()}, *http_);
    port_ = http_->bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    serving_ = std::thread([this] { http_->listen_after_bind(); });
    while (!http_->is_running()) absl::SleepFor(absl::Milliseconds(1));
  }

  void StopGateway() {
    forwarder_->Shutdown();
    http_->stop();
    serving_.join();
  }

  void TearDown() override {
    StopGateway();
    backend_server_->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
  }

  httplib::Result Call(const std::string& method, const std::string& message,
                       httplib::Headers headers = {}) {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(10);
    return client.Post(absl::StrCat(kService, method).c_str(), headers,
                       EncodeFrame(kMessageFlag, message),
                       "application/grpc-web+proto");
  }

  FakeBackend backend_;
  std::unique_ptr<grpc::Server> backend_server_;
  StaticFiles files_{"/nonexistent"};
  std::unique_ptr<GrpcWebForwarder> forwarder_;
  std::unique_ptr<httplib::Server> http_;
  int backend_port_ = 0;
  int port_ = 0;
  std::thread serving_;
};

TEST_F(GatewayHttpTest, ServerStreamBecomesDataFramesThenTrailer) {
  httplib::Result result = Call("Stream", "req");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/grpc-web+proto");
  Reply reply;
  ASSERT_TRUE(Parse(result->body, &reply));
  EXPECT_EQ(reply.messages, (std::vector<std::string>{"req-0", "req-1", "req-2"}));
  EXPECT_EQ(reply.status(), 0);
  EXPECT_EQ(reply.trailer.count("grpc-message"), 0u);
}

TEST_F(GatewayHttpTest, FramesReachTheBrowserAsTheyArrive) {
  // One message, then the backend holds the stream until the deadline
  // (1.5 s): the message must arrive well before the stream ends.
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(10);
  httplib::Request request;
  request.method = "POST";
  request.path = absl::StrCat(kService, "OneThenHang");
  request.headers = {{"grpc-timeout", "1500m"},
                     {"Content-Type", "application/grpc-web+proto"}};
  request.body = EncodeFrame(kMessageFlag, "live");
  const absl::Time start = absl::Now();
  std::optional<absl::Duration> first_bytes_after;
  std::string body;
  request.content_receiver = [&](const char* data, size_t length,
                                 uint64_t /*offset*/, uint64_t /*total*/) {
    if (!first_bytes_after.has_value()) first_bytes_after = absl::Now() - start;
    body.append(data, length);
    return true;
  };
  httplib::Result result = client.send(request);
  const absl::Duration total = absl::Now() - start;
  ASSERT_TRUE(result);
  EXPECT_EQ(result->get_header_value("Transfer-Encoding"), "chunked");
  ASSERT_TRUE(first_bytes_after.has_value());
  EXPECT_LT(*first_bytes_after, absl::Milliseconds(1000));
  EXPECT_GE(total, absl::Milliseconds(1400));
  Reply reply;
  ASSERT_TRUE(Parse(body, &reply));
  EXPECT_EQ(reply.messages, (std::vector<std::string>{"live-0"}));
  EXPECT_EQ(reply.status(), 4);  // DEADLINE_EXCEEDED
}

TEST_F(GatewayHttpTest, ErrorsKeepMessageDetailsAndTrailingMetadata) {
  httplib::Result result = Call("Fail", "x");
  ASSERT_TRUE(result);
  Reply reply;
  ASSERT_TRUE(Parse(result->body, &reply));
  EXPECT_TRUE(reply.messages.empty());
  EXPECT_EQ(reply.status(), 9);
  EXPECT_EQ(reply.trailer["grpc-message"], "room rm-2: 100%25 booked %C3%BC");
  EXPECT_EQ(reply.trailer["x-trace"], "abc");
  EXPECT_EQ(reply.trailer["x-blob-bin"], "AQI=");
  std::string details;
  ASSERT_TRUE(absl::Base64Unescape(reply.trailer["grpc-status-details-bin"], &details));
  EXPECT_EQ(details, std::string("details\0bytes", 13));
}

TEST_F(GatewayHttpTest, OnlyTheTokenAndTheDeadlineReachTheBackend) {
  httplib::Result result =
      Call("Stream", "m",
           {{"Authorization", "Bearer tok.en"},
            {"Cookie", "session=secret"},
            {"X-Custom", "1"},
            {"X-Grpc-Web", "1"},
            {"X-Forwarded-For", "10.0.0.1"},
            {"grpc-timeout", "5S"}});
  ASSERT_TRUE(result);
  const Seen seen = backend_.last();
  auto token = seen.metadata.find("authorization");
  ASSERT_NE(token, seen.metadata.end());
  EXPECT_EQ(token->second, "Bearer tok.en");
  for (const char* name : {"cookie", "x-custom", "x-grpc-web", "x-forwarded-for"}) {
    EXPECT_EQ(seen.metadata.count(name), 0u) << name;
  }
  EXPECT_GT(seen.deadline_in, absl::Seconds(3));
  // gRPC rounds the timeout it sends up a little.
  EXPECT_LE(seen.deadline_in, absl::Milliseconds(5500));
}

TEST_F(GatewayHttpTest, AnAuthorizationGrpcCannotCarryIsDropped) {
  httplib::Result result =
      Call("Stream", "m", {{"Authorization", "Bearer caf\xc3\xa9"}});
  ASSERT_TRUE(result);
  Reply reply;
  ASSERT_TRUE(Parse(result->body, &reply));
  // The call itself went through, without the header.
  EXPECT_EQ(reply.status(), 0);
  EXPECT_FALSE(backend_.last().metadata.empty());
  EXPECT_EQ(backend_.last().metadata.count("authorization"), 0u);
}

TEST_F(GatewayHttpTest, WithoutATokenNoneIsSentAndTheDeadlineIs30s) {
  ASSERT_TRUE(Call("Stream", "m"));
  const Seen seen = backend_.last();
  EXPECT_EQ(seen.metadata.count("authorization"), 0u);
  EXPECT_GT(seen.deadline_in, absl::Seconds(25));
  EXPECT_LE(seen.deadline_in, absl::Milliseconds(30500));
}

TEST_F(GatewayHttpTest, AskedDeadlinesAreCapped) {
  StopGateway();
  ForwarderOptions options;
  options.max_timeout = absl::Seconds(10);
  StartGateway(options);
  ASSERT_TRUE(Call("Stream", "m", {{"grpc-timeout", "2H"}}));
  EXPECT_LE(backend_.last().deadline_in, absl::Milliseconds(10500));
  EXPECT_GT(backend_.last().deadline_in, absl::Seconds(8));
}

TEST_F(GatewayHttpTest, ShutdownCancelsOpenCallsAndRefusesNewOnes) {
  std::optional<httplib::Result> hung;
  std::thread caller([&] { hung = Call("Hang", "m"); });
  // Wait until the backend holds the call.
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (backend_.last().metadata.empty() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  const absl::Time start = absl::Now();
  forwarder_->Shutdown();
  caller.join();
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  ASSERT_TRUE(hung.has_value() && *hung);
  Reply reply;
  ASSERT_TRUE(Parse((*hung)->body, &reply));
  EXPECT_EQ(reply.status(), 1);  // CANCELLED

  httplib::Result after = Call("Stream", "m");
  ASSERT_TRUE(after);
  Reply refused;
  ASSERT_TRUE(Parse(after->body, &refused));
  EXPECT_EQ(refused.status(), 14);  // UNAVAILABLE
}

TEST_F(GatewayHttpTest, BadTimeoutFallsBackToTheDefault) {
  ASSERT_TRUE(Call("Stream", "m", {{"grpc-timeout", "soon"}}));
  EXPECT_GT(backend_.last().deadline_in, absl::Seconds(25));
}

}  // namespace
}  // namespace tandem::gateway
