#include "clients/tandemctl/channel.h"

#include <arpa/inet.h>
#include <grpcpp/support/client_interceptor.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace tandem::cli {
namespace {

// The host of "host:port", "[v6]:port", "v6" or "host".
absl::string_view HostOf(absl::string_view host_port) {
  if (absl::ConsumePrefix(&host_port, "[")) {
    return host_port.substr(0, host_port.find(']'));
  }
  const size_t colon = host_port.find(':');
  if (colon == absl::string_view::npos) return host_port;
  // More than one colon and no brackets: a bare IPv6 address.
  if (host_port.find(':', colon + 1) != absl::string_view::npos) {
    return host_port;
  }
  return host_port.substr(0, colon);
}

bool IsLoopbackHost(absl::string_view host) {
  const std::string name = absl::AsciiStrToLower(host);
  if (name == "localhost" || name == "localhost.") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, name.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, name.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    // ::ffff:127.x.y.z
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

// Adds "authorization: Bearer ..." to every call of a channel.
class BearerInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit BearerInterceptor(std::string value) : value_(std::move(value)) {}
  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::
                PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->emplace("authorization", value_);
    }
    methods->Proceed();
  }

 private:
  const std::string value_;
};

class BearerInterceptorFactory final
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit BearerInterceptorFactory(const std::string& token)
      : value_(absl::StrCat("Bearer ", token)) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* /*info*/) override {
    return new BearerInterceptor(value_);
  }

 private:
  const std::string value_;
};

}  // namespace

bool IsLoopbackAddress(absl::string_view address) {
  address = absl::StripAsciiWhitespace(address);
  if (absl::StartsWith(address, "unix:") ||
      absl::StartsWith(address, "unix-abstract:")) {
    return true;
  }
  if (absl::ConsumePrefix(&address, "dns:")) {
    // dns:host:port or dns://authority/host:port (dns:///host:port).
    if (absl::ConsumePrefix(&address, "//")) {
      const size_t slash = address.find('/');
      if (slash == absl::string_view::npos) return false;
      address.remove_prefix(slash + 1);
    }
  } else if (absl::ConsumePrefix(&address, "ipv4:") ||
             absl::ConsumePrefix(&address, "ipv6:")) {
    // A comma-separated list: loopback only when every entry is.
    if (address.empty()) return false;
    for (absl::string_view entry : absl::StrSplit(address, ',')) {
      if (!IsLoopbackHost(HostOf(entry))) return false;
    }
    return true;
  }
  return !address.empty() && IsLoopbackHost(HostOf(address));
}

absl::StatusOr<Transport> ChooseTransport(absl::string_view address,
                                          absl::string_view ca_file,
                                          bool ca_exists) {
  if (ca_exists) return Transport::kTls;
  if (IsLoopbackAddress(address)) return Transport::kPlaintextLoopback;
  return absl::FailedPreconditionError(absl::StrCat(
      "CA file ", ca_file, " is missing: ", address,
      " is not on this machine, so tandemctl reaches it only over TLS; "
      "pass --ca FILE (or TANDEM_CA) or --pki DIR"));
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(
    const std::string& address, const std::string& ca_file,
    const std::string& bearer_token) {
  std::error_code error;
  const bool ca_exists = std::filesystem::exists(ca_file, error);
  absl::StatusOr<Transport> transport =
      ChooseTransport(address, ca_file, ca_exists);
  if (!transport.ok()) return transport.status();
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (*transport == Transport::kTls) {
    std::ifstream in(ca_file, std::ios::binary);
    std::stringstream pem;
    pem << in.rdbuf();
    if (!in || pem.str().empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("CA file ", ca_file, " cannot be read"));
    }
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = pem.str();
    credentials = grpc::SslCredentials(options);
  } else {
    credentials = grpc::InsecureChannelCredentials();
  }
  if (bearer_token.empty()) return grpc::CreateChannel(address, credentials);
  std::vector<
      std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(
      std::make_unique<BearerInterceptorFactory>(bearer_token));
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      address, credentials, grpc::ChannelArguments(), std::move(interceptors));
}

}  // namespace tandem::cli
