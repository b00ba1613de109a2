#include "clients/tandemctl/errors.h"

#include "gtest/gtest.h"
#include "google/protobuf/any.pb.h"
#include "tandem/booking/v1/booking.pb.h"

namespace tandem::cli {
namespace {

// google.rpc.BadRequest with one violation, hand-encoded (Debian ships no
// google/rpc protos): FieldViolation{field=1, description=2} in field 1.
std::string BadRequestBytes(const std::string& field, const std::string& why) {
  auto ld = [](int number, const std::string& bytes) {
    std::string out(1, static_cast<char>((number << 3) | 2));
    out += static_cast<char>(bytes.size());
    return out + bytes;
  };
  return ld(1, ld(1, field) + ld(2, why));
}

std::string StatusBytes(int code, const std::string& message,
                        const google::protobuf::Any& detail) {
  tandem::booking::v1::ErrorStatus status;
  status.set_code(code);
  status.set_message(message);
  *status.add_details() = detail;
  return status.SerializeAsString();
}

TEST(ErrorLine, ServerErrorsNameTheCode) {
  absl::Status s = StatusFromRpc(
      grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                   "start_date: must not be in the past"),
      "booking", "127.0.0.1:7002");
  EXPECT_EQ(ErrorLine(s),
            "tandemctl: INVALID_ARGUMENT: start_date: must not be in the past");
  EXPECT_EQ(ExitCode(s), kExitServerError);
}

TEST(ErrorLine, UnreachableServerSaysWhichAndWhere) {
  absl::Status s = StatusFromRpc(
      grpc::Status(grpc::StatusCode::UNAVAILABLE,
                   "failed to connect to all addresses; last error: UNKNOWN: "
                   "ipv4:127.0.0.1:7002: Failed to connect to remote host: "
                   "Connection refused"),
      "booking", "127.0.0.1:7002");
  EXPECT_EQ(ErrorLine(s),
            "tandemctl: UNAVAILABLE: booking at 127.0.0.1:7002 is not "
            "reachable (is scripts/start running?)");
  EXPECT_EQ(ExitCode(s), kExitUnavailable);
}

TEST(ErrorLine, UnreachableCarriesTheCallersNote) {
  absl::Status s = StatusFromRpc(
      grpc::Status(grpc::StatusCode::UNAVAILABLE,
                   "failed to connect to all addresses; last error: "
                   "UNAVAILABLE: ipv4:127.0.0.1:7002: Socket closed"),
      "booking", "127.0.0.1:7002", "; spoke plaintext");
  EXPECT_EQ(s.message(),
            "booking at 127.0.0.1:7002 is not reachable (is scripts/start "
            "running?); spoke plaintext");
}

TEST(ErrorLine, AFailedTlsHandshakeSaysSo) {
  absl::Status s = StatusFromRpc(
      grpc::Status(grpc::StatusCode::UNAVAILABLE,
                   "failed to connect to all addresses; last error: UNKNOWN: "
                   "ipv4:127.0.0.1:7002: Ssl handshake failed: SSL_ERROR_SSL: "
                   "error:0A000086:SSL routines::certificate verify failed"),
      "booking", "127.0.0.1:7002", "; spoke plaintext");
  EXPECT_EQ(s.message(),
            "booking at 127.0.0.1:7002 failed the TLS handshake: its "
            "certificate is not from the CA tandemctl trusts (--ca, --pki), "
            "or it does not speak TLS");
  EXPECT_EQ(ExitCode(s), kExitUnavailable);
}

TEST(ErrorLine, AServiceThatAnswersUnavailableKeepsItsMessage) {
  absl::Status s = StatusFromRpc(
      grpc::Status(grpc::StatusCode::UNAVAILABLE,
                   "availability is not known yet; retry shortly"),
      "booking", "b:1");
  EXPECT_EQ(s.message(), "availability is not known yet; retry shortly");
  EXPECT_EQ(ExitCode(s), kExitUnavailable);
}

TEST(ErrorLine, DeadlineIsExitCodeThree) {
  absl::Status s = StatusFromRpc(
      grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "Deadline Exceeded"),
      "roster", "r:4");
  EXPECT_EQ(ExitCode(s), kExitUnavailable);
  EXPECT_NE(s.message().find("roster at r:4"), std::string::npos);
}

TEST(ErrorLine, LocalInvalidArgumentIsAUsageError) {
  absl::Status s = absl::InvalidArgumentError("--date: 'x' is not a date");
  EXPECT_TRUE(IsUsageError(s));
  EXPECT_EQ(ExitCode(s), kExitUsage);
  EXPECT_EQ(ErrorLine(s), "tandemctl: --date: 'x' is not a date");
  EXPECT_EQ(ExitCode(UsageError("bad")), kExitUsage);
  EXPECT_EQ(ExitCode(absl::NotFoundError("no saved proposal")),
            kExitServerError);
  EXPECT_EQ(ExitCode(absl::OkStatus()), kExitOk);
}

TEST(FieldViolations, AreDecodedAndNamedInTheMessage) {
  google::protobuf::Any any;
  any.set_type_url("type.googleapis.com/google.rpc.BadRequest");
  any.set_value(BadRequestBytes("plan.start_date", "must not be in the past"));
  const std::string details = StatusBytes(3, "bad plan", any);
  auto violations = FieldViolations(details);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "plan.start_date");
  absl::Status s = StatusFromRpc(
      grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad plan", details),
      "booking", "b:2");
  EXPECT_EQ(s.message(), "bad plan (plan.start_date: must not be in the past)");
  EXPECT_EQ(ExitCode(s), kExitServerError);
}

TEST(Details, FindsTypedDetailsAndKeepsThemOnTheStatus) {
  tandem::booking::v1::ProposalHint hint;
  hint.add_conflicts()->set_resource_id("th-3");
  google::protobuf::Any any;
  any.PackFrom(hint);
  const std::string details = StatusBytes(10, "taken", any);
  absl::Status s = StatusFromRpc(
      grpc::Status(grpc::StatusCode::ABORTED, "taken", details), "booking",
      "b:2");
  auto bytes = FindDetail(RpcDetails(s), "tandem.booking.v1.ProposalHint");
  ASSERT_TRUE(bytes.has_value());
  tandem::booking::v1::ProposalHint parsed;
  ASSERT_TRUE(parsed.ParseFromString(*bytes));
  EXPECT_EQ(parsed.conflicts(0).resource_id(), "th-3");
  EXPECT_FALSE(FindDetail(details, "tandem.booking.v1.ConflictInfo"));
  EXPECT_TRUE(FieldViolations("garbage\xff").empty());
}

}  // namespace
}  // namespace tandem::cli
