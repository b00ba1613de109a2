#include "services/common/service_authenticator.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace tandem::common {
namespace {

// The verified client certificate's CN, or nothing when the caller
// presented none (or the channel is plaintext).
std::optional<std::string> PeerServiceName(
    const grpc::ServerContextBase& context) {
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) return std::nullopt;
  for (const grpc::string_ref& value :
       auth->FindPropertyValues("x509_common_name")) {
    return std::string(value.data(), value.size());
  }
  return std::nullopt;
}

}  // namespace

ServiceAuthenticator::ServiceAuthenticator(
    std::string service_name, std::optional<JwtVerifier> verifier,
    const std::vector<std::string>& allowed_peers)
    : service_name_(std::move(service_name)),
      allowed_peers_(allowed_peers.begin(), allowed_peers.end()) {
  if (verifier.has_value()) {
    tokens_ = std::make_unique<JwtAuthenticator>(*std::move(verifier));
  }
}

ServiceAuthenticator::~ServiceAuthenticator() = default;

absl::StatusOr<Caller> ServiceAuthenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  if (std::optional<std::string> peer = PeerServiceName(context)) {
    if (!allowed_peers_.contains(*peer)) {
      return absl::PermissionDeniedError(absl::StrCat(
          "service ", *peer, " may not call the ", service_name_, " service"));
    }
    return Caller{absl::StrCat("service:", *peer), {Role::kService}, ""};
  }
  if (tokens_ == nullptr) {
    return absl::UnauthenticatedError(absl::StrCat(
        "the ", service_name_,
        " service accepts no user tokens (started without --jwt_public_key)"));
  }
  absl::StatusOr<Caller> user = tokens_->Authenticate(context);
  // Histories and limits name the service's own work "system" and peers
  // "service:<name>": a token must not pass for either.
  if (user.ok() && (user->subject == "system" ||
                    absl::StartsWith(user->subject, "service:"))) {
    return absl::UnauthenticatedError("token subject is reserved");
  }
  return user;
}

}  // namespace tandem::common
