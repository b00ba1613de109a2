// The metrics endpoint of the real binaries: a directory process with
// --metrics_listen is called a known number of times and its /metrics page
// must count exactly those calls, per method and status code, with a
// matching latency histogram, and carry none of the data the calls sent. The
// follow-up service's page has the reminder families.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "tandem/directory/v1/directory_service.grpc.pb.h"
#include "tests/integration/service_process.h"

namespace {

namespace v1 = ::tandem::directory::v1;
namespace cv1 = ::tandem::common::v1;
using ::tandem::testing::PickUnusedPort;
using ::tandem::testing::ServiceProcess;

constexpr char kDirectoryService[] = "tandem.directory.v1.DirectoryService";
constexpr absl::Duration kRpcDeadline = absl::Seconds(5);

// Client data the scenario sends: none of it may appear on the page.
const std::vector<std::string>& Secrets() {
  static const auto* secrets = new std::vector<std::string>{
      "Zephyrine Quillfeather", "Bartholomew Inkwhistle", "Ottoline Marchbanks",
      "th-987654", "metrics-it-"};
  return *secrets;
}

struct Page {
  std::string body;
  // "name{labels}" -> value, for every sample line.
  std::map<std::string, double> samples;
};

// GET /metrics on 127.0.0.1:`port`, parsed.
::testing::AssertionResult Scrape(int port, Page* page) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(5);
  client.set_read_timeout(5);
  httplib::Result result = client.Get("/metrics");
  if (!result) {
    return ::testing::AssertionFailure()
           << "GET /metrics: " << httplib::to_string(result.error());
  }
  if (result->status != 200) {
    return ::testing::AssertionFailure() << "status " << result->status;
  }
  if (!absl::StartsWith(result->get_header_value("Content-Type"),
                        "text/plain; version=0.0.4")) {
    return ::testing::AssertionFailure()
           << "content type " << result->get_header_value("Content-Type");
  }
  page->body = result->body;
  page->samples.clear();
  for (absl::string_view line : absl::StrSplit(result->body, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    double value = 0;
    if (space == absl::string_view::npos ||
        !absl::SimpleAtod(line.substr(space + 1), &value)) {
      return ::testing::AssertionFailure() << "bad line: " << line;
    }
    page->samples[std::string(line.substr(0, space))] = value;
  }
  return ::testing::AssertionSuccess();
}

std::string Requests(const std::string& method, const std::string& code) {
  return absl::StrCat("tandem_rpc_requests_total{service=\"", kDirectoryService,
                      "\",method=\"", method, "\",code=\"", code, "\"}");
}

std::string DurationCount(const std::string& method) {
  return absl::StrCat("tandem_rpc_duration_seconds_count{service=\"",
                      kDirectoryService, "\",method=\"", method, "\"}");
}

std::string DurationInf(const std::string& method) {
  return absl::StrCat("tandem_rpc_duration_seconds_bucket{service=\"",
                      kDirectoryService, "\",method=\"", method,
                      "\",le=\"+Inf\"}");
}

// The sum of every tandem_rpc_requests_total sample of `method`.
double AllRequests(const Page& page, const std::string& method) {
  const std::string prefix =
      absl::StrCat("tandem_rpc_requests_total{service=\"", kDirectoryService,
                   "\",method=\"", method, "\",");
  double total = 0;
  for (const auto& [series, value] : page.samples) {
    if (absl::StartsWith(series, prefix)) total += value;
  }
  return total;
}

// Every label value on the page is a name from the fixed vocabulary:
// letters, digits, '_', '.', '+' (le="+Inf") only.
::testing::AssertionResult LabelValuesAreVocabulary(const Page& page) {
  for (const auto& [series, value] : page.samples) {
    const size_t open = series.find('{');
    if (open == std::string::npos) continue;
    for (absl::string_view pair :
         absl::StrSplit(absl::string_view(series).substr(
                            open + 1, series.size() - open - 2),
                        ',')) {
      const size_t eq = pair.find("=\"");
      if (eq == absl::string_view::npos) {
        return ::testing::AssertionFailure() << "bad label in " << series;
      }
      for (char c : pair.substr(eq + 2, pair.size() - eq - 3)) {
        if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
            c != '.' && c != '+') {
          return ::testing::AssertionFailure()
                 << "label value outside the vocabulary in " << series;
        }
      }
    }
  }
  return ::testing::AssertionSuccess();
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

void SetDeadline(grpc::ClientContext& context) {
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoMilliseconds(kRpcDeadline));
}

