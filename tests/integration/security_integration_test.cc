// Security through the real binaries, as the issue's acceptance lists it:
// TLS on every port, tokens checked (missing, expired, wrong issuer or
// audience, bad signature, alg none), roles at the door, a therapist kept
// to their own couples and roster, internal RPCs closed to clients without
// a service certificate, a plaintext client refused, a service that will not
// listen in plaintext beyond loopback, bounded requests, and an audit trail
// whose verify command finds a deleted and an edited record.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/jwt_minter.h"
#include "services/common/test_keys.h"
#include "tandem/audit/v1/audit_service.grpc.pb.h"
#include "tandem/roster/v1/roster_service.grpc.pb.h"
#include "tests/integration/booking_fixture.h"
#include "tests/integration/test_security.h"

namespace tandem::testing {
namespace {

namespace bk = ::tandem::booking::v1;
namespace dir = ::tandem::directory::v1;
namespace rs = ::tandem::roster::v1;
namespace au = ::tandem::audit::v1;
using common::Role;
using common::Roles;

// A P-256 private key nobody trusts, PEM.
std::string StrangerKey() { return common::NewEcTestKeys().private_pem; }

std::string TokenWith(const common::TokenClaims& claims, absl::Time now,
                      const std::string& key_pem) {
  absl::StatusOr<std::string> token =
      common::MintToken(key_pem, common::kDevAlgorithm, claims, now);
  EXPECT_TRUE(token.ok()) << token.status();
  return token.ok() ? *token : "";
}

std::string DevKey() {
  FILE* f = std::fopen((TestPkiDir() + "/" + common::kDevJwtKeyFile).c_str(),
                       "rb");
  std::string pem;
  char buffer[4096];
  size_t n;
  while (f != nullptr && (n = std::fread(buffer, 1, sizeof buffer, f)) > 0) {
    pem.append(buffer, n);
  }
  if (f != nullptr) std::fclose(f);
  return pem;
}

common::TokenClaims Coordinator() {
  common::TokenClaims claims;
  claims.subject = "test:coordinator";
  claims.roles = {Role::kCoordinator};
  return claims;
}

// alg "none": a well-formed token without a signature.
std::string UnsignedToken() {
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  const std::string header = R"({"alg":"none","typ":"JWT"})";
  const std::string payload = absl::StrCat(
      R"({"sub":"test:none","role":"coordinator","iss":"tandem-dev",)",
      R"("aud":"tandem","iat":)", now, R"(,"exp":)", now + 600, "}");
  return absl::StrCat(absl::WebSafeBase64Escape(header), ".",
                      absl::WebSafeBase64Escape(payload), ".");
}

// Runs `command`; its exit status and output.
std::pair<int, std::string> RunShell(const std::string& command) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {-1, out};
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    out.append(buffer, n);
  }
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

void ExecSql(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

class SecurityIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    services_ = new BookingServices;
    StartBookingServices({}, services_);
    if (::testing::Test::HasFatalFailure()) return;
    auto followup = ServiceProcess::Start(
        TANDEM_FOLLOWUP_BINARY,
        {absl::StrCat("--booking=", services_->booking->target()),
         absl::StrCat("--directory=", services_->directory->target())});
    ASSERT_TRUE(followup.ok()) << followup.status();
    followup_ = followup->release();
    auto roster = ServiceProcess::Start(
        TANDEM_ROSTER_BINARY,
        {absl::StrCat("--booking=", services_->booking->target()),
         absl::StrCat("--directory=", services_->directory->target()),
         absl::StrCat("--followup=", followup_->target())});
    ASSERT_TRUE(roster.ok()) << roster.status();
    roster_ = roster->release();
    auto stub = bk::BookingService::NewStub(services_->booking->channel());
    intensive_ = new bk::Intensive(
        BookTenDayIntensive(*stub, TestCouple("Securitytest"), "security"));
  }
  static void TearDownTestSuite() {
    delete roster_;
    delete followup_;
    delete services_;
    delete intensive_;
  }

