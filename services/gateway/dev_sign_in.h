// Development sign-in for the web console: POST /auth/dev-token mints a
// token with the development key (data/pki/jwt-dev.key), in the shape the
// services verify (issuer kDevIssuer, audience kDevAudience, ES256), the
// way `tandemctl auth dev-token` does. Only on when the gateway is started
// with --dev_token_key; production tokens come from the clinic's identity
// provider.
//
// Request body (JSON):
//   {"role":"coordinator"}
//   {"role":"therapist","therapist_id":"th-1"}
//   {"roles":["admin","coordinator"]}
// Answer:
//   {"token":"<jwt>","expires_at":"2026-11-24T10:00:00Z",
//    "subject":"dev:coordinator","roles":["coordinator"]}
//   (plus "therapist_id" for a therapist)
#ifndef TANDEM_SERVICES_GATEWAY_DEV_SIGN_IN_H_
#define TANDEM_SERVICES_GATEWAY_DEV_SIGN_IN_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace tandem::gateway {

// Long enough for a working day at the console.
inline constexpr absl::Duration kDevTokenLifetime = absl::Hours(8);

class DevSignIn {
 public:
  // Reads the PEM private key at `key_path` and mints a token with it once,
  // so that a wrong key fails at start, not at the first sign-in.
  // NOT_FOUND / FAILED_PRECONDITION / INVALID_ARGUMENT naming the flag.
  static absl::StatusOr<std::unique_ptr<DevSignIn>> FromKeyFile(
      const std::string& key_path);

  // The JSON answer to `request_json` at `now`. INVALID_ARGUMENT saying
  // what is wrong: not JSON, no role, an unknown role (or "service": only
  // services hold it, by certificate), a therapist without "th-N", a
  // therapist_id without the therapist role.
  absl::StatusOr<std::string> Mint(absl::string_view request_json,
                                   absl::Time now) const;

 private:
  explicit DevSignIn(std::string private_key_pem)
      : private_key_pem_(std::move(private_key_pem)) {}

  const std::string private_key_pem_;
};

}  // namespace tandem::gateway

#endif  // TANDEM_SERVICES_GATEWAY_DEV_SIGN_IN_H_
