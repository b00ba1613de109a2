#include "services/common/health_only_server.h"

#include <grpcpp/health_check_service_interface.h>

#include <chrono>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace tandem::common {

namespace {

// Takes the builder's plugins (the reflection service, which would hand
// out the API's schema) off the health-only server.
class NoPluginsOption final : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments* /*args*/) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>*
                         plugins) override {
    plugins->clear();
  }
};

}  // namespace

absl::StatusOr<std::unique_ptr<HealthOnlyServer>> HealthOnlyServer::Start(
    const std::string& address) {
  // A process-wide switch; the services' main servers want it too.
  grpc::EnableDefaultHealthCheckService(true);
  std::unique_ptr<HealthOnlyServer> health(new HealthOnlyServer());
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(),
                           &health->port_);
  builder.SetMaxReceiveMessageSize(4096);
  builder.SetOption(std::make_unique<NoPluginsOption>());
  builder.RegisterCallbackGenericService(&health->unknown_methods_);
  health->server_ = builder.BuildAndStart();
  if (health->server_ == nullptr || health->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", address, " (--health_listen)"));
  }
  // gRPC starts "" as SERVING; nothing is ready until its owner says so.
  health->SetServing("", false);
  return health;
}

HealthOnlyServer::~HealthOnlyServer() {
  if (server_ == nullptr) return;
  server_->Shutdown(std::chrono::system_clock::now());
  server_->Wait();
}

void HealthOnlyServer::SetServing(const std::string& service, bool serving) {
  server_->GetHealthCheckService()->SetServingStatus(service, serving);
}

void HealthOnlyServer::Stopping() {
  server_->GetHealthCheckService()->Shutdown();
}

}  // namespace tandem::common
