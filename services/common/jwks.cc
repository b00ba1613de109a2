#include "services/common/jwks.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/status_macros.h"

namespace tandem::common {
namespace {

using Json = nlohmann::json;

template <typename T, void (*kFree)(T*)>
struct Free {
  void operator()(T* p) const { kFree(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, Free<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtx =
    std::unique_ptr<EVP_PKEY_CTX, Free<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using Bignum = std::unique_ptr<BIGNUM, Free<BIGNUM, BN_free>>;
using ParamBuilder =
    std::unique_ptr<OSSL_PARAM_BLD, Free<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Free<OSSL_PARAM, OSSL_PARAM_free>>;

constexpr int kMinRsaBits = 2048;
constexpr size_t kP256CoordinateBytes = 32;

// One entry of "keys": its kid and PEM, or why it is skipped.
struct Entry {
  std::string kid;
  std::string pem;
  std::string skipped;  // non-empty: the reason it is skipped
};

Entry Skip(std::string reason) {
  Entry entry;
  entry.skipped = std::move(reason);
  return entry;
}

// "keys[2]", or `keys[2] (kid "old")` when the key has a string kid.
std::string Label(size_t index, const Json& key) {
  std::string label = absl::StrCat("keys[", index, "]");
  if (key.is_object()) {
    auto kid = key.find("kid");
    if (kid != key.end() && kid->is_string()) {
      absl::StrAppend(&label, " (kid \"",
                      absl::CHexEscape(kid->get_ref<const std::string&>()),
                      "\")");
    }
  }
  return label;
}

absl::Status Malformed(absl::string_view label, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(label, ": ", why));
}

// The member `name` of `key`: nullopt when absent, an error when it is not
// a string.
absl::StatusOr<std::optional<std::string>> StringMember(
    const Json& key, const char* name, absl::string_view label) {
  auto it = key.find(name);
  if (it == key.end()) return std::optional<std::string>();
  if (!it->is_string()) {
    return Malformed(label, absl::StrCat("\"", name, "\" must be a string"));
  }
  return std::optional<std::string>(it->get<std::string>());
}

// The base64url member `name` of `key`, decoded.
absl::StatusOr<std::string> Base64UrlMember(const Json& key, const char* name,
                                            absl::string_view label) {
  auto it = key.find(name);
  std::string bytes;
  if (it == key.end() || !it->is_string() ||
      !absl::WebSafeBase64Unescape(it->get_ref<const std::string&>(), &bytes) ||
      bytes.empty()) {
    return Malformed(label,
                     absl::StrCat("\"", name, "\" must be a base64url string"));
  }
  return bytes;
}

// Whether "key_ops", when present, allows verifying.
absl::StatusOr<bool> KeyOpsAllowVerify(const Json& key,
                                       absl::string_view label) {
  auto it = key.find("key_ops");
  if (it == key.end()) return true;
  if (!it->is_array()) {
    return Malformed(label, "\"key_ops\" must be an array of strings");
  }
  bool verify = false;
  for (const Json& op : *it) {
    if (!op.is_string()) {
      return Malformed(label, "\"key_ops\" must be an array of strings");
    }
    verify = verify || op.get_ref<const std::string&>() == "verify";
  }
  return verify;
}

// A public key of `type` ("EC", "RSA") from its parameters, checked by
// OpenSSL (an EC point on the curve, a plausible RSA modulus and exponent).
absl::StatusOr<Pkey> FromData(const char* type, OSSL_PARAM* params,
                              absl::string_view label) {
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    ERR_clear_error();
    return Malformed(label, "not a valid public key");
  }
  Pkey key(raw);
  PkeyCtx check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    ERR_clear_error();
    return Malformed(label, "not a valid public key");
  }
  return key;
}

absl::StatusOr<Pkey> EcP256Key(const Json& key, absl::string_view label) {
  ASSIGN_OR_RETURN(const std::string x, Base64UrlMember(key, "x", label));
  ASSIGN_OR_RETURN(const std::string y, Base64UrlMember(key, "y", label));
  if (x.size() != kP256CoordinateBytes || y.size() != kP256CoordinateBytes) {
    return Malformed(label, "\"x\" and \"y\" must be 32 bytes each on P-256");
  }
  // The uncompressed point: 0x04 || x || y.
  std::string point = absl::StrCat("\x04", x, y);
  char group[] = "P-256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                        point.size()),
      OSSL_PARAM_construct_end(),
  };
  return FromData("EC", params, label);
}

Bignum ToBignum(const std::string& big_endian) {
  return Bignum(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(big_endian.data()),
                static_cast<int>(big_endian.size()), nullptr));
}

// The RSA key, or a null Pkey when its modulus is shorter than kMinRsaBits.
absl::StatusOr<Pkey> RsaKey(const Json& key, absl::string_view label) {
  ASSIGN_OR_RETURN(const std::string n_bytes, Base64UrlMember(key, "n", label));
  ASSIGN_OR_RETURN(const std::string e_bytes, Base64UrlMember(key, "e", label));
  Bignum n = ToBignum(n_bytes);
  Bignum e = ToBignum(e_bytes);
  ParamBuilder builder(OSSL_PARAM_BLD_new());
  if (!n || !e || !builder)
    return absl::ResourceExhaustedError("out of memory");
  if (BN_num_bits(n.get()) < kMinRsaBits) return Pkey();
  if (OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) !=
          1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) !=
          1) {
    ERR_clear_error();
    return Malformed(label, "not a valid public key");
  }
  Params params(OSSL_PARAM_BLD_to_param(builder.get()));
  if (!params) return absl::ResourceExhaustedError("out of memory");
  return FromData("RSA", params.get(), label);
}

