#include "services/common/audit/audit_service.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <string>

#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "services/common/proto_time.h"
#include "services/common/test_db.h"

namespace tandem::common::audit {
namespace {

namespace v1 = tandem::audit::v1;

const absl::Time kNow = absl::FromCivil(
    absl::CivilSecond(2026, 11, 24, 9, 0, 0), absl::UTCTimeZone());

// The caller named by the call's metadata: "x-subject" and "x-roles"
// ("admin+coordinator"); no x-subject is UNAUTHENTICATED.
class MetadataAuthenticator final : public Authenticator {
 public:
  absl::StatusOr<Caller> Authenticate(
      const grpc::ServerContextBase& context) const override {
    const auto& metadata = context.client_metadata();
    auto subject = metadata.find("x-subject");
    if (subject == metadata.end()) {
      return absl::UnauthenticatedError("no credentials");
    }
    Caller caller;
    caller.subject =
        std::string(subject->second.data(), subject->second.size());
    auto roles = metadata.find("x-roles");
    if (roles != metadata.end()) {
      for (absl::string_view role : absl::StrSplit(
               absl::string_view(roles->second.data(), roles->second.size()),
               '+')) {
        if (role == "admin") caller.roles.Add(Role::kAdmin);
        if (role == "coordinator") caller.roles.Add(Role::kCoordinator);
        if (role == "therapist") caller.roles.Add(Role::kTherapist);
      }
    }
    return caller;
  }
};

// A real server on a free port, over a fresh audit file.
class AuditServiceTest : public testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<AuditLog>> log =
        AuditLog::Open(dir_.File("booking.audit.db"));
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
    service_ = std::make_unique<AuditService>(
        "booking", log_.get(), &authenticator_, [] { return kNow; });
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::AuditService::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                            grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  void Seed(int n) {
    for (int i = 1; i <= n; ++i) {
      AuditEntry entry;
      entry.time = kNow - absl::Hours(n - i + 1);
      entry.subject = i % 2 == 1 ? "dev:alice" : "dev:bob";
      entry.roles = "coordinator";
      entry.service = "booking";
      entry.action = "GetCouple";
      entry.couple_ids = {"cp-" + std::to_string(i)};
      entry.resource_ids = entry.couple_ids;
      entry.outcome = "OK";
      ASSERT_TRUE(log_->Append(entry).ok());
    }
  }

  static void As(grpc::ClientContext* context, const std::string& subject,
                 const std::string& roles) {
    context->AddMetadata("x-subject", subject);
    context->AddMetadata("x-roles", roles);
  }

  grpc::Status List(const std::string& roles,
                    const v1::ListAuditRecordsRequest& request,
                    v1::ListAuditRecordsResponse* response) {
    grpc::ClientContext context;
    As(&context, "dev:root", roles);
    return stub_->ListAuditRecords(&context, request, response);
  }

  // The newest record, read straight from the log.
  AuditRecord Newest() {
    AuditFilter filter;
    filter.after_seq = log_->head_seq() - 1;
    auto records = log_->List(filter);
    EXPECT_TRUE(records.ok() && records->size() == 1);
    return records.ok() && !records->empty() ? records->back() : AuditRecord{};
  }

