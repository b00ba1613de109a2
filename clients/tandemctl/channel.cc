#include "clients/tandemctl/channel.h"

#include <grpcpp/support/client_interceptor.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace tandem::cli {
namespace {

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
