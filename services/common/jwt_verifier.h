// Verifies end users' bearer tokens (signed JWTs) and turns them into a
// Caller. Every service uses it through its authenticator
// (ServiceAuthenticator): a call from a person carries
// "authorization: Bearer <token>", a call from a peer service is identified
// by its mTLS certificate instead.
//
// Only the configured asymmetric algorithm (RS256 or ES256) is accepted:
// tokens saying "none" or an HMAC algorithm are refused before their claims
// are read, which closes both `alg: none` and the HMAC-with-the-public-key
// confusion. With a key set (JwtOptions::keys_by_kid, read from the
// identity provider's JWKS by ParseJwks in jwks.h), the token's header "kid"
// names the key that verifies it; a token without a kid, or naming a key
// not in the set, is refused. Then expiry, not-before (with a small leeway
// for clock skew), issuer and audience are checked, and the claims must name
// known roles; a therapist's token must carry their therapist id.
//
// Claims: sub (required); role, one role name or a non-empty array of them
// ("coordinator", ["admin", "coordinator"]) out of "admin", "coordinator",
// "therapist"; therapist_id ("th-...", required with "therapist"); iss; aud
// (string or array); exp (required); nbf.
//
// A token naming the "service" role is refused: service identity comes from
// the certificate, never from a token that any holder could replay.
//
// Development tokens with these claims are minted by MintToken
// (jwt_minter.h) with the development key of deploy/dev-pki.
#ifndef TANDEM_SERVICES_COMMON_JWT_VERIFIER_H_
#define TANDEM_SERVICES_COMMON_JWT_VERIFIER_H_

#include <grpcpp/grpcpp.h>

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/caller.h"

namespace tandem::common {

struct JwtOptions {
  // Set exactly one of public_key_pem and keys_by_kid.
  // The identity provider's public key, PEM.
  std::string public_key_pem;
  // The identity provider's public keys (PEM) by key id, from its JWKS (see
  // ParseJwks in jwks.h): the header "kid" of a token picks its key.
  std::map<std::string, std::string> keys_by_kid;
  // "RS256" or "ES256".
  std::string algorithm = "RS256";
  // Required values of iss and aud.
  std::string issuer;
  std::string audience;
  // Clock skew allowed on exp and nbf.
  absl::Duration leeway = absl::Seconds(60);
};

class JwtVerifier {
 public:
  // INVALID_ARGUMENT for an unknown algorithm, a missing issuer or
  // audience, both or neither of public_key_pem and keys_by_kid, an empty
  // kid, or a key that is not a PEM public key.
  static absl::StatusOr<JwtVerifier> Create(JwtOptions options);

  // UNAUTHENTICATED (with a reason that names no claim values) unless the
  // token is valid at `now`.
  absl::StatusOr<Caller> Verify(absl::string_view token, absl::Time now) const;

 private:
  explicit JwtVerifier(JwtOptions options) : options_(std::move(options)) {}
  JwtOptions options_;
};

// Authenticator reading "authorization: Bearer <token>" from the call.
class JwtAuthenticator final : public Authenticator {
 public:
  explicit JwtAuthenticator(JwtVerifier verifier)
      : verifier_(std::move(verifier)) {}
  absl::StatusOr<Caller> Authenticate(
      const grpc::ServerContextBase& context) const override;

 private:
  JwtVerifier verifier_;
};

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_JWT_VERIFIER_H_
