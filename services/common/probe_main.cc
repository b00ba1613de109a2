// tandem-probe: asks a service for its gRPC health (grpc.health.v1.Health/
// Check) and exits 0 only when it is SERVING; for Docker's HEALTHCHECK,
// compose and anything else that judges a process by its exit code.
//
//   tandem-probe 127.0.0.1:8081                        # plaintext health port
//   tandem-probe --ca=/run/secrets/ca.crt directory:7001   # a TLS port
//
// Prints SERVING, NOT_SERVING, SERVICE_UNKNOWN or UNREACHABLE (CODE).
// Health needs no token and no client certificate, and says nothing about
// anyone's data. The messages are tiny, so they are encoded here (Debian
// ships no generated health stubs): HealthCheckRequest{string service = 1},
// HealthCheckResponse{ServingStatus status = 1}.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

ABSL_FLAG(std::string, ca, "",
          "PEM file of the CA that signed the service's certificate: use TLS "
          "(empty: plaintext, for a --health_listen port)");
ABSL_FLAG(std::string, service, "",
          "the health service name to ask for (empty: the whole server)");
ABSL_FLAG(std::string, server_name, "",
          "with --ca, the name the certificate must carry (default: the "
          "target's host)");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(3),
          "how long to wait for the answer");

namespace {

enum ExitCode { kServing = 0, kNotServing = 1, kUsage = 2 };

std::string Encode(const std::string& service) {
  if (service.empty()) return "";
  return absl::StrCat("\x0a", std::string(1, static_cast<char>(service.size())),
                      service);
}

// HealthCheckResponse.status; 0 (UNKNOWN) when absent.
int DecodeStatus(const std::string& reply) {
  return reply.size() >= 2 && reply[0] == '\x08' ? reply[1] : 0;
}

const char* StatusName(int status) {
  switch (status) {
    case 1:
      return "SERVING";
    case 2:
      return "NOT_SERVING";
    case 3:
      return "SERVICE_UNKNOWN";
    default:
      return "UNKNOWN";
  }
}

bool ReadFile(const std::string& path, std::string* content) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  *content = buffer.str();
  return in.good() || in.eof();
}

int Probe(const std::string& target) {
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      grpc::InsecureChannelCredentials();
  grpc::ChannelArguments arguments;
  const std::string ca_path = absl::GetFlag(FLAGS_ca);
  if (!ca_path.empty()) {
    grpc::SslCredentialsOptions tls;
    if (!ReadFile(ca_path, &tls.pem_root_certs) || tls.pem_root_certs.empty()) {
      std::fprintf(stderr, "tandem-probe: cannot read --ca %s\n",
                   ca_path.c_str());
      return kUsage;
    }
    credentials = grpc::SslCredentials(tls);
    const std::string server_name = absl::GetFlag(FLAGS_server_name);
    if (!server_name.empty()) {
      arguments.SetSslTargetNameOverride(server_name);
    }
  }
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(target, credentials, arguments);

  const absl::Duration timeout = absl::GetFlag(FLAGS_timeout);
  grpc::Slice slice(Encode(absl::GetFlag(FLAGS_service)));
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(),
                 &request, &response, [&](grpc::Status result) {
                   status = std::move(result);
                   done.Notify();
                 });
  // The deadline guarantees the callback; this bound only guards a bug.
  if (!done.WaitForNotificationWithTimeout(timeout + absl::Seconds(5))) {
    std::puts("UNREACHABLE (DEADLINE_EXCEEDED)");
    return kNotServing;
  }
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
    std::puts("SERVICE_UNKNOWN");
    return kNotServing;
  }
  if (!status.ok()) {
    std::printf("UNREACHABLE (code %d: %s)\n",
                static_cast<int>(status.error_code()),
                status.error_message().c_str());
    return kNotServing;
  }
  std::string reply;
  std::vector<grpc::Slice> slices;
  if (response.Dump(&slices).ok()) {
    for (const grpc::Slice& part : slices) {
      reply.append(reinterpret_cast<const char*>(part.begin()), part.size());
    }
  }
  const int serving_status = DecodeStatus(reply);
  std::puts(StatusName(serving_status));
  return serving_status == 1 ? kServing : kNotServing;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Asks a Tandem service for its gRPC health; exit 0 only when SERVING.\n"
      "Usage: tandem-probe [--ca=ca.crt] [--service=NAME] HOST:PORT");
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() != 2) {
    std::fprintf(stderr,
                 "Usage: tandem-probe [--ca=ca.crt] [--service=NAME] "
                 "HOST:PORT\n");
    return kUsage;
  }
  return Probe(positional[1]);
}
