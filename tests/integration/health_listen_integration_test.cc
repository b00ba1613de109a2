// --health_listen through the real binaries: the plaintext health-only port
// that Kubernetes' gRPC probes use (they cannot speak TLS) answers the
// standard health service and nothing else, follows the service's own
// health (booking is NOT_SERVING there too until its directory replica is
// complete), and tandem-probe reads it by exit code, as Docker's
// HEALTHCHECK does; with --ca it probes the TLS port as well.
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "tandem/directory/v1/directory_service.grpc.pb.h"
#include "tests/integration/health_check.h"
#include "tests/integration/service_process.h"
#include "tests/integration/test_security.h"

namespace tandem::testing {
namespace {

namespace dir = ::tandem::directory::v1;

constexpr char kBookingService[] = "tandem.booking.v1.BookingService";

std::pair<int, std::string> Probe(const std::string& flags) {
  return RunProbe(TANDEM_PROBE_BINARY, flags);
}

std::shared_ptr<grpc::Channel> Plaintext(int port) {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                             grpc::InsecureChannelCredentials());
}

// One ServerReflectionRequest{list_services: ""} sent as a unary call (the
// stream's single request, then half-close).
grpc::Status ListServicesByReflection(
    const std::shared_ptr<grpc::Channel>& channel) {
  grpc::Slice slice(std::string("\x3a\x00", 2));
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(&context,
                 "/grpc.reflection.v1alpha.ServerReflection/"
                 "ServerReflectionInfo",
                 grpc::StubOptions(), &request, &response,
                 [&](grpc::Status result) {
                   status = std::move(result);
                   done.Notify();
                 });
  if (!done.WaitForNotificationWithTimeout(absl::Seconds(10))) {
    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "no callback");
  }
  return status;
}