absl::StatusOr<std::string> PublicKeyPem(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  char* data = nullptr;
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) {
    ERR_clear_error();
    return absl::InternalError("cannot write a PEM public key");
  }
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

absl::StatusOr<Entry> ReadKey(const Json& key, absl::string_view label,
                              absl::string_view algorithm) {
  if (!key.is_object()) return Malformed(label, "must be a JSON object");
  if (key.contains("d") || key.contains("k")) {
    return Malformed(label,
                     "holds private or secret key material; a key set for "
                     "verifying tokens holds public keys only");
  }
  ASSIGN_OR_RETURN(const std::optional<std::string> kty,
                   StringMember(key, "kty", label));
  if (!kty.has_value()) return Malformed(label, "\"kty\" is required");
  ASSIGN_OR_RETURN(const std::optional<std::string> crv,
                   StringMember(key, "crv", label));
  ASSIGN_OR_RETURN(const std::optional<std::string> use,
                   StringMember(key, "use", label));
  ASSIGN_OR_RETURN(const std::optional<std::string> alg,
                   StringMember(key, "alg", label));
  ASSIGN_OR_RETURN(const std::optional<std::string> kid,
                   StringMember(key, "kid", label));
  ASSIGN_OR_RETURN(const bool verify, KeyOpsAllowVerify(key, label));

  if (use.has_value() && *use != "sig") return Skip("\"use\" is not \"sig\"");
  if (!verify) return Skip("\"key_ops\" lack \"verify\"");
  if (alg.has_value() && *alg != algorithm) {
    return Skip(absl::StrCat("\"alg\" is not ", algorithm));
  }
  const bool ec = algorithm == "ES256";
  if (ec && (*kty != "EC" || crv != "P-256")) {
    return Skip("not an EC P-256 key, which ES256 needs");
  }
  if (!ec && *kty != "RSA") return Skip("not an RSA key, which RS256 needs");
  if (!kid.has_value() || kid->empty()) {
    return Skip("no \"kid\", so no token can name it");
  }
  Pkey public_key;
  if (ec) {
    ASSIGN_OR_RETURN(public_key, EcP256Key(key, label));
  } else {
    ASSIGN_OR_RETURN(public_key, RsaKey(key, label));
    if (!public_key) {
      return Skip(absl::StrCat("RSA key shorter than ", kMinRsaBits, " bits"));
    }
  }
  Entry entry;
  entry.kid = *kid;
  ASSIGN_OR_RETURN(entry.pem, PublicKeyPem(public_key.get()));
  return entry;
}

// ParseJwks without the "jwks: " prefix on its messages.
absl::StatusOr<JwksKeys> Parse(absl::string_view json,
                               absl::string_view algorithm) {
  if (algorithm != "ES256" && algorithm != "RS256") {
    return absl::InvalidArgumentError("algorithm must be ES256 or RS256");
  }
  const Json document = Json::parse(json.begin(), json.end(), nullptr,
                                    /*allow_exceptions=*/false);
  if (document.is_discarded()) return absl::InvalidArgumentError("not JSON");
  auto keys = document.is_object() ? document.find("keys") : document.end();
  if (!document.is_object() || keys == document.end() || !keys->is_array()) {
    return absl::InvalidArgumentError(
        "must be a JSON object with a \"keys\" array");
  }
  JwksKeys out;
  for (size_t i = 0; i < keys->size(); ++i) {
    const Json& key = (*keys)[i];
    const std::string label = Label(i, key);
    ASSIGN_OR_RETURN(Entry entry, ReadKey(key, label, algorithm));
    if (!entry.skipped.empty()) {
      out.skipped.push_back(absl::StrCat(label, ": ", entry.skipped));
      continue;
    }
    if (!out.pem_by_kid.emplace(entry.kid, std::move(entry.pem)).second) {
      return Malformed(label, "another key has the same \"kid\"");
    }
  }
  if (out.pem_by_kid.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no key usable for ", algorithm, " (", out.skipped.size(),
                     " skipped", out.skipped.empty() ? "" : ": ",
                     absl::StrJoin(out.skipped, "; "), ")"));
  }
  return out;
}

absl::Status Prefixed(const absl::Status& status, absl::string_view prefix) {
  return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
}

}  // namespace

absl::StatusOr<JwksKeys> ParseJwks(absl::string_view json,
                                   absl::string_view algorithm) {
  absl::StatusOr<JwksKeys> keys = Parse(json, algorithm);
  if (!keys.ok()) return Prefixed(keys.status(), "jwks: ");
  return keys;
}

absl::StatusOr<JwksKeys> ReadJwksFile(const std::string& path,
                                      absl::string_view algorithm,
                                      absl::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(what, ": cannot read ", path));
  }
  std::ostringstream content;
  content << in.rdbuf();
  absl::StatusOr<JwksKeys> keys = Parse(content.str(), algorithm);
  if (!keys.ok()) {
    return Prefixed(keys.status(), absl::StrCat(what, ": ", path, ": "));
  }
  return keys;
}

}  // namespace tandem::common
