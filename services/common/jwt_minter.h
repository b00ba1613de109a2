// Mints signed JWTs in the shape JwtVerifier accepts: the development
// tokens of tandemctl (`tandemctl auth dev-token`, and the token it makes on
// its own when the development key is at hand) and the tokens of tests.
// Production tokens come from the clinic's identity provider, never from
// here.
//
// The development PKI (deploy/dev-pki, at ${TANDEM_DATA:-data}/pki) holds the
// files named below: the CA that signed every service certificate, and an
// EC P-256 key pair whose public half the services verify tokens with
// (algorithm kDevAlgorithm, issuer kDevIssuer, audience kDevAudience).
//
// Example:
//
//   TokenClaims claims;
//   claims.subject = "dev:alice";
//   claims.roles = {Role::kTherapist};
//   claims.therapist_id = "th-3";
//   absl::StatusOr<std::string> token =
//       MintToken(private_key_pem, kDevAlgorithm, claims, absl::Now());
#ifndef TANDEM_SERVICES_COMMON_JWT_MINTER_H_
#define TANDEM_SERVICES_COMMON_JWT_MINTER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/caller.h"

namespace tandem::common {

inline constexpr char kDevIssuer[] = "tandem-dev";
inline constexpr char kDevAudience[] = "tandem";
inline constexpr char kDevAlgorithm[] = "ES256";
// File names inside the development PKI directory.
inline constexpr char kDevJwtKeyFile[] = "jwt-dev.key";
inline constexpr char kDevJwtPublicKeyFile[] = "jwt-dev.pub";
inline constexpr char kCaFile[] = "ca.crt";

struct TokenClaims {
  // "sub": a stable user id, never a name. Required.
  std::string subject;
  // "role": one or more. Required.
  Roles roles;
  // "therapist_id" ("th-3"); left out when empty. JwtVerifier refuses a
  // therapist's token without one, MintToken does not check (tests mint
  // such tokens on purpose).
  std::string therapist_id;
  std::string issuer = kDevIssuer;
  std::string audience = kDevAudience;
  // exp = iat + ttl.
  absl::Duration ttl = absl::Minutes(15);
  // The header's "kid": which key of a JWKS verifies the token (see
  // jwks.h); left out when empty.
  std::string key_id;
};

// Signs a JWT with libjwt. Header: alg (and typ JWT); kid when key_id is
// set. Claims: sub; role, a string for one role ("coordinator") and an
// array for several (["admin","coordinator"]); therapist_id when set; iss;
// aud; iat = now; nbf = iat; exp = iat + ttl.
//
// `algorithm` is "ES256" (an EC P-256 key) or "RS256" (an RSA key);
// `private_key_pem` is a PEM private key ("BEGIN PRIVATE KEY", PKCS#8, or
// the traditional EC/RSA forms).
//
// INVALID_ARGUMENT for an unknown algorithm, a key that is not a PEM private
// key or does not fit the algorithm, an empty subject or roles, or a
// non-positive ttl. Never puts key material in a message.
absl::StatusOr<std::string> MintToken(const std::string& private_key_pem,
                                      const std::string& algorithm,
                                      const TokenClaims& claims,
                                      absl::Time now);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_JWT_MINTER_H_