  // A booking stub that calls with `token` ("" for none).
  static std::unique_ptr<bk::BookingService::Stub> BookingAs(
      const std::string& token) {
    return bk::BookingService::NewStub(
        SecureChannel(services_->booking->target(), UserCredentials(token)));
  }
  static grpc::StatusCode GetCoupleAs(const std::string& token) {
    bk::GetCoupleResponse response;
    bk::GetCoupleRequest request;
    request.set_id(intensive_->couple_id());
    return Call(*BookingAs(token), &bk::BookingService::Stub::GetCouple,
                request, &response)
        .error_code();
  }
  static grpc::Status RosterOf(const std::string& therapist,
                               const std::string& token) {
    auto stub = rs::RosterService::NewStub(
        SecureChannel(roster_->target(), UserCredentials(token)));
    rs::GetTherapistRosterRequest request;
    request.set_therapist_id(therapist);
    *request.mutable_date_range()->mutable_start_date() =
        intensive_->start_date();
    *request.mutable_date_range()->mutable_end_date() =
        intensive_->start_date();
    rs::GetTherapistRosterResponse response;
    return Call(*stub, &rs::RosterService::Stub::GetTherapistRoster, request,
                &response);
  }

  static BookingServices* services_;
  static ServiceProcess* followup_;
  static ServiceProcess* roster_;
  static bk::Intensive* intensive_;
};

BookingServices* SecurityIntegrationTest::services_ = nullptr;
ServiceProcess* SecurityIntegrationTest::followup_ = nullptr;
ServiceProcess* SecurityIntegrationTest::roster_ = nullptr;
bk::Intensive* SecurityIntegrationTest::intensive_ = nullptr;

TEST_F(SecurityIntegrationTest, TokensAreChecked) {
  const absl::Time now = absl::Now();
  const std::string key = DevKey();
  EXPECT_EQ(GetCoupleAs(TokenWith(Coordinator(), now, key)),
            grpc::StatusCode::OK);
  EXPECT_EQ(GetCoupleAs(""), grpc::StatusCode::UNAUTHENTICATED) << "no token";
  EXPECT_EQ(GetCoupleAs(TokenWith(Coordinator(), now - absl::Hours(2), key)),
            grpc::StatusCode::UNAUTHENTICATED)
      << "expired";
  common::TokenClaims issuer = Coordinator();
  issuer.issuer = "someone-else";
  EXPECT_EQ(GetCoupleAs(TokenWith(issuer, now, key)),
            grpc::StatusCode::UNAUTHENTICATED)
      << "wrong issuer";
  common::TokenClaims audience = Coordinator();
  audience.audience = "another-app";
  EXPECT_EQ(GetCoupleAs(TokenWith(audience, now, key)),
            grpc::StatusCode::UNAUTHENTICATED)
      << "wrong audience";
  EXPECT_EQ(GetCoupleAs(TokenWith(Coordinator(), now, StrangerKey())),
            grpc::StatusCode::UNAUTHENTICATED)
      << "bad signature";
  EXPECT_EQ(GetCoupleAs(UnsignedToken()), grpc::StatusCode::UNAUTHENTICATED)
      << "alg none";
  common::TokenClaims service = Coordinator();
  service.roles = {Role::kService};
  EXPECT_EQ(GetCoupleAs(TokenWith(service, now, key)),
            grpc::StatusCode::UNAUTHENTICATED)
      << "the service role comes only from a certificate";
  common::TokenClaims system = Coordinator();
  system.subject = "system";
  EXPECT_EQ(GetCoupleAs(TokenWith(system, now, key)),
            grpc::StatusCode::UNAUTHENTICATED)
      << "the service's own actor name is reserved";
}