  TempDir dir_;
  MetadataAuthenticator authenticator_;
  std::unique_ptr<AuditLog> log_;
  std::unique_ptr<AuditService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::AuditService::Stub> stub_;
};

TEST_F(AuditServiceTest, AdminListsRecordsAndTheListingIsAudited) {
  Seed(3);
  v1::ListAuditRecordsRequest request;
  v1::ListAuditRecordsResponse response;
  grpc::Status status = List("admin+coordinator", request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.records_size(), 3);
  const v1::AuditRecord& first = response.records(0);
  EXPECT_EQ(first.seq(), 1);
  EXPECT_EQ(FromProto(first.time()), kNow - absl::Hours(3));
  EXPECT_EQ(first.subject(), "dev:alice");
  EXPECT_EQ(first.roles(), "coordinator");
  EXPECT_EQ(first.service(), "booking");
  EXPECT_EQ(first.action(), "GetCouple");
  ASSERT_EQ(first.couple_ids_size(), 1);
  EXPECT_EQ(first.couple_ids(0), "cp-1");
  EXPECT_EQ(first.resource_ids(0), "cp-1");
  EXPECT_EQ(first.outcome(), "OK");
  EXPECT_EQ(first.prev_hash(), std::string(kGenesisHash));
  EXPECT_EQ(response.records(1).prev_hash(), first.hash());
  EXPECT_TRUE(response.next_page_token().empty());

  AuditRecord own = Newest();
  EXPECT_EQ(own.seq, 4);
  EXPECT_EQ(own.entry.subject, "dev:root");
  EXPECT_EQ(own.entry.roles, "admin+coordinator");
  EXPECT_EQ(own.entry.service, "booking");
  EXPECT_EQ(own.entry.action, "ListAuditRecords");
  EXPECT_EQ(own.entry.outcome, "OK");
  EXPECT_EQ(own.entry.time, kNow);
}

TEST_F(AuditServiceTest, OthersAreDeniedAndTheDenialIsAudited) {
  Seed(2);
  v1::ListAuditRecordsRequest request;
  request.set_couple_id("cp-1");
  v1::ListAuditRecordsResponse response;
  grpc::Status status = List("coordinator+therapist", request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(), "audit records are for administrators");
  EXPECT_EQ(response.records_size(), 0);
  AuditRecord own = Newest();
  EXPECT_EQ(own.entry.action, "ListAuditRecords");
  EXPECT_EQ(own.entry.outcome, "PERMISSION_DENIED");
  EXPECT_EQ(own.entry.couple_ids, (std::vector<std::string>{"cp-1"}));

  grpc::ClientContext context;
  As(&context, "dev:carol", "therapist");
  v1::VerifyAuditLogResponse verify;
  status =
      stub_->VerifyAuditLog(&context, v1::VerifyAuditLogRequest(), &verify);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  own = Newest();
  EXPECT_EQ(own.entry.subject, "dev:carol");
  EXPECT_EQ(own.entry.action, "VerifyAuditLog");
  EXPECT_EQ(own.entry.outcome, "PERMISSION_DENIED");
}

TEST_F(AuditServiceTest, UnauthenticatedCallsAreRefused) {
  grpc::ClientContext context;
  v1::ListAuditRecordsResponse response;
  grpc::Status status = stub_->ListAuditRecords(
      &context, v1::ListAuditRecordsRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuditServiceTest, PagesFollowTokensAndFiltersApply) {
  Seed(5);
  v1::ListAuditRecordsRequest request;
  request.set_page_size(2);
  std::vector<int64_t> seqs;
  for (int page = 0; page < 10; ++page) {
    v1::ListAuditRecordsResponse response;
    grpc::Status status = List("admin", request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_LE(response.records_size(), 2);
    for (const auto& r : response.records()) seqs.push_back(r.seq());
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  // The listing's own records (6, 7, ...) come after the seeded ones; the
  // pages stop at whatever existed when each page was read.
  ASSERT_GE(seqs.size(), 5u);
  for (size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], int64_t(i) + 1);

  v1::ListAuditRecordsRequest filtered;
  filtered.set_subject("dev:bob");
  *filtered.mutable_start_time() = ToProto(kNow - absl::Hours(4));
  *filtered.mutable_end_time() = ToProto(kNow - absl::Hours(2));
  v1::ListAuditRecordsResponse response;
  ASSERT_TRUE(List("admin", filtered, &response).ok());
  // dev:bob has seq 2 at -4h and seq 4 at -2h: the end is exclusive.
  ASSERT_EQ(response.records_size(), 1);
  EXPECT_EQ(response.records(0).seq(), 2);
}

TEST_F(AuditServiceTest, BadRequestsNameTheField) {
  struct Case {
    std::string field;
    v1::ListAuditRecordsRequest request;
  };
  std::vector<Case> cases(3);
  cases[0].field = "page_size";
  cases[0].request.set_page_size(-1);
  cases[1].field = "page_token";
  cases[1].request.set_page_token("not-a-token");
  cases[2].field = "end_time";
  *cases[2].request.mutable_start_time() = ToProto(kNow);
  *cases[2].request.mutable_end_time() = ToProto(kNow - absl::Seconds(1));
  for (const Case& c : cases) {
    v1::ListAuditRecordsResponse response;
    grpc::Status status = List("admin", c.request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << c.field;
    EXPECT_NE(status.error_message().find(c.field), std::string::npos)
        << status.error_message();
    EXPECT_EQ(Newest().entry.outcome, "INVALID_ARGUMENT");
  }
}

TEST_F(AuditServiceTest, VerifyReportsIntactThenTheFirstBreak) {
  Seed(4);
  grpc::ClientContext context;
  As(&context, "dev:root", "admin");
  v1::VerifyAuditLogResponse response;
  grpc::Status status =
      stub_->VerifyAuditLog(&context, v1::VerifyAuditLogRequest(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(response.intact()) << response.problem();
  EXPECT_EQ(response.records_checked(), 4);
  EXPECT_EQ(Newest().entry.action, "VerifyAuditLog");

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir_.File("booking.audit.db").c_str(), &db),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER audit_records_no_update;"
                         "UPDATE audit_records SET action = 'ListCouples' "
                         "WHERE seq = 3;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);

  grpc::ClientContext again;
  As(&again, "dev:root", "admin");
  response.Clear();
  status =
      stub_->VerifyAuditLog(&again, v1::VerifyAuditLogRequest(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(response.intact());
  EXPECT_EQ(response.first_bad_seq(), 3);
  EXPECT_NE(response.problem().find("record 3"), std::string::npos);
}

TEST_F(AuditServiceTest, CallIsRefusedWhenItsOwnRecordCannotBeWritten) {
  Seed(1);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir_.File("booking.audit.db").c_str(), &db),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE chain_head SET seq = 7", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  v1::ListAuditRecordsResponse response;
  grpc::Status status = List("admin", v1::ListAuditRecordsRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(response.records_size(), 0);
}

}  // namespace
}  // namespace tandem::common::audit
