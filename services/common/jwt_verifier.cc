#include "services/common/jwt_verifier.h"

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace tandem::common {
namespace {

struct JwtFree {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using Jwt = std::unique_ptr<jwt_t, JwtFree>;

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("bearer token: ", why));
}

// The header's "alg" and "kid" (empty when absent), read without trusting
// anything else in the token.
struct Header {
  std::string alg;
  std::string kid;
};
Header ReadHeader(absl::string_view token) {
  Jwt jwt;
  jwt_t* raw = nullptr;
  const std::string copy(token);
  // No key: only the format is checked; used to read the header alone.
  if (jwt_decode(&raw, copy.c_str(), nullptr, 0) != 0) return {};
  jwt.reset(raw);
  const char* alg = jwt_get_header(jwt.get(), "alg");
  const char* kid = jwt_get_header(jwt.get(), "kid");
  return {alg == nullptr ? "" : alg, kid == nullptr ? "" : kid};
}

bool IsPublicKeyPem(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (!bio) return false;
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) return false;
  EVP_PKEY_free(key);
  return true;
}

bool AudienceMatches(jwt_t* jwt, const std::string& audience) {
  char* json = jwt_get_grants_json(jwt, "aud");
  if (json == nullptr) return false;
  const nlohmann::json aud = nlohmann::json::parse(json, nullptr, false);
  free(json);
  if (aud.is_string()) return aud.get<std::string>() == audience;
  if (!aud.is_array()) return false;
  for (const auto& entry : aud) {
    if (entry.is_string() && entry.get<std::string>() == audience) return true;
  }
  return false;
}

absl::StatusOr<Role> RoleFromName(absl::string_view role) {
  if (role == "admin") return Role::kAdmin;
  if (role == "coordinator") return Role::kCoordinator;
  if (role == "therapist") return Role::kTherapist;
  if (role == "service") return Role::kService;
  return Unauthenticated("unknown role");
}

// The "role" claim: one role name, or a non-empty array of them.
absl::StatusOr<Roles> RolesFromClaim(jwt_t* jwt) {
  char* json = jwt_get_grants_json(jwt, "role");
  if (json == nullptr) return Unauthenticated("no role");
  const nlohmann::json claim = nlohmann::json::parse(json, nullptr, false);
  free(json);
  nlohmann::json names = claim;
  if (claim.is_string()) names = nlohmann::json::array({claim});
  if (!names.is_array() || names.empty()) {
    return Unauthenticated("role must be a role name or a list of them");
  }
  Roles roles;
  for (const auto& name : names) {
    if (!name.is_string()) {
      return Unauthenticated("role must be a role name or a list of them");
    }
    absl::StatusOr<Role> role = RoleFromName(name.get<std::string>());
    if (!role.ok()) return role.status();
    roles.Add(*role);
  }
  return roles;
}

}  // namespace

absl::StatusOr<JwtVerifier> JwtVerifier::Create(JwtOptions options) {
  if (options.algorithm != "RS256" && options.algorithm != "ES256") {
    return absl::InvalidArgumentError("jwt algorithm: must be RS256 or ES256");
  }
  if (options.issuer.empty()) {
    return absl::InvalidArgumentError("jwt issuer: required");
  }
  if (options.audience.empty()) {
    return absl::InvalidArgumentError("jwt audience: required");
  }
  if (options.keys_by_kid.empty()) {
    if (!IsPublicKeyPem(options.public_key_pem)) {
      return absl::InvalidArgumentError(
          "jwt public key: not a PEM public key (-----BEGIN PUBLIC KEY-----)");
    }
    return JwtVerifier(std::move(options));
  }
  if (!options.public_key_pem.empty()) {
    return absl::InvalidArgumentError(
        "jwt keys: a public key or a key set by kid, not both");
  }
  for (const auto& [kid, pem] : options.keys_by_kid) {
    if (kid.empty()) {
      return absl::InvalidArgumentError("jwt key set: a key without a kid");
    }
    if (!IsPublicKeyPem(pem)) {
      return absl::InvalidArgumentError(
          absl::StrCat("jwt key set: key \"", absl::CHexEscape(kid),
                       "\" is not a PEM public key"));
    }
  }
  return JwtVerifier(std::move(options));
}