TEST_F(SecurityIntegrationTest, RolesAreCheckedAtTheDoor) {
  // An administrator runs settings, not couples.
  EXPECT_EQ(GetCoupleAs(MintTestToken({Role::kAdmin})),
            grpc::StatusCode::PERMISSION_DENIED);
  // A coordinator does not add rooms; a therapist adds nothing.
  for (const Roles& roles :
       {Roles{Role::kCoordinator}, Roles{Role::kTherapist}}) {
    auto directory = dir::DirectoryService::NewStub(SecureChannel(
        services_->directory->target(),
        UserCredentials(MintTestToken(roles, roles.Has(Role::kTherapist)
                                                 ? "th-1"
                                                 : ""))));
    dir::CreateRoomRequest request;
    request.set_request_id(absl::StrCat("room-", roles.ToString()));
    request.mutable_room()->set_display_name("Room X");
    dir::CreateRoomResponse response;
    EXPECT_EQ(Call(*directory, &dir::DirectoryService::Stub::CreateRoom,
                   request, &response)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << roles.ToString();
  }
}

TEST_F(SecurityIntegrationTest, TherapistSeesOnlyTheirOwn) {
  const std::string own = intensive_->team().male_therapist_id();
  const std::string other = intensive_->team().female_therapist_id();
  const std::string own_token = MintTestToken({Role::kTherapist}, own);
  EXPECT_EQ(GetCoupleAs(own_token), grpc::StatusCode::OK);
  EXPECT_EQ(GetCoupleAs(MintTestToken({Role::kTherapist}, "th-999")),
            grpc::StatusCode::PERMISSION_DENIED)
      << "a therapist who does not treat the couple";
  EXPECT_TRUE(RosterOf(own, own_token).ok()) << RosterOf(own, own_token).error_message();
  EXPECT_EQ(RosterOf(other, own_token).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A List narrows instead of failing: th-999 sees no couples at all.
  bk::ListCouplesResponse listed;
  ASSERT_TRUE(Call(*BookingAs(MintTestToken({Role::kTherapist}, "th-999")),
                   &bk::BookingService::Stub::ListCouples,
                   bk::ListCouplesRequest(), &listed)
                  .ok());
  EXPECT_EQ(listed.couples_size(), 0);
}

TEST_F(SecurityIntegrationTest, InternalRpcsNeedAServiceCertificate) {
  auto watch = [](std::shared_ptr<grpc::ChannelCredentials> credentials) {
    auto stub = bk::BookingService::NewStub(
        SecureChannel(services_->booking->target(), std::move(credentials)));
    grpc::ClientContext context;
    SetDeadline(context, absl::Seconds(3));
    auto reader = stub->WatchChanges(&context, bk::WatchChangesRequest());
    bk::WatchChangesResponse response;
    const bool got = reader->Read(&response);
    if (got) context.TryCancel();
    const grpc::Status status = reader->Finish();
    return got ? grpc::StatusCode::OK : status.error_code();
  };
  // A coordinator's token is not a service identity.
  EXPECT_EQ(watch(UserCredentials(OperatorToken())),
            grpc::StatusCode::PERMISSION_DENIED);
  // The follow-up service's certificate is (booking serves it the stream).
  EXPECT_EQ(watch(PeerCredentials("followup")), grpc::StatusCode::OK);
  // The directory's certificate is valid but booking does not serve it.
  EXPECT_EQ(watch(PeerCredentials("directory")),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(SecurityIntegrationTest, PlaintextIsRefused) {
  auto plain = bk::BookingService::NewStub(grpc::CreateChannel(
      services_->booking->target(), grpc::InsecureChannelCredentials()));
  bk::ListCouplesResponse response;
  EXPECT_EQ(Call(*plain, &bk::BookingService::Stub::ListCouples,
                 bk::ListCouplesRequest(), &response)
                .error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(SecurityIntegrationTest, NoPlaintextBeyondLoopback) {
  auto started = ServiceProcess::Start(
      TANDEM_DIRECTORY_BINARY, {"--tls_cert=", "--listen=0.0.0.0:0"});
  ASSERT_FALSE(started.ok()) << "started in plaintext on every interface";
  EXPECT_TRUE(absl::StrContains(started.status().message(),
                                "without TLS: only loopback"))
      << started.status();
}

TEST_F(SecurityIntegrationTest, RequestsAreBounded) {
  bk::CreateCoupleRequest request = bk::CreateCoupleRequest();
  request.set_request_id("bounded");
  *request.mutable_couple() = TestCouple("Bounded");
  request.mutable_couple()->mutable_partner_a()->set_given_name(
      std::string(5000, 'x'));
  bk::CreateCoupleResponse response;
  const grpc::Status status =
      Call(*BookingAs(OperatorToken()),
           &bk::BookingService::Stub::CreateCouple, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "given_name"))
      << status.error_message();
  // Past the message limit the transport refuses it unread.
  request.mutable_couple()->mutable_partner_a()->set_given_name(
      std::string(5 << 20, 'x'));
  EXPECT_EQ(Call(*BookingAs(OperatorToken()),
                 &bk::BookingService::Stub::CreateCouple, request, &response)
                .error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(SecurityIntegrationTest, AuditListsByCoupleForAdminsOnly) {
  auto audit_as = [](const std::string& token) {
    return au::AuditService::NewStub(
        SecureChannel(services_->booking->target(), UserCredentials(token)));
  };
  ASSERT_EQ(GetCoupleAs(MintTestToken({Role::kCoordinator}, "",
                                      "test:audited")),
            grpc::StatusCode::OK);
  au::ListAuditRecordsRequest request;
  request.set_couple_id(intensive_->couple_id());
  au::ListAuditRecordsResponse response;
  ASSERT_TRUE(Call(*audit_as(MintTestToken({Role::kAdmin})),
                   &au::AuditService::Stub::ListAuditRecords, request,
                   &response)
                  .ok());
  bool found = false;
  for (const au::AuditRecord& record : response.records()) {
    if (record.subject() == "test:audited" && record.action() == "GetCouple") {
      found = true;
      EXPECT_EQ(record.outcome(), "OK");
    }
  }
  EXPECT_TRUE(found) << response.DebugString();
  EXPECT_EQ(Call(*audit_as(MintTestToken({Role::kCoordinator})),
                 &au::AuditService::Stub::ListAuditRecords, request,
                 &response)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

// Last: it stops the booking service to edit its audit trail.
TEST_F(SecurityIntegrationTest, ZzAuditVerifyFindsDeletedAndEditedRecords) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(GetCoupleAs(OperatorToken()), grpc::StatusCode::OK);
  }
  ServiceProcess& booking = *services_->booking;
  const std::string verify = absl::StrCat(TANDEM_AUDIT_VERIFY_BINARY, " '",
                                          booking.audit_db_path(), "'");
  ASSERT_TRUE(booking.Stop().ok());
  auto [intact, intact_out] = RunShell(verify);
  EXPECT_EQ(intact, 0) << intact_out;

  const std::string copy = booking.audit_db_path() + ".orig";
  ASSERT_EQ(RunShell(absl::StrCat("cp '", booking.audit_db_path(), "' '", copy,
                             "'")).first,
            0);
  // Someone with the file: the append-only triggers do not stop them.
  ExecSql(booking.audit_db_path(),
          "DROP TRIGGER audit_records_no_delete; "
          "DELETE FROM audit_records WHERE seq = 3");
  auto [deleted, deleted_out] = RunShell(verify);
  EXPECT_NE(deleted, 0) << "a deleted record went unnoticed: " << deleted_out;

  ASSERT_EQ(RunShell(absl::StrCat("cp '", copy, "' '", booking.audit_db_path(),
                             "'")).first,
            0);
  ExecSql(booking.audit_db_path(),
          "DROP TRIGGER audit_records_no_update; "
          "UPDATE audit_records SET subject = 'someone-else' WHERE seq = 2");
  auto [edited, edited_out] = RunShell(verify);
  EXPECT_NE(edited, 0) << "an edited record went unnoticed: " << edited_out;
}

}  // namespace
}  // namespace tandem::testing
