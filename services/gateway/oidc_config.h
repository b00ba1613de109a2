// Where the console signs users in with the clinic's identity provider
// (OpenID Connect, authorization code flow with PKCE, the console being a
// public client): the --oidc_* flags, checked at start. The gateway only
// tells the console (GET /auth/config) and lets the browser reach the token
// endpoint (the CSP's connect-src); the services verify the provider's
// tokens themselves (--jwt_jwks, --jwt_issuer, --jwt_audience).
#ifndef TANDEM_SERVICES_GATEWAY_OIDC_CONFIG_H_
#define TANDEM_SERVICES_GATEWAY_OIDC_CONFIG_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace tandem::gateway {

struct OidcConfig {
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string client_id;
  std::string scope = "openid";

  // "https://idp.example:8443": what the CSP must allow the console to
  // fetch from (the token endpoint's origin).
  std::string TokenOrigin() const;
  // {"authorization_endpoint":...,"token_endpoint":...,"client_id":...,
  // "scope":...}
  std::string ToJson() const;
};

// Checks a configuration: all three of the endpoints and the client id, or
// none (nullopt: no provider). Endpoints must be absolute https URLs;
// http only on a loopback host (a provider on the same machine, in tests).
// INVALID_ARGUMENT naming the flag.
absl::StatusOr<std::optional<OidcConfig>> CheckOidcConfig(OidcConfig config);

// From the --oidc_* flags.
absl::StatusOr<std::optional<OidcConfig>> OidcConfigFromFlags();

}  // namespace tandem::gateway

#endif  // TANDEM_SERVICES_GATEWAY_OIDC_CONFIG_H_
