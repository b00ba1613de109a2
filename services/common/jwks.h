// Reads a JSON Web Key Set (RFC 7517), the form in which identity providers
// publish the public keys their tokens are signed with, into the PEM public
// keys (SubjectPublicKeyInfo) JwtVerifier verifies with, by key id:
//
//   {"keys": [
//     {"kty": "EC", "crv": "P-256", "x": "...", "y": "...",
//      "kid": "2024-05", "alg": "ES256", "use": "sig"},
//     {"kty": "RSA", "n": "...", "e": "AQAB", "kid": "2023-11"}
//   ]}
//
// Example:
//
//   absl::StatusOr<JwksKeys> keys = ParseJwks(document, "ES256");
//   if (!keys.ok()) return keys.status();
//   JwtOptions options;
//   options.algorithm = "ES256";
//   options.keys_by_kid = std::move(keys->pem_by_kid);
//
// Only keys that can verify tokens of the configured algorithm are kept: an
// EC P-256 key for ES256, an RSA key of at least 2048 bits for RS256. A key
// is skipped (and named in JwksKeys::skipped) when its "use" is not "sig",
// its "key_ops" lack "verify", its "alg" is given and is not the configured
// algorithm, its "kty"/"crv" is another kind (OKP, oct, P-384, the other of
// EC and RSA), or it has no "kid" (a token could not name it).
//
// INVALID_ARGUMENT, with a message that never holds key material, for: an
// algorithm other than ES256/RS256; text that is not JSON or not
// {"keys": [...]}; a key that is not an object or whose members have the
// wrong JSON type; a key holding private or secret material ("d", "k"); a
// kept key whose coordinates or modulus are not base64url or not a valid
// public key; two kept keys with the same kid; no key kept.
#ifndef TANDEM_SERVICES_COMMON_JWKS_H_
#define TANDEM_SERVICES_COMMON_JWKS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tandem::common {

struct JwksKeys {
  // kid -> "-----BEGIN PUBLIC KEY-----..." of every kept key; never empty.
  std::map<std::string, std::string> pem_by_kid;
  // One line per skipped key, e.g. `keys[2] (kid "old"): use is not "sig"`.
  std::vector<std::string> skipped;
};

// `algorithm` is "ES256" or "RS256", the verifier's.
absl::StatusOr<JwksKeys> ParseJwks(absl::string_view json,
                                   absl::string_view algorithm);

// ParseJwks on the content of the file at `path`. NOT_FOUND when it cannot
// be read; messages start with `what` (a flag name, say) and the path.
absl::StatusOr<JwksKeys> ReadJwksFile(const std::string& path,
                                      absl::string_view algorithm,
                                      absl::string_view what);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_JWKS_H_
