// Which bearer token tandemctl sends with every call, and what it tells the
// user when a service refuses it.
//
// The first of:
//   1. a token given as --token, TANDEM_TOKEN or `token` in the config file,
//      or the file named by --token-file, TANDEM_TOKEN_FILE or `token_file`
//      (see Settings; a flag beats the environment beats the file);
//   2. a development token minted in memory when <pki>/jwt-dev.key exists
//      (deploy/dev-pki makes it; scripts/start runs that): subject
//      "dev:$USER", the roles of --as (admin,coordinator by default), the
//      --therapist id when --as includes therapist, valid for 15 minutes,
//      ES256, issuer "tandem-dev", audience "tandem";
//   3. no token: a service that wants one answers UNAUTHENTICATED, and
//      WithTokenHint says how to get one.
#ifndef TANDEM_CLIENTS_TANDEMCTL_BEARER_TOKEN_H_
#define TANDEM_CLIENTS_TANDEMCTL_BEARER_TOKEN_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/tandemctl/config.h"
#include "services/common/jwt_minter.h"

namespace tandem::cli {

enum class TokenOrigin { kNone, kGiven, kFile, kDevelopmentKey };

struct BearerToken {
  std::string token;  // empty for kNone
  TokenOrigin origin = TokenOrigin::kNone;
  // For people: "--token/TANDEM_TOKEN", "token file /x",
  // "development key data/pki/jwt-dev.key".
  std::string source;
};

// <pki>/jwt-dev.key.
std::string DevKeyPath(const Settings& settings);

// "dev:" + $USER, or "dev:local" without one.
std::string DevSubject(const EnvLookup& env);

// The claims of the development token of an invocation: DevSubject, the
// roles of settings.as, settings.therapist when those include therapist
// (INVALID_ARGUMENT without a "th-" id), the default 15-minute ttl.
absl::StatusOr<common::TokenClaims> DevTokenClaims(const Settings& settings,
                                                   const EnvLookup& env);

// Signs `claims` (ES256, issuer and audience as in `claims`) with the
// private key in `key_file`. FAILED_PRECONDITION naming the file when it is
// missing or unreadable, with how to create it; INVALID_ARGUMENT from
// MintToken otherwise, and for a therapist role without a "th-" id.
absl::StatusOr<std::string> MintDevToken(const std::string& key_file,
                                         const common::TokenClaims& claims,
                                         absl::Time now);

// The token to send (see above). Fails when a token file cannot be read or
// is empty, or when the development key exists but cannot mint.
absl::StatusOr<BearerToken> ResolveBearerToken(const Settings& settings,
                                               const EnvLookup& env,
                                               absl::Time now);

// `status` of a failed call, with a hint appended when the services refused
// the caller: how to get a token (UNAUTHENTICATED), or which development
// roles were used (PERMISSION_DENIED with a development token). Any other
// status is returned unchanged.
absl::Status WithTokenHint(absl::Status status, const BearerToken& token,
                           const Settings& settings);

// What a token says about its holder, read WITHOUT verifying the signature
// (for `auth whoami`; only the services decide whether it is valid).
struct TokenSummary {
  std::string subject;
  std::vector<std::string> roles;  // the role claim, string or array
  std::string therapist_id;
  std::string issuer;
  std::optional<absl::Time> expires;
};
// INVALID_ARGUMENT when `token` is not three base64url parts with a JSON
// object as payload.
absl::StatusOr<TokenSummary> DecodeUnverified(absl::string_view token);

}  // namespace tandem::cli

#endif  // TANDEM_CLIENTS_TANDEMCTL_BEARER_TOKEN_H_