absl::StatusOr<Caller> JwtVerifier::Verify(absl::string_view token,
                                           absl::Time now) const {
  if (token.empty()) return Unauthenticated("missing");
  // Refuse every algorithm but the configured one before verifying: libjwt
  // would otherwise check an HS256 token with the public key as its secret.
  const Header header = ReadHeader(token);
  if (header.alg != options_.algorithm) {
    return Unauthenticated(
        absl::StrCat("algorithm must be ", options_.algorithm));
  }
  const std::string* key = &options_.public_key_pem;
  if (!options_.keys_by_kid.empty()) {
    auto it = options_.keys_by_kid.find(header.kid);
    if (it == options_.keys_by_kid.end()) {
      return Unauthenticated("unknown key id");
    }
    key = &it->second;
  }
  jwt_t* raw = nullptr;
  const std::string copy(token);
  if (jwt_decode(&raw, copy.c_str(),
                 reinterpret_cast<const unsigned char*>(key->data()),
                 static_cast<int>(key->size())) != 0) {
    return Unauthenticated("bad signature or format");
  }
  Jwt jwt(raw);
  if (jwt_get_alg(jwt.get()) != jwt_str_alg(options_.algorithm.c_str())) {
    return Unauthenticated(
        absl::StrCat("algorithm must be ", options_.algorithm));
  }

  const int64_t now_s = absl::ToUnixSeconds(now);
  const int64_t leeway = absl::ToInt64Seconds(options_.leeway);
  errno = 0;
  const long exp = jwt_get_grant_int(jwt.get(), "exp");
  if (errno != 0 || exp <= 0) return Unauthenticated("no expiry");
  if (now_s >= exp + leeway) return Unauthenticated("expired");
  errno = 0;
  const long nbf = jwt_get_grant_int(jwt.get(), "nbf");
  if (errno == 0 && now_s + leeway < nbf) {
    return Unauthenticated("not valid yet");
  }
  const char* iss = jwt_get_grant(jwt.get(), "iss");
  if (iss == nullptr || options_.issuer != iss) {
    return Unauthenticated("wrong issuer");
  }
  if (!AudienceMatches(jwt.get(), options_.audience)) {
    return Unauthenticated("wrong audience");
  }

  Caller caller;
  const char* sub = jwt_get_grant(jwt.get(), "sub");
  if (sub == nullptr || *sub == '\0') return Unauthenticated("no subject");
  caller.subject = sub;
  absl::StatusOr<Roles> roles = RolesFromClaim(jwt.get());
  if (!roles.ok()) return roles.status();
  // Peer services are identified by their mTLS certificate alone, so a token
  // (which any holder can replay) never makes a caller a service.
  if (roles->Has(Role::kService)) {
    return Unauthenticated(
        "service identity comes from the certificate, not a token");
  }
  caller.roles = *roles;
  if (caller.Has(Role::kTherapist)) {
    const char* therapist = jwt_get_grant(jwt.get(), "therapist_id");
    if (therapist == nullptr || !absl::StartsWith(therapist, "th-")) {
      return Unauthenticated("a therapist's token needs therapist_id");
    }
    caller.therapist_id = therapist;
  }
  return caller;
}

absl::StatusOr<Caller> JwtAuthenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return Unauthenticated("missing");
  absl::string_view value(it->second.data(), it->second.size());
  constexpr absl::string_view kBearer = "Bearer ";
  if (!absl::StartsWith(value, kBearer)) {
    return Unauthenticated("authorization must be 'Bearer <token>'");
  }
  value.remove_prefix(kBearer.size());
  return verifier_.Verify(value, absl::Now());
}

}  // namespace tandem::common
