#include "services/common/jwt_minter.h"

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>

#include "absl/status/status.h"

namespace tandem::common {
namespace {

struct JwtFree {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

// Refuses encrypted keys instead of prompting on the terminal.
int NoPassphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*u*/) {
  return 0;
}

std::unique_ptr<EVP_PKEY, PkeyFree> ReadPrivateKey(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (!bio) return nullptr;
  return std::unique_ptr<EVP_PKEY, PkeyFree>(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
}

// Whether `key` is what `algorithm` signs with: RSA for RS256, an EC key on
// P-256 for ES256.
bool KeyFits(EVP_PKEY* key, jwt_alg_t algorithm) {
  if (algorithm == JWT_ALG_RS256) {
    return EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA;
  }
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) return false;
  char group[64] = {};
  size_t length = 0;
  if (EVP_PKEY_get_group_name(key, group, sizeof(group), &length) != 1) {
    return false;
  }
  const std::string_view name(group, length);
  return name == "prime256v1" || name == "P-256";
}

// "coordinator" for one role, ["admin","coordinator"] for several.
nlohmann::json RoleClaim(const Roles& roles) {
  nlohmann::json names = nlohmann::json::array();
  for (Role role :
       {Role::kAdmin, Role::kCoordinator, Role::kTherapist, Role::kService}) {
    if (roles.Has(role)) names.push_back(std::string(RoleName(role)));
  }
  if (names.size() == 1) return names[0];
  return names;
}

}  // namespace

absl::StatusOr<std::string> MintToken(const std::string& private_key_pem,
                                      const std::string& algorithm,
                                      const TokenClaims& claims,
                                      absl::Time now) {
  jwt_alg_t alg = JWT_ALG_INVAL;
  if (algorithm == "ES256") alg = JWT_ALG_ES256;
  if (algorithm == "RS256") alg = JWT_ALG_RS256;
  if (alg == JWT_ALG_INVAL) {
    return absl::InvalidArgumentError("jwt algorithm: must be ES256 or RS256");
  }
  if (claims.subject.empty()) {
    return absl::InvalidArgumentError("token subject: required");
  }
  if (claims.roles.empty()) {
    return absl::InvalidArgumentError("token roles: at least one required");
  }
  if (claims.ttl <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("token ttl: must be positive");
  }
  std::unique_ptr<EVP_PKEY, PkeyFree> key = ReadPrivateKey(private_key_pem);
  if (!key) {
    return absl::InvalidArgumentError(
        "jwt private key: not an unencrypted PEM private key "
        "(-----BEGIN PRIVATE KEY-----)");
  }
  if (!KeyFits(key.get(), alg)) {
    return absl::InvalidArgumentError(
        algorithm == "ES256" ? "jwt private key: ES256 needs an EC P-256 key"
                             : "jwt private key: RS256 needs an RSA key");
  }

  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return absl::InternalError("jwt: out of memory");
  std::unique_ptr<jwt_t, JwtFree> jwt(raw);
  const long iat = static_cast<long>(absl::ToUnixSeconds(now));
  const long exp = static_cast<long>(absl::ToUnixSeconds(now + claims.ttl));
  const std::string roles =
      nlohmann::json{{"role", RoleClaim(claims.roles)}}.dump();
  bool ok = jwt_add_grant(jwt.get(), "sub", claims.subject.c_str()) == 0 &&
            jwt_add_grants_json(jwt.get(), roles.c_str()) == 0 &&
            jwt_add_grant(jwt.get(), "iss", claims.issuer.c_str()) == 0 &&
            jwt_add_grant(jwt.get(), "aud", claims.audience.c_str()) == 0 &&
            jwt_add_grant_int(jwt.get(), "iat", iat) == 0 &&
            jwt_add_grant_int(jwt.get(), "nbf", iat) == 0 &&
            jwt_add_grant_int(jwt.get(), "exp", exp) == 0;
  if (ok && !claims.therapist_id.empty()) {
    ok = jwt_add_grant(jwt.get(), "therapist_id",
                       claims.therapist_id.c_str()) == 0;
  }
  if (ok && !claims.key_id.empty()) {
    ok = jwt_add_header(jwt.get(), "kid", claims.key_id.c_str()) == 0;
  }
  if (!ok) return absl::InvalidArgumentError("token claims: not accepted");
  if (jwt_set_alg(
          jwt.get(), alg,
          reinterpret_cast<const unsigned char*>(private_key_pem.data()),
          static_cast<int>(private_key_pem.size())) != 0) {
    return absl::InvalidArgumentError("jwt private key: not accepted");
  }
  char* token = jwt_encode_str(jwt.get());
  if (token == nullptr) {
    return absl::InvalidArgumentError(
        "jwt private key: signing with it failed");
  }
  std::string out(token);
  free(token);
  return out;
}

}  // namespace tandem::common