// Polls Check(`service`) on `channel` until the reply is `want` (at most 15 s).
bool WaitForHealth(const std::shared_ptr<grpc::Channel>& channel,
                   const std::string& service, const std::string& want) {
  const absl::Time give_up = absl::Now() + absl::Seconds(15);
  std::string reply;
  while (absl::Now() < give_up) {
    if (CheckHealth(channel, service, &reply).ok() && reply == want) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  return false;
}

TEST(HealthListen, PlaintextPortAnswersHealthOnly) {
  absl::StatusOr<int> health_port = PickUnusedPort();
  ASSERT_TRUE(health_port.ok()) << health_port.status();
  auto directory = ServiceProcess::Start(
      TANDEM_DIRECTORY_BINARY,
      {absl::StrCat("--health_listen=127.0.0.1:", *health_port)});
  ASSERT_TRUE(directory.ok()) << directory.status();

  std::string reply;
  grpc::Status checked = CheckHealth(Plaintext(*health_port), "", &reply);
  ASSERT_TRUE(checked.ok()) << checked.error_message();
  EXPECT_EQ(reply, kServingReply);
  // The main port still refuses plaintext.
  EXPECT_FALSE(CheckHealth(Plaintext((*directory)->port()), "", &reply).ok());

  // No data on the health port: the directory's API is not there.
  auto stub = dir::DirectoryService::NewStub(Plaintext(*health_port));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  dir::ListTherapistsRequest request;
  dir::ListTherapistsResponse response;
  EXPECT_EQ(stub->ListTherapists(&context, request, &response).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  // Nor its reflection (the schema): only grpc.health.v1.Health.
  EXPECT_EQ(ListServicesByReflection(Plaintext(*health_port)).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);

  auto [plain_exit, plain_out] =
      Probe(absl::StrCat("127.0.0.1:", *health_port));
  EXPECT_EQ(plain_exit, 0) << plain_out;
  EXPECT_TRUE(absl::StrContains(plain_out, "SERVING")) << plain_out;

  auto [tls_exit, tls_out] = Probe(
      absl::StrCat("--ca=", TestPkiDir(), "/ca.crt ", (*directory)->target()));
  EXPECT_EQ(tls_exit, 0) << tls_out;

  // Without --ca the TLS port does not answer a plaintext probe.
  auto [no_ca_exit, no_ca_out] = Probe((*directory)->target());
  EXPECT_EQ(no_ca_exit, 1) << no_ca_out;
  EXPECT_TRUE(absl::StrContains(no_ca_out, "UNREACHABLE")) << no_ca_out;

  auto [unknown_exit, unknown_out] =
      Probe(absl::StrCat("--service=no.such.Service 127.0.0.1:", *health_port));
  EXPECT_EQ(unknown_exit, 1) << unknown_out;
  EXPECT_TRUE(absl::StrContains(unknown_out, "SERVICE_UNKNOWN")) << unknown_out;

  absl::StatusOr<ExitInfo> stopped = (*directory)->Stop();
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_EQ(stopped->exit_code, 0);
  // Stopped: the probe fails.
  auto [gone_exit, gone_out] =
      Probe(absl::StrCat("--timeout=1s 127.0.0.1:", *health_port));
  EXPECT_EQ(gone_exit, 1) << gone_out;
}

TEST(HealthListen, FollowsTheServicesHealth) {
  absl::StatusOr<int> health_port = PickUnusedPort();
  ASSERT_TRUE(health_port.ok()) << health_port.status();
  absl::StatusOr<int> directory_port = PickUnusedPort();
  ASSERT_TRUE(directory_port.ok()) << directory_port.status();
  const std::string directory_target =
      absl::StrCat("127.0.0.1:", *directory_port);

  // Booking without its directory: NOT_SERVING, on both ports.
  auto booking = ServiceProcess::Start(
      TANDEM_BOOKING_BINARY,
      {absl::StrCat("--directory=", directory_target),
       absl::StrCat("--health_listen=127.0.0.1:", *health_port)});
  ASSERT_TRUE(booking.ok()) << booking.status();
  std::string reply;
  ASSERT_TRUE(CheckHealth(Plaintext(*health_port), "", &reply).ok());
  EXPECT_EQ(reply, kNotServingReply);
  ASSERT_TRUE(
      CheckHealth(Plaintext(*health_port), kBookingService, &reply).ok());
  EXPECT_EQ(reply, kNotServingReply);
  ASSERT_TRUE(CheckHealth((*booking)->channel(), "", &reply).ok());
  EXPECT_EQ(reply, kNotServingReply);
  // Alive all the same: the liveness name is SERVING from the start.
  ASSERT_TRUE(CheckHealth(Plaintext(*health_port), "liveness", &reply).ok());
  EXPECT_EQ(reply, kServingReply);
  auto [waiting_exit, waiting_out] =
      Probe(absl::StrCat("127.0.0.1:", *health_port));
  EXPECT_EQ(waiting_exit, 1) << waiting_out;
  EXPECT_TRUE(absl::StrContains(waiting_out, "NOT_SERVING")) << waiting_out;

  // The directory arrives; the replica completes; both ports say SERVING.
  auto directory = ServiceProcess::Start(
      TANDEM_DIRECTORY_BINARY, {absl::StrCat("--listen=", directory_target)});
  ASSERT_TRUE(directory.ok()) << directory.status();
  EXPECT_TRUE(WaitForHealth(Plaintext(*health_port), "", kServingReply));
  EXPECT_TRUE(
      WaitForHealth(Plaintext(*health_port), kBookingService, kServingReply));
  EXPECT_TRUE(WaitForHealth((*booking)->channel(), "", kServingReply));
  auto [ready_exit, ready_out] = Probe(
      absl::StrCat("--service=", kBookingService, " 127.0.0.1:", *health_port));
  EXPECT_EQ(ready_exit, 0) << ready_out;

  absl::StatusOr<ExitInfo> stopped = (*booking)->Stop();
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_EQ(stopped->exit_code, 0);
}

TEST(HealthListen, UnusableAddressIsAStartFailure) {
  auto directory = ServiceProcess::Start(TANDEM_DIRECTORY_BINARY,
                                         {"--health_listen=256.0.0.1:1"});
  ASSERT_FALSE(directory.ok());
  EXPECT_TRUE(
      absl::StrContains(directory.status().message(), "--health_listen"))
      << directory.status();
}

}  // namespace
}  // namespace tandem::testing