TEST(MetricsIntegrationTest, DirectoryCountsEachCallByMethodAndCode) {
  absl::StatusOr<int> metrics_port = PickUnusedPort();
  ASSERT_TRUE(metrics_port.ok()) << metrics_port.status();
  auto directory = ServiceProcess::Start(
      TANDEM_DIRECTORY_BINARY,
      {absl::StrCat("--metrics_listen=127.0.0.1:", *metrics_port)});
  ASSERT_TRUE(directory.ok()) << directory.status();
  auto stub = v1::DirectoryService::NewStub((*directory)->channel());

  Page before;
  ASSERT_TRUE(Scrape(*metrics_port, &before));
  EXPECT_TRUE(absl::StrContains(before.body,
                                "# TYPE tandem_rpc_requests_total counter\n"));
  EXPECT_TRUE(absl::StrContains(
      before.body, "# TYPE tandem_rpc_duration_seconds histogram\n"));
  EXPECT_EQ(AllRequests(before, "CreateTherapist"), 0);

  // 3 CreateTherapist, 2 ListTherapists, 1 GetTherapist that fails.
  for (int i = 0; i < 3; ++i) {
    v1::CreateTherapistRequest request;
    request.set_request_id(absl::StrCat("metrics-it-", i));
    *request.mutable_therapist() = TherapistProto(Secrets()[i]);
    v1::CreateTherapistResponse response;
    grpc::ClientContext context;
    SetDeadline(context);
    const grpc::Status status =
        stub->CreateTherapist(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  for (int i = 0; i < 2; ++i) {
    v1::ListTherapistsRequest request;
    v1::ListTherapistsResponse response;
    grpc::ClientContext context;
    SetDeadline(context);
    ASSERT_TRUE(stub->ListTherapists(&context, request, &response).ok());
    EXPECT_EQ(response.therapists_size(), 3);
  }
  {
    v1::GetTherapistRequest request;
    request.set_id(Secrets()[3]);
    v1::GetTherapistResponse response;
    grpc::ClientContext context;
    SetDeadline(context);
    EXPECT_EQ(stub->GetTherapist(&context, request, &response).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }

  Page after;
  ASSERT_TRUE(Scrape(*metrics_port, &after));
  EXPECT_EQ(after.samples[Requests("CreateTherapist", "OK")], 3) << after.body;
  EXPECT_EQ(AllRequests(after, "CreateTherapist"), 3);
  EXPECT_EQ(after.samples[Requests("ListTherapists", "OK")], 2);
  EXPECT_EQ(AllRequests(after, "ListTherapists"), 2);
  EXPECT_EQ(after.samples[Requests("GetTherapist", "NOT_FOUND")], 1);
  EXPECT_EQ(AllRequests(after, "GetTherapist"), 1);
  EXPECT_EQ(AllRequests(after, "UpdateTherapist"), 0);
  for (const auto& [method, calls] :
       std::map<std::string, double>{{"CreateTherapist", 3},
                                     {"ListTherapists", 2},
                                     {"GetTherapist", 1}}) {
    EXPECT_EQ(after.samples[DurationCount(method)], calls) << method;
    EXPECT_EQ(after.samples[DurationInf(method)], calls) << method;
  }

  for (const std::string& secret : Secrets()) {
    EXPECT_FALSE(absl::StrContains(after.body, secret)) << secret;
  }
  EXPECT_TRUE(LabelValuesAreVocabulary(after)) << after.body;

  // Only GET /metrics is served.
  httplib::Client client("127.0.0.1", *metrics_port);
  httplib::Result other = client.Get("/");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 404);

  absl::StatusOr<tandem::testing::ExitInfo> exit = (*directory)->Stop();
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_EQ(exit->exit_code, 0);
}

TEST(MetricsIntegrationTest, PathsTheServiceDoesNotKnowAreNeitherLabelsNorLogged) {
  absl::StatusOr<int> metrics_port = PickUnusedPort();
  ASSERT_TRUE(metrics_port.ok()) << metrics_port.status();
  auto directory = ServiceProcess::Start(
      TANDEM_DIRECTORY_BINARY,
      {absl::StrCat("--metrics_listen=127.0.0.1:", *metrics_port)});
  ASSERT_TRUE(directory.ok()) << directory.status();

  // A client chooses the path: it could hold anything, even a name.
  const std::string chosen = "Wilhelmina-Thistlewood";
  for (const std::string& path :
       {absl::StrCat("/tandem.directory.v1.DirectoryService/", chosen),
        absl::StrCat("/", chosen, ".Service/Get")}) {
    grpc::GenericStub stub((*directory)->channel());
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::CompletionQueue queue;
    grpc::ByteBuffer request;
    grpc::ByteBuffer response;
    grpc::Status status;
    std::unique_ptr<grpc::GenericClientAsyncResponseReader> call =
        stub.PrepareUnaryCall(&context, path, request, &queue);
    call->StartCall();
    call->Finish(&response, &status, reinterpret_cast<void*>(1));
    void* tag = nullptr;
    bool ok = false;
    ASSERT_TRUE(queue.Next(&tag, &ok));
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED) << path;
    queue.Shutdown();
    while (queue.Next(&tag, &ok)) {
    }
  }

  Page page;
  ASSERT_TRUE(Scrape(*metrics_port, &page));
  EXPECT_FALSE(absl::StrContains(page.body, chosen)) << page.body;
  EXPECT_EQ(page.samples[R"(tandem_rpc_requests_total{service="unknown",method="unknown",code="UNIMPLEMENTED"})"],
            2)
      << page.body;

  absl::StatusOr<tandem::testing::ExitInfo> exit = (*directory)->Stop();
  ASSERT_TRUE(exit.ok()) << exit.status();
  std::ifstream log_file((*directory)->log_path());
  const std::string log((std::istreambuf_iterator<char>(log_file)),
                        std::istreambuf_iterator<char>());
  EXPECT_TRUE(absl::StrContains(log, R"("method":"unknown")")) << log;
  EXPECT_FALSE(absl::StrContains(log, chosen)) << log;
}

TEST(MetricsIntegrationTest, FollowUpHasTheReminderFamilies) {
  absl::StatusOr<int> metrics_port = PickUnusedPort();
  absl::StatusOr<int> nowhere = PickUnusedPort();
  ASSERT_TRUE(metrics_port.ok() && nowhere.ok());
  // Booking and directory are not needed for the page: the follow-up
  // serves it while it waits for them.
  auto followup = ServiceProcess::Start(
      TANDEM_FOLLOWUP_BINARY,
      {absl::StrCat("--booking=127.0.0.1:", *nowhere),
       absl::StrCat("--directory=127.0.0.1:", *nowhere),
       absl::StrCat("--metrics_listen=127.0.0.1:", *metrics_port)});
  ASSERT_TRUE(followup.ok()) << followup.status();

  Page page;
  ASSERT_TRUE(Scrape(*metrics_port, &page));
  EXPECT_TRUE(absl::StrContains(page.body,
                                "# TYPE tandem_reminder_outbox_depth gauge\n"))
      << page.body;
  EXPECT_EQ(page.samples.count("tandem_reminder_outbox_depth"), 1u)
      << page.body;
  EXPECT_EQ(page.samples["tandem_reminder_outbox_depth"], 0);
  EXPECT_TRUE(absl::StrContains(
      page.body, "# TYPE tandem_reminder_deliveries_total counter\n"));
  for (const char* channel : {"email", "sms", "file"}) {
    for (const char* outcome :
         {"sent", "failed", "dead", "suppressed", "deferred"}) {
      const std::string series =
          absl::StrCat("tandem_reminder_deliveries_total{channel=\"", channel,
                       "\",outcome=\"", outcome, "\"}");
      EXPECT_EQ(page.samples.count(series), 1u) << series;
      EXPECT_EQ(page.samples[series], 0) << series;
    }
  }
  EXPECT_TRUE(absl::StrContains(page.body,
                                "# TYPE tandem_rpc_requests_total counter\n"));
  EXPECT_TRUE(LabelValuesAreVocabulary(page)) << page.body;

  absl::StatusOr<tandem::testing::ExitInfo> exit = (*followup)->Stop();
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_EQ(exit->exit_code, 0);
}

}  // namespace
