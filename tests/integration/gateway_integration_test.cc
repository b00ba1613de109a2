// The web console's gateway against the real directory binary (TLS, tokens,
// CallGate): hand-made gRPC-Web frames over HTTP/1.1 from httplib, as a
// browser's gRPC-Web client sends them. Also the console's files (security
// headers, caching, traversal, client-side routes), development sign-in and
// the refusal to serve plain HTTP off loopback.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/caller.h"
#include "tandem/directory/v1/directory_service.grpc.pb.h"
#include "tests/integration/health_check.h"
#include "tests/integration/service_process.h"
#include "tests/integration/test_security.h"


namespace {

namespace fs = std::filesystem;
namespace v1 = ::tandem::directory::v1;
namespace cv1 = ::tandem::common::v1;
using ::tandem::common::Role;
using ::tandem::testing::CheckHealth;
using ::tandem::testing::HealthWatch;
using ::tandem::testing::kNotServingReply;
using ::tandem::testing::kServingReply;
using ::tandem::testing::MintTestToken;
using ::tandem::testing::OperatorToken;
using ::tandem::testing::PickUnusedPort;
using ::tandem::testing::RunProbe;
using ::tandem::testing::SecureChannel;
using ::tandem::testing::ServiceProcess;
using ::tandem::testing::TestPkiDir;
using ::tandem::testing::UserCredentials;

constexpr char kDirectory[] = "/tandem.directory.v1.DirectoryService/";
constexpr char kGrpcWebProto[] = "application/grpc-web+proto";
// Client data sent through the gateway: none of it may reach its log.
constexpr char kSecretName[] = "Philippa Quenbyrne";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string MakeTempDir(const char* prefix) {
  std::string pattern =
      (fs::temp_directory_path() / absl::StrCat(prefix, "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) return "";
  return pattern;
}

// The gateway binary as a child process: its log and port file in a temp
// dir, port 0, SIGTERM to stop.
class GatewayProcess {
 public:
  // Starts the gateway with `args` (plus --port_file and, unless given,
  // --listen=127.0.0.1:0) and waits for its port, or for it to exit.
  static std::unique_ptr<GatewayProcess> Start(std::vector<std::string> args) {
    auto process = std::unique_ptr<GatewayProcess>(
        new GatewayProcess(MakeTempDir("tandem-gateway")));
    const std::string port_file = process->dir_ + "/port";
    std::vector<std::string> argv_storage = {TANDEM_GATEWAY_BINARY};
    bool has_listen = false;
    for (const std::string& arg : args) {
      has_listen = has_listen || absl::StartsWith(arg, "--listen=");
      argv_storage.push_back(arg);
    }
    if (!has_listen) argv_storage.push_back("--listen=127.0.0.1:0");
    argv_storage.push_back("--port_file=" + port_file);
    absl::StatusOr<pid_t> pid =
        tandem::testing::SpawnLogged(argv_storage, process->log_path());
    if (!pid.ok()) return nullptr;
    process->pid_ = *pid;

    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (absl::Now() < deadline) {
      int port = 0;
      if (fs::exists(port_file) &&
          absl::SimpleAtoi(absl::StripAsciiWhitespace(ReadFile(port_file)),
                           &port) &&
          port > 0) {
        process->port_ = port;
        return process;
      }
      int status = 0;
      if (waitpid(process->pid_, &status, WNOHANG) == process->pid_) {
        process->pid_ = -1;
        process->exit_status_ = status;
        return process;
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
    return process;
  }

  ~GatewayProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (std::getenv("TANDEM_KEEP_TEST_DIRS") == nullptr) {
      std::error_code ignored;
      fs::remove_all(dir_, ignored);
    }
  }

  // SIGTERM; the exit status (as waitpid reports it) and the time taken.
  std::pair<int, absl::Duration> Stop() {
    const absl::Time start = absl::Now();
    ::kill(pid_, SIGTERM);
    int status = -1;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return {status, absl::Now() - start};
  }

  bool running() const { return pid_ > 0 && port_ > 0; }
  int port() const { return port_; }
  // The waitpid status of a child that exited by itself during Start().
  int exit_status() const { return exit_status_; }
  std::string log_path() const { return dir_ + "/gateway.log"; }
  std::string ReadLog() const { return ReadFile(log_path()); }

  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_connection_timeout(5);
    client.set_read_timeout(10);
    return client;
  }

 private:
  explicit GatewayProcess(std::string dir) : dir_(std::move(dir)) {}

  const std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_status_ = -1;
};

// A gRPC-Web response body taken apart.
struct GrpcWebReply {
  std::vector<std::string> messages;
  std::map<std::string, std::string> trailer;
  int grpc_status() const {
    int code = -1;
    auto it = trailer.find("grpc-status");
    if (it == trailer.end() || !absl::SimpleAtoi(it->second, &code)) return -1;
    return code;
  }
  // grpc-message, percent-decoded.
  std::string grpc_message() const {
    auto it = trailer.find("grpc-message");
    if (it == trailer.end()) return "";
    std::string out;
    const std::string& text = it->second;
    for (size_t i = 0; i < text.size(); ++i) {
      int byte = 0;
      if (text[i] == '%' && i + 2 < text.size() &&
          absl::SimpleHexAtoi(text.substr(i + 1, 2), &byte)) {
        out.push_back(static_cast<char>(byte));
        i += 2;
      } else {
        out.push_back(text[i]);
      }
    }
    return out;
  }
};

std::string Frame(uint8_t flag, const std::string& payload) {
  std::string frame(1, static_cast<char>(flag));
  const uint32_t length = static_cast<uint32_t>(payload.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    frame.push_back(static_cast<char>((length >> shift) & 0xff));
  }
  return frame + payload;
}

::testing::AssertionResult ParseReply(const std::string& body,
                                      GrpcWebReply* reply) {
  size_t at = 0;
  bool trailer_seen = false;
  while (at < body.size()) {
    if (trailer_seen) return ::testing::AssertionFailure() << "bytes after the trailer";
    if (body.size() - at < 5) return ::testing::AssertionFailure() << "short frame header";
    const uint8_t flag = static_cast<uint8_t>(body[at]);
    uint32_t length = 0;
    for (int i = 1; i <= 4; ++i) {
      length = (length << 8) | static_cast<uint8_t>(body[at + i]);
    }
    if (body.size() - at - 5 < length) {
      return ::testing::AssertionFailure() << "short frame";
    }
    const std::string payload = body.substr(at + 5, length);
    at += 5 + length;
    if (flag == 0x00) {
      reply->messages.push_back(payload);
    } else if (flag == 0x80) {
      trailer_seen = true;
      for (absl::string_view line : absl::StrSplit(payload, "\r\n")) {
        if (line.empty()) continue;
        const size_t colon = line.find(':');
        if (colon == absl::string_view::npos) {
          return ::testing::AssertionFailure() << "bad trailer line " << line;
        }
        reply->trailer[std::string(line.substr(0, colon))] =
            std::string(absl::StripLeadingAsciiWhitespace(line.substr(colon + 1)));
      }
    } else {
      return ::testing::AssertionFailure() << "unknown flag " << int{flag};
    }
  }
  if (!trailer_seen) return ::testing::AssertionFailure() << "no trailer frame";
  return ::testing::AssertionSuccess();
}

// POSTs `message` as one gRPC-Web frame to `path` with `token` ("" sends
// none); expects HTTP 200 with the gRPC-Web content type and parses it.
::testing::AssertionResult CallGrpcWeb(const GatewayProcess& gateway,
                                       const std::string& path,
                                       const std::string& message,
                                       const std::string& token,
                                       GrpcWebReply* reply,
                                       const std::string& raw_body = "") {
  httplib::Client client = gateway.Client();
  httplib::Headers headers = {{"X-Grpc-Web", "1"}, {"grpc-timeout", "10S"},
                              {"Cookie", "session=never-forwarded"}};
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  httplib::Result result =
      client.Post(path.c_str(), headers,
                  raw_body.empty() ? Frame(0x00, message) : raw_body,
                  kGrpcWebProto);
  if (!result) {
    return ::testing::AssertionFailure()
           << "POST " << path << ": " << httplib::to_string(result.error());
  }
  if (result->status != 200) {
    return ::testing::AssertionFailure() << "HTTP " << result->status;
  }
  if (result->get_header_value("Content-Type") != kGrpcWebProto) {
    return ::testing::AssertionFailure()
           << "content type " << result->get_header_value("Content-Type");
  }
  if (result->get_header_value("Content-Security-Policy").empty()) {
    return ::testing::AssertionFailure() << "no CSP on an RPC answer";
  }
  return ParseReply(result->body, reply);
}

v1::Therapist TherapistProto(const std::string& name) {
  v1::Therapist therapist;
  therapist.set_display_name(name);
  therapist.set_sex(v1::SEX_FEMALE);
  therapist.add_languages("en");
  therapist.add_qualifications("couples");
  cv1::WeeklyHours* hours = therapist.add_working_hours();
  hours->set_weekday(cv1::WEEKDAY_MONDAY);
  hours->mutable_start_time()->set_hours(9);
  hours->mutable_end_time()->set_hours(17);
  therapist.set_daily_session_minutes_cap(360);
  therapist.set_active(true);
  return therapist;
}

class GatewayIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto directory = ServiceProcess::Start(TANDEM_DIRECTORY_BINARY, {});
    ASSERT_TRUE(directory.ok()) << directory.status();
    directory_ = directory->release();
    web_root_ = new std::string(MakeTempDir("tandem-web") + "/dist");
    fs::create_directories(*web_root_ + "/assets");
    std::ofstream(*web_root_ + "/index.html") << "<html>tandem console</html>";
    std::ofstream(*web_root_ + "/assets/app-4f3a.js") << "console.log('t')";
    // Beside the root, never served.
    std::ofstream(fs::path(*web_root_).parent_path() / "secret.txt")
        << "outside the web root";
  }
  static void TearDownTestSuite() {
    delete directory_;
    directory_ = nullptr;
    std::error_code ignored;
    fs::remove_all(fs::path(*web_root_).parent_path(), ignored);
    delete web_root_;
  }

  // The flags scripts/start gives, pointed at the test's directory (the
  // other backends are not started: nothing here calls them).
  static std::vector<std::string> GatewayFlags(bool dev_sign_in) {
    std::vector<std::string> flags = {
        absl::StrCat("--tls_ca=", TestPkiDir(), "/ca.crt"),
        absl::StrCat("--directory=", directory_->target()),
        "--booking=127.0.0.1:1", "--followup=127.0.0.1:1",
        "--roster=127.0.0.1:1", absl::StrCat("--web_root=", *web_root_)};
    if (dev_sign_in) {
      flags.push_back(absl::StrCat("--dev_token_key=", TestPkiDir(), "/jwt-dev.key"));
    }
    return flags;
  }

  void SetUp() override {
    gateway_ = GatewayProcess::Start(GatewayFlags(/*dev_sign_in=*/true));
    ASSERT_NE(gateway_, nullptr);
    ASSERT_TRUE(gateway_->running()) << gateway_->ReadLog();
  }

  void TearDown() override {
    if (gateway_ != nullptr && gateway_->running()) {
      auto [status, took] = gateway_->Stop();
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
      EXPECT_LT(took, absl::Seconds(3));
      const std::string log = gateway_->ReadLog();
      // No client data, no token, no raw path of a request it did not know.
      EXPECT_FALSE(absl::StrContains(log, kSecretName)) << log;
      EXPECT_FALSE(absl::StrContains(log, "eyJ")) << log;
      EXPECT_FALSE(absl::StrContains(log, "secret.txt")) << log;
      EXPECT_FALSE(absl::StrContains(log, "never-forwarded")) << log;
    }
  }

  // A direct call to the directory with `token`, for comparison.
  static grpc::Status DirectCreateTherapist(const std::string& token,
                                            const v1::CreateTherapistRequest& request) {
    auto stub = v1::DirectoryService::NewStub(
        SecureChannel(directory_->target(), UserCredentials(token)));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    v1::CreateTherapistResponse response;
    return stub->CreateTherapist(&context, request, &response);
  }

  static ServiceProcess* directory_;
  static std::string* web_root_;
  std::unique_ptr<GatewayProcess> gateway_;
};

ServiceProcess* GatewayIntegrationTest::directory_ = nullptr;
std::string* GatewayIntegrationTest::web_root_ = nullptr;

TEST_F(GatewayIntegrationTest, UnaryCallsPassThroughWithTheCallersToken) {
  v1::CreateTherapistRequest create;
  create.set_request_id("gateway-it-create-1");
  *create.mutable_therapist() = TherapistProto(kSecretName);
  GrpcWebReply created;
  ASSERT_TRUE(CallGrpcWeb(*gateway_, absl::StrCat(kDirectory, "CreateTherapist"),
                          create.SerializeAsString(), OperatorToken(), &created));
  ASSERT_EQ(created.grpc_status(), 0) << created.grpc_message();
  ASSERT_EQ(created.messages.size(), 1u);
  v1::CreateTherapistResponse create_response;
  ASSERT_TRUE(create_response.ParseFromString(created.messages[0]));
  EXPECT_TRUE(absl::StartsWith(create_response.therapist().id(), "th-"));

  GrpcWebReply listed;
  ASSERT_TRUE(CallGrpcWeb(*gateway_, absl::StrCat(kDirectory, "ListTherapists"),
                          v1::ListTherapistsRequest().SerializeAsString(),
                          MintTestToken({Role::kCoordinator}), &listed));
  ASSERT_EQ(listed.grpc_status(), 0) << listed.grpc_message();
  ASSERT_EQ(listed.messages.size(), 1u);
  v1::ListTherapistsResponse list_response;
  ASSERT_TRUE(list_response.ParseFromString(listed.messages[0]));
  bool found = false;
  for (const v1::Therapist& therapist : list_response.therapists()) {
    found = found || therapist.id() == create_response.therapist().id();
  }
  EXPECT_TRUE(found);

  // The access log names the method and its status, nothing of the body.
  gateway_->Stop();
  const std::string log = gateway_->ReadLog();
  EXPECT_TRUE(absl::StrContains(
      log, R"("method":"POST","path":"/tandem.directory.v1.DirectoryService/ListTherapists","status":200,"grpc_status":0)"))
      << log;
  EXPECT_FALSE(absl::StrContains(log, kSecretName));
  EXPECT_FALSE(absl::StrContains(log, "eyJ"));
}

TEST_F(GatewayIntegrationTest, WithoutATokenTheBackendSaysUnauthenticated) {
  GrpcWebReply reply;
  ASSERT_TRUE(CallGrpcWeb(*gateway_, absl::StrCat(kDirectory, "ListTherapists"),
                          v1::ListTherapistsRequest().SerializeAsString(), "",
                          &reply));
  EXPECT_EQ(reply.grpc_status(), 16) << reply.grpc_message();
  EXPECT_TRUE(reply.messages.empty());
}

TEST_F(GatewayIntegrationTest, ErrorsPassThroughUnchanged) {
  // A therapist may not create therapists: the backend's own answer.
  const std::string therapist = MintTestToken({Role::kTherapist}, "th-1");
  v1::CreateTherapistRequest create;
  create.set_request_id("gateway-it-denied");
  *create.mutable_therapist() = TherapistProto(kSecretName);
  const grpc::Status direct = DirectCreateTherapist(therapist, create);
  ASSERT_EQ(direct.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  GrpcWebReply reply;
  ASSERT_TRUE(CallGrpcWeb(*gateway_, absl::StrCat(kDirectory, "CreateTherapist"),
                          create.SerializeAsString(), therapist, &reply));
  EXPECT_EQ(reply.grpc_status(), 7);
  EXPECT_EQ(reply.grpc_message(), direct.error_message());
  EXPECT_FALSE(reply.grpc_message().empty());

  // An invalid request: the code, the message and the error details (if
  // the service attached any) are the backend's, byte for byte.
  v1::CreateTherapistRequest invalid;
  invalid.set_request_id("gateway-it-invalid");
  *invalid.mutable_therapist() = TherapistProto("");
  const grpc::Status direct_invalid = DirectCreateTherapist(OperatorToken(), invalid);
  ASSERT_EQ(direct_invalid.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  GrpcWebReply invalid_reply;
  ASSERT_TRUE(CallGrpcWeb(*gateway_, absl::StrCat(kDirectory, "CreateTherapist"),
                          invalid.SerializeAsString(), OperatorToken(),
                          &invalid_reply));
  EXPECT_EQ(invalid_reply.grpc_status(), 3);
  EXPECT_EQ(invalid_reply.grpc_message(), direct_invalid.error_message());
  if (direct_invalid.error_details().empty()) {
    EXPECT_EQ(invalid_reply.trailer.count("grpc-status-details-bin"), 0u);
  } else {
    std::string details;
    ASSERT_TRUE(absl::Base64Unescape(
        invalid_reply.trailer["grpc-status-details-bin"], &details));
    EXPECT_EQ(details, direct_invalid.error_details());
  }
}

TEST_F(GatewayIntegrationTest, CalendarFeedsAskTheRosterAndKeepTheTokenSecret) {
  // This fixture's roster address answers nothing: the calendar app is
  // told to come back later, not that the address is wrong.
  const std::string token = "dGgtMXwxODI3MDMzNTQ4.Zq9FeedSecretMac";
  httplib::Result unavailable =
      gateway_->Client().Get(absl::StrCat("/calendar/", token, ".ics"));
  ASSERT_TRUE(unavailable);
  EXPECT_EQ(unavailable->status, 503);
  EXPECT_EQ(unavailable->get_header_value("Retry-After"), "300");
  EXPECT_EQ(unavailable->get_header_value("Cache-Control"), "no-store");
  // Not a token's shape: no roster call at all.
  httplib::Result malformed = gateway_->Client().Get("/calendar/a%20b.ics");
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 404);
  gateway_->Stop();
  const std::string log = gateway_->ReadLog();
  EXPECT_FALSE(absl::StrContains(log, "Zq9FeedSecret")) << log;
  EXPECT_TRUE(absl::StrContains(log, R"x("path":"/calendar/(feed)","status":503)x"))
      << log;
}

TEST_F(GatewayIntegrationTest, UnroutedServicesAreUnimplemented) {
  for (const char* path : {"/tandem.nothing.v1.NothingService/Get",
                           "/tandem.audit.v1.AuditService/ListAuditRecords",
                           "/grpc.health.v1.Health/Check"}) {
    GrpcWebReply reply;
    ASSERT_TRUE(CallGrpcWeb(*gateway_, path, "", OperatorToken(), &reply)) << path;
    EXPECT_EQ(reply.grpc_status(), 12) << path;
  }
  // A method the backend does not have: its UNIMPLEMENTED.
  GrpcWebReply reply;
  ASSERT_TRUE(CallGrpcWeb(*gateway_, absl::StrCat(kDirectory, "NoSuchMethod"), "",
                          OperatorToken(), &reply));
  EXPECT_EQ(reply.grpc_status(), 12);
  gateway_->Stop();
  const std::string log = gateway_->ReadLog();
  EXPECT_FALSE(absl::StrContains(log, "NothingService")) << log;
  EXPECT_FALSE(absl::StrContains(log, "NoSuchMethod")) << log;
  EXPECT_TRUE(absl::StrContains(log, R"x("path":"(unknown-rpc)")x")) << log;
}

TEST_F(GatewayIntegrationTest, MalformedRequestsAreRefusedNotFatal) {
  const std::string path = absl::StrCat(kDirectory, "ListTherapists");
  for (const std::string& body :
       {std::string("\x00\x00\x00", 3), Frame(0x00, "abc").substr(0, 6),
        Frame(0x00, "") + Frame(0x00, ""), Frame(0x80, "grpc-status: 0\r\n")}) {
    GrpcWebReply reply;
    ASSERT_TRUE(CallGrpcWeb(*gateway_, path, "", OperatorToken(), &reply, body));
    EXPECT_EQ(reply.grpc_status(), 3);
  }
  httplib::Client client = gateway_->Client();
  // Not gRPC-Web (the text format is not supported either).
  httplib::Result text = client.Post(path.c_str(), Frame(0x00, ""),
                                     "application/grpc-web-text");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->status, 415);
  // Over the 4 MiB limit.
  httplib::Result big =
      client.Post(path.c_str(), Frame(0x00, std::string(5 << 20, 'x')),
                  kGrpcWebProto);
  if (big) {
    EXPECT_EQ(big->status, 413);
  }  // else the connection was cut: also a refusal
  // Only POST for RPC paths.
  httplib::Result get = gateway_->Client().Get(path.c_str());
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
  // And the gateway still serves.
  GrpcWebReply reply;
  ASSERT_TRUE(CallGrpcWeb(*gateway_, path,
                          v1::ListTherapistsRequest().SerializeAsString(),
                          OperatorToken(), &reply));
  EXPECT_EQ(reply.grpc_status(), 0);
}

TEST_F(GatewayIntegrationTest, ServesTheConsoleWithSecurityHeaders) {
  httplib::Client client = gateway_->Client();
  httplib::Result index = client.Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->body, "<html>tandem console</html>");
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index->get_header_value("Cache-Control"), "no-cache");
  EXPECT_EQ(index->get_header_value("Content-Security-Policy"),
            "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
            "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
  EXPECT_EQ(index->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(index->get_header_value("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(index->get_header_value("X-Frame-Options"), "DENY");

  httplib::Result asset = client.Get("/assets/app-4f3a.js");
  ASSERT_TRUE(asset);
  EXPECT_EQ(asset->status, 200);
  EXPECT_EQ(asset->get_header_value("Content-Type"),
            "text/javascript; charset=utf-8");
  EXPECT_EQ(asset->get_header_value("Cache-Control"),
            "public, max-age=31536000, immutable");

  // Client-side routes get the app; missing files do not.
  httplib::Result route = client.Get("/rosters/today?day=2026-11-24");
  ASSERT_TRUE(route);
  EXPECT_EQ(route->status, 200);
  EXPECT_EQ(route->body, "<html>tandem console</html>");
  httplib::Result missing = client.Get("/assets/missing-1.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->get_header_value("X-Frame-Options"), "DENY");

  // No way out of the root, encoded or not.
  for (const char* path :
       {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt",
        "/%2E%2E%2Fsecret.txt", "/assets/%252e%252e/secret.txt",
        "/..%5csecret.txt"}) {
    httplib::Result result = client.Get(path);
    ASSERT_TRUE(result) << path;
    EXPECT_EQ(result->status, 404) << path;
    EXPECT_FALSE(absl::StrContains(result->body, "outside")) << path;
  }

  // Same origin only: a preflight gets no CORS grant.
  httplib::Result preflight = client.Options(
      absl::StrCat(kDirectory, "ListTherapists").c_str(),
      {{"Origin", "https://evil.example"},
       {"Access-Control-Request-Method", "POST"}});
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 204);
  EXPECT_FALSE(preflight->has_header("Access-Control-Allow-Origin"));
}

TEST_F(GatewayIntegrationTest, DevSignInMintsATokenTheBackendAccepts) {
  httplib::Client client = gateway_->Client();
  httplib::Result config = client.Get("/auth/config");
  ASSERT_TRUE(config);
  EXPECT_EQ(nlohmann::json::parse(config->body),
            nlohmann::json({{"dev_sign_in", true}}));

  httplib::Result minted = client.Post(
      "/auth/dev-token", R"({"role":"coordinator"})", "application/json");
  ASSERT_TRUE(minted);
  ASSERT_EQ(minted->status, 200) << minted->body;
  EXPECT_EQ(minted->get_header_value("Cache-Control"), "no-store");
  const nlohmann::json answer = nlohmann::json::parse(minted->body);
  EXPECT_EQ(answer["roles"], nlohmann::json::array({"coordinator"}));
  EXPECT_EQ(answer["subject"], "dev:coordinator");
  absl::Time expires;
  std::string error;
  ASSERT_TRUE(absl::ParseTime(absl::RFC3339_full,
                              answer["expires_at"].get<std::string>(), &expires,
                              &error))
      << error;
  EXPECT_GT(expires, absl::Now() + absl::Hours(7));

  GrpcWebReply reply;
  ASSERT_TRUE(CallGrpcWeb(*gateway_, absl::StrCat(kDirectory, "ListTherapists"),
                          v1::ListTherapistsRequest().SerializeAsString(),
                          answer["token"].get<std::string>(), &reply));
  EXPECT_EQ(reply.grpc_status(), 0) << reply.grpc_message();

  httplib::Result bad = client.Post("/auth/dev-token", R"({"role":"service"})",
                                    "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

TEST_F(GatewayIntegrationTest, DevSignInIsOffWithoutTheKey) {
  auto plain = GatewayProcess::Start(GatewayFlags(/*dev_sign_in=*/false));
  ASSERT_NE(plain, nullptr);
  ASSERT_TRUE(plain->running()) << plain->ReadLog();
  httplib::Client client = plain->Client();
  httplib::Result minted = client.Post(
      "/auth/dev-token", R"({"role":"admin"})", "application/json");
  ASSERT_TRUE(minted);
  EXPECT_EQ(minted->status, 404);
  httplib::Result config = client.Get("/auth/config");
  ASSERT_TRUE(config);
  EXPECT_EQ(nlohmann::json::parse(config->body),
            nlohmann::json({{"dev_sign_in", false}}));
  EXPECT_FALSE(absl::StrContains(plain->ReadLog(), "dev_sign_in_on"));
  EXPECT_TRUE(absl::StrContains(gateway_->ReadLog(), "dev_sign_in_on"));
}

TEST_F(GatewayIntegrationTest, MissingConsoleAnswers503ButForwardsCalls) {
  std::vector<std::string> flags = GatewayFlags(false);
  flags.push_back("--web_root=/nonexistent/dist");
  auto unbuilt = GatewayProcess::Start(flags);
  ASSERT_NE(unbuilt, nullptr);
  ASSERT_TRUE(unbuilt->running()) << unbuilt->ReadLog();
  httplib::Result index = unbuilt->Client().Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 503);
  EXPECT_TRUE(absl::StrContains(index->body, "scripts/build"));
  GrpcWebReply reply;
  ASSERT_TRUE(CallGrpcWeb(*unbuilt, absl::StrCat(kDirectory, "ListTherapists"),
                          v1::ListTherapistsRequest().SerializeAsString(),
                          OperatorToken(), &reply));
  EXPECT_EQ(reply.grpc_status(), 0);
}

TEST_F(GatewayIntegrationTest, RefusesPlainHttpOffLoopback) {
  std::vector<std::string> flags = GatewayFlags(true);
  flags.push_back("--listen=0.0.0.0:0");
  auto refused = GatewayProcess::Start(flags);
  ASSERT_NE(refused, nullptr);
  EXPECT_FALSE(refused->running());
  EXPECT_TRUE(WIFEXITED(refused->exit_status()) &&
              WEXITSTATUS(refused->exit_status()) != 0);
  EXPECT_TRUE(absl::StrContains(refused->ReadLog(), "refusing to listen on 0.0.0.0:0 without TLS"))
      << refused->ReadLog();
}

TEST_F(GatewayIntegrationTest, ServesHttpsWithACertificate) {
  std::vector<std::string> flags = GatewayFlags(true);
  flags.push_back("--listen=0.0.0.0:0");
  // deploy/dev-pki's certificate for the console (serverAuth only): never a
  // service's, whose key would let the gateway pass for that service.
  flags.push_back(absl::StrCat("--tls_cert=", TestPkiDir(), "/gateway.crt"));
  flags.push_back(absl::StrCat("--tls_key=", TestPkiDir(), "/gateway.key"));
  auto https = GatewayProcess::Start(flags);
  ASSERT_NE(https, nullptr);
  ASSERT_TRUE(https->running()) << https->ReadLog();
  httplib::SSLClient client("127.0.0.1", https->port());
  client.set_ca_cert_path(absl::StrCat(TestPkiDir(), "/ca.crt").c_str());
  client.enable_server_certificate_verification(true);
  client.set_connection_timeout(5);
  httplib::Result index = client.Get("/");
  ASSERT_TRUE(index) << httplib::to_string(index.error());
  EXPECT_EQ(index->status, 200);
  // Plain HTTP to the same port gets nothing.
  httplib::Client plain("127.0.0.1", https->port());
  plain.set_connection_timeout(2);
  plain.set_read_timeout(2);
  httplib::Result refused = plain.Get("/");
  EXPECT_TRUE(!refused || refused->status != 200);
}


TEST_F(GatewayIntegrationTest, MetricsCountCallsByKnownMethodOnly) {
  absl::StatusOr<int> metrics_port = PickUnusedPort();
  ASSERT_TRUE(metrics_port.ok()) << metrics_port.status();
  std::vector<std::string> flags = GatewayFlags(false);
  flags.push_back(absl::StrCat("--metrics_listen=127.0.0.1:", *metrics_port));
  auto counted = GatewayProcess::Start(flags);
  ASSERT_NE(counted, nullptr);
  ASSERT_TRUE(counted->running()) << counted->ReadLog();
  for (int i = 0; i < 2; ++i) {
    GrpcWebReply reply;
    ASSERT_TRUE(CallGrpcWeb(*counted, absl::StrCat(kDirectory, "ListTherapists"),
                            v1::ListTherapistsRequest().SerializeAsString(),
                            OperatorToken(), &reply));
  }
  GrpcWebReply unknown;
  ASSERT_TRUE(CallGrpcWeb(*counted, "/tandem.directory.v1.DirectoryService/Zq9Secret",
                          "", OperatorToken(), &unknown));
  ASSERT_TRUE(counted->Client().Get("/Zq9Page"));

  // The gateway counts a request once its answer is written (a streamed
  // call's status is known only then), so a count may trail the client's
  // read by a moment: scrape until every count is there, or 5 s pass.
  const std::vector<std::string> counts = {
      "tandem_rpc_requests_total{service=\"tandem.directory.v1.DirectoryService\","
      "method=\"ListTherapists\",code=\"OK\"} 2\n",
      "tandem_rpc_requests_total{service=\"unknown\",method=\"unknown\","
      "code=\"UNIMPLEMENTED\"} 1\n",
      "tandem_http_requests_total{kind=\"rpc\",status=\"200\"} 3\n",
      "tandem_http_requests_total{kind=\"static\",status=\"200\"} 1\n",
  };
  const auto all_counted = [&counts](const std::string& body) {
    for (const std::string& count : counts) {
      if (!absl::StrContains(body, count)) return false;
    }
    return true;
  };
  httplib::Client scraper("127.0.0.1", *metrics_port);
  scraper.set_connection_timeout(5);
  httplib::Result page = scraper.Get("/metrics");
  for (const absl::Time deadline = absl::Now() + absl::Seconds(5);
       page && page->status == 200 && !all_counted(page->body) &&
       absl::Now() < deadline;
       page = scraper.Get("/metrics")) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200);
  for (const std::string& count : counts) {
    EXPECT_TRUE(absl::StrContains(page->body, count)) << count << page->body;
  }
  EXPECT_FALSE(absl::StrContains(page->body, "Zq9")) << page->body;
}

// --health_listen, as on every service: the plaintext port that
// Kubernetes' gRPC probes and tandem-probe (Docker's HEALTHCHECK) ask.
// Ready and alive while the console is served, NOT_SERVING once stopping.
TEST_F(GatewayIntegrationTest, HealthListenAnswersTheProbes) {
  absl::StatusOr<int> health_port = PickUnusedPort();
  ASSERT_TRUE(health_port.ok()) << health_port.status();
  const std::string health_address = absl::StrCat("127.0.0.1:", *health_port);
  std::vector<std::string> flags = GatewayFlags(false);
  flags.push_back(absl::StrCat("--health_listen=", health_address));
  auto probed = GatewayProcess::Start(flags);
  ASSERT_NE(probed, nullptr);
  ASSERT_TRUE(probed->running()) << probed->ReadLog();
  const auto health =
      grpc::CreateChannel(health_address, grpc::InsecureChannelCredentials());

  // SERVING once the port file says it listens (readiness: it holds no
  // data and waits for nothing), and for the liveness name.
  for (const char* service : {"", "liveness"}) {
    std::string reply;
    grpc::Status checked = CheckHealth(health, service, &reply);
    ASSERT_TRUE(checked.ok()) << service << ": " << checked.error_message();
    EXPECT_EQ(reply, kServingReply) << service;
  }
  auto [serving_exit, serving_out] =
      RunProbe(TANDEM_PROBE_BINARY, health_address);
  EXPECT_EQ(serving_exit, 0) << serving_out;
  // The health port is not the console: no HTTP there.
  httplib::Client http("127.0.0.1", *health_port);
  http.set_connection_timeout(2);
  http.set_read_timeout(2);
  httplib::Result page = http.Get("/");
  EXPECT_TRUE(!page || page->status != 200);

  // Stopping: a watcher hears NOT_SERVING before the port closes.
  HealthWatch watch(health, "");
  ASSERT_TRUE(watch.WaitFor(kServingReply, absl::Seconds(5)));
  auto [status, took] = probed->Stop();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_TRUE(watch.WaitFor(kNotServingReply, absl::Seconds(5)));
  auto [gone_exit, gone_out] = RunProbe(
      TANDEM_PROBE_BINARY, absl::StrCat("--timeout=1s ", health_address));
  EXPECT_EQ(gone_exit, 1) << gone_out;
}

TEST_F(GatewayIntegrationTest, UnusableHealthAddressIsAStartFailure) {
  std::vector<std::string> flags = GatewayFlags(false);
  flags.push_back("--health_listen=256.0.0.1:1");
  auto refused = GatewayProcess::Start(flags);
  ASSERT_NE(refused, nullptr);
  EXPECT_FALSE(refused->running());
  EXPECT_TRUE(WIFEXITED(refused->exit_status()) &&
              WEXITSTATUS(refused->exit_status()) != 0);
  EXPECT_TRUE(absl::StrContains(refused->ReadLog(), "--health_listen"))
      << refused->ReadLog();
}

}  // namespace
