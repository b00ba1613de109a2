#include "services/gateway/oidc_config.h"

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/logging.h"

ABSL_FLAG(std::string, oidc_authorization_endpoint, "",
          "the identity provider's authorization endpoint "
          "(https://idp.example/realms/clinic/protocol/openid-connect/auth); "
          "with --oidc_token_endpoint and --oidc_client_id, the console "
          "offers 'Sign in with your clinic account'");
ABSL_FLAG(std::string, oidc_token_endpoint, "",
          "the identity provider's token endpoint (it must allow the "
          "console's origin, CORS)");
ABSL_FLAG(std::string, oidc_client_id, "",
          "the console's client id at the identity provider: a public "
          "client, redirect URI https://<console>/");
ABSL_FLAG(std::string, oidc_scope, "openid",
          "scopes the console asks for; the access token must carry the "
          "claims the services verify (role, therapist_id, iss, aud)");

namespace tandem::gateway {
namespace {

// "https://host[:port]" of an absolute URL, or "" when it is not one.
std::string OriginOf(absl::string_view url) {
  absl::string_view rest = url;
  std::string scheme;
  if (absl::ConsumePrefix(&rest, "https://")) {
    scheme = "https://";
  } else if (absl::ConsumePrefix(&rest, "http://")) {
    scheme = "http://";
  } else {
    return "";
  }
  const size_t end = rest.find_first_of("/?#");
  const absl::string_view authority = rest.substr(0, end);
  if (authority.empty() || absl::StrContains(authority, '@')) return "";
  return absl::StrCat(scheme, authority);
}

bool IsLoopbackOrigin(absl::string_view origin) {
  for (absl::string_view host :
       {"http://127.0.0.1", "http://[::1]", "http://localhost"}) {
    absl::string_view rest = origin;
    // The host itself, not a name that starts like it (127.0.0.1.example).
    if (absl::ConsumePrefix(&rest, host) &&
        (rest.empty() || absl::StartsWith(rest, ":"))) {
      return true;
    }
  }
  return false;
}

absl::Status CheckEndpoint(absl::string_view url, absl::string_view flag) {
  const std::string origin = OriginOf(url);
  if (origin.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": must be an absolute https:// URL"));
  }
  if (!absl::StartsWith(origin, "https://") && !IsLoopbackOrigin(origin)) {
    return absl::InvalidArgumentError(absl::StrCat(
        flag, ": must be https (plain http only on this machine's loopback)"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string OidcConfig::TokenOrigin() const { return OriginOf(token_endpoint); }

std::string OidcConfig::ToJson() const {
  return absl::StrCat(
      "{\"authorization_endpoint\":\"", common::JsonEscape(authorization_endpoint),
      "\",\"token_endpoint\":\"", common::JsonEscape(token_endpoint),
      "\",\"client_id\":\"", common::JsonEscape(client_id), "\",\"scope\":\"",
      common::JsonEscape(scope), "\"}");
}

absl::StatusOr<std::optional<OidcConfig>> CheckOidcConfig(OidcConfig config) {
  const bool any = !config.authorization_endpoint.empty() ||
                   !config.token_endpoint.empty() || !config.client_id.empty();
  if (!any) return std::nullopt;
  if (config.authorization_endpoint.empty() || config.token_endpoint.empty() ||
      config.client_id.empty()) {
    return absl::InvalidArgumentError(
        "--oidc_authorization_endpoint, --oidc_token_endpoint and "
        "--oidc_client_id: give all three, or none");
  }
  if (absl::Status s = CheckEndpoint(config.authorization_endpoint,
                                     "--oidc_authorization_endpoint");
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckEndpoint(config.token_endpoint, "--oidc_token_endpoint");
      !s.ok()) {
    return s;
  }
  if (config.scope.empty()) config.scope = "openid";
  return config;
}

absl::StatusOr<std::optional<OidcConfig>> OidcConfigFromFlags() {
  return CheckOidcConfig({
      .authorization_endpoint = absl::GetFlag(FLAGS_oidc_authorization_endpoint),
      .token_endpoint = absl::GetFlag(FLAGS_oidc_token_endpoint),
      .client_id = absl::GetFlag(FLAGS_oidc_client_id),
      .scope = absl::GetFlag(FLAGS_oidc_scope),
  });
}

}  // namespace tandem::gateway
