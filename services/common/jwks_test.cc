#include "services/common/jwks.h"

#include <gtest/gtest.h>
#include <jwt.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/common/jwt_minter.h"
#include "services/common/test_keys.h"
#include "services/common/jwt_verifier.h"

namespace tandem::common {
namespace {

using Json = nlohmann::json;

const absl::Time kNow = absl::FromUnixSeconds(1795000000);
constexpr char kIssuer[] = "https://id.example.org";
constexpr auto kOk = absl::StatusCode::kOk;
constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;
constexpr auto kUnauthenticated = absl::StatusCode::kUnauthenticated;

// A generated key pair: its PEMs and its public half as a JWK.
struct Key {
  std::string private_pem, public_pem;
  Json jwk;
};

std::string Pem(EVP_PKEY* key, bool is_private) {
  return PemOf(key, is_private);
}

// The big-endian bytes of a BIGNUM parameter, left-padded to `width` (0: no
// padding), base64url without padding as JWKs hold them.
std::string Base64UrlParam(EVP_PKEY* key, const char* name, int width = 0) {
  BIGNUM* bn = nullptr;
  EXPECT_EQ(EVP_PKEY_get_bn_param(key, name, &bn), 1) << name;
  std::string bytes(width > 0 ? static_cast<size_t>(width)
                              : static_cast<size_t>(BN_num_bytes(bn)),
                    '\0');
  auto* out = reinterpret_cast<unsigned char*>(bytes.data());
  if (width > 0) {
    BN_bn2binpad(bn, out, width);
  } else {
    BN_bn2bin(bn, out);
  }
  BN_free(bn);
  return absl::WebSafeBase64Escape(bytes);
}

// kind: "EC" (P-256), "P-384", "RSA" (2048 bits) or "RSA-1024".
Key MakeKey(const std::string& kind, const std::string& kid) {
  EVP_PKEY* pkey = kind == "EC"      ? EVP_EC_gen("P-256")
                   : kind == "P-384" ? EVP_EC_gen("P-384")
                   : kind == "RSA"   ? EVP_RSA_gen(2048)
                                     : EVP_RSA_gen(1024);
  Key key{Pem(pkey, true), Pem(pkey, false), Json::object()};
  if (kind == "EC" || kind == "P-384") {
    const int width = kind == "EC" ? 32 : 48;
    key.jwk = {{"kty", "EC"},
               {"crv", kind == "EC" ? "P-256" : "P-384"},
               {"x", Base64UrlParam(pkey, OSSL_PKEY_PARAM_EC_PUB_X, width)},
               {"y", Base64UrlParam(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, width)}};
  } else {
    key.jwk = {{"kty", "RSA"},
               {"n", Base64UrlParam(pkey, OSSL_PKEY_PARAM_RSA_N)},
               {"e", Base64UrlParam(pkey, OSSL_PKEY_PARAM_RSA_E)}};
  }
  if (!kid.empty()) key.jwk["kid"] = kid;
  EVP_PKEY_free(pkey);
  return key;
}

// Key generation is slow (RSA): each test suite makes its keys once.
const Key& Cached(const std::string& kind, const std::string& kid) {
  static std::map<std::string, Key> keys;
  const std::string name = absl::StrCat(kind, "/", kid);
  auto it = keys.find(name);
  if (it == keys.end()) it = keys.emplace(name, MakeKey(kind, kid)).first;
  return it->second;
}

std::string Document(const std::vector<Json>& keys) {
  return Json{{"keys", keys}}.dump();
}

TokenClaims Good(const std::string& kid) {
  TokenClaims claims;
  claims.subject = "user-17";
  claims.roles = {Role::kCoordinator};
  claims.issuer = kIssuer;
  claims.audience = "tandem";
  claims.key_id = kid;
  return claims;
}

// What MintToken refuses to make: alg none, HS256. `kid` empty: no kid.
std::string HandMade(jwt_alg_t alg, const std::string& key,
                     const std::string& kid) {
  jwt_t* jwt = nullptr;
  jwt_new(&jwt);
  jwt_add_grant(jwt, "sub", "user-17");
  jwt_add_grant(jwt, "role", "admin");
  jwt_add_grant(jwt, "iss", kIssuer);
  jwt_add_grant(jwt, "aud", "tandem");
  jwt_add_grant_int(jwt, "exp", absl::ToUnixSeconds(kNow + absl::Minutes(5)));
  if (!kid.empty()) jwt_add_header(jwt, "kid", kid.c_str());
  jwt_set_alg(jwt, alg,
              key.empty() ? nullptr
                          : reinterpret_cast<const unsigned char*>(key.data()),
              static_cast<int>(key.size()));
  char* token = jwt_encode_str(jwt);
  std::string out = token == nullptr ? "" : token;
  free(token);
  jwt_free(jwt);
  return out;
}

// The header of a token, decoded without verification.
Json HeaderOf(const std::string& token) {
  std::string json;
  EXPECT_TRUE(
      absl::WebSafeBase64Unescape(token.substr(0, token.find('.')), &json));
  return Json::parse(json, nullptr, false);
}

TEST(JwksTest, EcKeysBecomeTheirPublicPem) {
  const Key& a = Cached("EC", "a");
  const Key& b = Cached("EC", "b");
  Json with_alg = b.jwk;
  with_alg["alg"] = "ES256";
  with_alg["use"] = "sig";
  with_alg["key_ops"] = {"verify"};
  absl::StatusOr<JwksKeys> keys =
      ParseJwks(Document({a.jwk, with_alg}), "ES256");
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_EQ(keys->pem_by_kid, (std::map<std::string, std::string>{
                                  {"a", a.public_pem}, {"b", b.public_pem}}));
  EXPECT_TRUE(keys->skipped.empty());
}

TEST(JwksTest, RsaKeysBecomeTheirPublicPem) {
  const Key& r = Cached("RSA", "r");
  Json with_alg = r.jwk;
  with_alg["alg"] = "RS256";
  absl::StatusOr<JwksKeys> keys = ParseJwks(Document({with_alg}), "RS256");
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_EQ(keys->pem_by_kid,
            (std::map<std::string, std::string>{{"r", r.public_pem}}));
}

TEST(JwksTest, KeysThatCannotVerifyTheAlgorithmAreSkipped) {
  Json enc = Cached("EC", "enc").jwk;
  enc["use"] = "enc";
  Json es384 = Cached("EC", "es384").jwk;
  es384["alg"] = "ES384";
  Json encrypt_only = Cached("EC", "ops").jwk;
  encrypt_only["key_ops"] = {"encrypt"};
  Json okp = {{"kty", "OKP"},
              {"crv", "Ed25519"},
              {"x", "11qYAYKxCrfVS_7T"},
              {"kid", "okp"}};
  const std::vector<Json> all = {Cached("EC", "good").jwk,
                                 enc,
                                 es384,
                                 encrypt_only,
                                 okp,
                                 Cached("P-384", "p384").jwk,
                                 Cached("RSA", "rsa").jwk,
                                 Cached("EC", "").jwk};  // no kid
  absl::StatusOr<JwksKeys> keys = ParseJwks(Document(all), "ES256");
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->pem_by_kid.size(), 1u);
  EXPECT_EQ(keys->pem_by_kid.begin()->first, "good");
  EXPECT_EQ(keys->skipped.size(), 7u);
  ASSERT_FALSE(keys->skipped.empty());
  EXPECT_EQ(keys->skipped[0], R"(keys[1] (kid "enc"): "use" is not "sig")");

  // For RS256 only the RSA key fits; a short one does not.
  Json rs256 = Cached("RSA", "rs256").jwk;
  rs256["alg"] = "RS256";
  Json ps256 = Cached("RSA", "ps256").jwk;
  ps256["alg"] = "PS256";
  keys = ParseJwks(Document({Cached("EC", "ec").jwk, rs256, ps256,
                             Cached("RSA-1024", "short").jwk}),
                   "RS256");
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_EQ(keys->pem_by_kid.size(), 1u);
  EXPECT_EQ(keys->pem_by_kid.count("rs256"), 1u);
  EXPECT_EQ(keys->skipped.size(), 3u);
}

TEST(JwksTest, MalformedDocumentsAreRefused) {
  const Json ec = Cached("EC", "a").jwk;
  Json bad_x = ec;
  bad_x["x"] = "not base64url!";
  Json short_x = ec;
  short_x["x"] = absl::WebSafeBase64Escape(std::string(31, '\x01'));
  Json off_curve = ec;  // y of another point: not on the curve with this x
  off_curve["y"] = Cached("EC", "b").jwk["y"];
  Json no_y = ec;
  no_y.erase("y");
  Json kid_number = ec;
  kid_number["kid"] = 7;
  Json use_number = ec;
  use_number["use"] = true;
  Json ops_string = ec;
  ops_string["key_ops"] = "verify";
  Json no_kty = ec;
  no_kty.erase("kty");
  Json private_ec = ec;
  private_ec["d"] = "AAAA";
  Json bad_n = Cached("RSA", "r").jwk;
  // 2048 bits, but even: not an RSA modulus.
  bad_n["n"] = absl::WebSafeBase64Escape(std::string(256, '\x82'));
  Json secret = {{"kty", "oct"}, {"k", "c2VjcmV0"}, {"kid", "s"}};

  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json", "{"},
      {"array", "[]"},
      {"no keys", "{}"},
      {"keys not an array", R"({"keys": {}})"},
      {"empty keys", R"({"keys": []})"},
      {"a key not an object", R"({"keys": [1]})"},
      {"x not base64url", Document({bad_x})},
      {"x too short", Document({short_x})},
      {"point not on the curve", Document({off_curve})},
      {"no y", Document({no_y})},
      {"kid a number", Document({kid_number})},
      {"use a bool", Document({use_number})},
      {"key_ops a string", Document({ops_string})},
      {"no kty", Document({no_kty})},
      {"private key", Document({private_ec})},
      {"secret key", Document({secret, ec})},
      {"duplicate kid", Document({ec, ec})},
      {"no usable key", Document({Cached("RSA", "r").jwk})},
  };
  for (const auto& [name, document] : cases) {
    absl::StatusOr<JwksKeys> keys = ParseJwks(document, "ES256");
    EXPECT_EQ(keys.status().code(), kInvalid) << name;
    // Never key material in the message.
    for (const char* member : {"x", "y", "d", "k"}) {
      for (const Json& key : {ec, private_ec, secret, bad_x}) {
        if (!key.contains(member)) continue;
        EXPECT_EQ(keys.status().message().find(key[member].get<std::string>()),
                  std::string::npos)
            << name << ": " << keys.status();
      }
    }
  }
  const absl::Status even_modulus =
      ParseJwks(Document({bad_n}), "RS256").status();
  EXPECT_EQ(even_modulus.code(), kInvalid);
  EXPECT_EQ(even_modulus.message(),
            R"(jwks: keys[0] (kid "r"): not a valid public key)");
  EXPECT_EQ(ParseJwks(Document({ec}), "HS256").status().code(), kInvalid);
  // The same kid on keys of different types is fine when one is skipped.
  Json rsa_a = Cached("RSA", "r").jwk;
  rsa_a["kid"] = "a";
  EXPECT_EQ(ParseJwks(Document({ec, rsa_a}), "ES256").status().code(), kOk);
}

TEST(JwksTest, ReadsAFile) {
  const std::string path = absl::StrCat(testing::TempDir(), "/jwks.json");
  std::ofstream(path) << Document({Cached("EC", "a").jwk});
  absl::StatusOr<JwksKeys> keys = ReadJwksFile(path, "ES256", "--jwt_jwks");
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_EQ(keys->pem_by_kid.count("a"), 1u);

  std::ofstream(path) << "{";
  keys = ReadJwksFile(path, "ES256", "--jwt_jwks");
  EXPECT_EQ(keys.status().code(), kInvalid);
  EXPECT_EQ(keys.status().message(),
            absl::StrCat("--jwt_jwks: ", path, ": not JSON"));
  EXPECT_EQ(
      ReadJwksFile(path + ".missing", "ES256", "--jwt_jwks").status().code(),
      absl::StatusCode::kNotFound);
}

TEST(JwksTest, MintTokenPutsTheKidInTheHeader) {
  absl::StatusOr<std::string> token =
      MintToken(Cached("EC", "a").private_pem, "ES256", Good("a"), kNow);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(HeaderOf(*token).value("kid", ""), "a");
  token = MintToken(Cached("EC", "a").private_pem, "ES256", Good(""), kNow);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_FALSE(HeaderOf(*token).contains("kid"));
}

// The verifier with a key set, for each algorithm: "EC" (ES256), "RSA"
// (RS256).
class JwksVerifierTest : public testing::TestWithParam<std::string> {
 protected:
  std::string Algorithm() const {
    return GetParam() == "EC" ? "ES256" : "RS256";
  }
  const Key& KeyNamed(const std::string& kid) const {
    return Cached(GetParam(), kid);
  }

  // A verifier trusting the keys "k1" and "k2".
  JwtVerifier Verifier() const {
    absl::StatusOr<JwksKeys> keys = ParseJwks(
        Document({KeyNamed("k1").jwk, KeyNamed("k2").jwk}), Algorithm());
    EXPECT_TRUE(keys.ok()) << keys.status();
    JwtOptions options;
    options.keys_by_kid =
        keys.ok() ? keys->pem_by_kid : std::map<std::string, std::string>();
    options.algorithm = Algorithm();
    options.issuer = kIssuer;
    options.audience = "tandem";
    absl::StatusOr<JwtVerifier> verifier = JwtVerifier::Create(options);
    EXPECT_TRUE(verifier.ok()) << verifier.status();
    return *std::move(verifier);
  }

  // A token with header kid `kid` (none when empty) signed by the private
  // half of `signer`.
  std::string Minted(const std::string& kid, const Key& signer) const {
    absl::StatusOr<std::string> token =
        MintToken(signer.private_pem, Algorithm(), Good(kid), kNow);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.ok() ? *token : "";
  }

  absl::Status Verify(const std::string& token) const {
    return Verifier().Verify(token, kNow).status();
  }
};

TEST_P(JwksVerifierTest, TheKidPicksTheKey) {
  absl::StatusOr<Caller> caller =
      Verifier().Verify(Minted("k1", KeyNamed("k1")), kNow);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->subject, "user-17");
  EXPECT_TRUE(Verify(Minted("k2", KeyNamed("k2"))).ok());
  // Signed by k2 but naming k1.
  EXPECT_EQ(Verify(Minted("k1", KeyNamed("k2"))).code(), kUnauthenticated);
}

TEST_P(JwksVerifierTest, UnknownOrMissingKidsAreRefused) {
  const absl::Status unknown = Verify(Minted("k3", KeyNamed("k3")));
  EXPECT_EQ(unknown.code(), kUnauthenticated);
  EXPECT_EQ(unknown.message(), "bearer token: unknown key id");
  const absl::Status missing = Verify(Minted("", KeyNamed("k1")));
  EXPECT_EQ(missing.code(), kUnauthenticated);
  EXPECT_EQ(missing.message(), "bearer token: unknown key id");
}

TEST_P(JwksVerifierTest, ForgedTokensAreRefused) {
  // Signed by a key outside the set that claims a kid in it.
  EXPECT_EQ(Verify(Minted("k1", KeyNamed("outsider"))).code(),
            kUnauthenticated);
  // alg: none, naming a known key.
  EXPECT_EQ(Verify(HandMade(JWT_ALG_NONE, "", "k1")).code(), kUnauthenticated);
  // HS256 with the known key's public PEM as the HMAC secret.
  const std::string hs256 =
      HandMade(JWT_ALG_HS256, KeyNamed("k1").public_pem, "k1");
  ASSERT_FALSE(hs256.empty());
  EXPECT_EQ(Verify(hs256).code(), kUnauthenticated);
  EXPECT_EQ(Verify("not.a.token").code(), kUnauthenticated);
}

INSTANTIATE_TEST_SUITE_P(EcAndRsa, JwksVerifierTest,
                         testing::Values("EC", "RSA"));

TEST(JwksVerifierConfigTest, KeySetsAreChecked) {
  JwtOptions options;
  options.algorithm = "ES256";
  options.issuer = kIssuer;
  options.audience = "tandem";
  options.keys_by_kid = {{"a", Cached("EC", "a").public_pem}};
  EXPECT_TRUE(JwtVerifier::Create(options).ok());
  options.public_key_pem = Cached("EC", "a").public_pem;  // and a single key
  EXPECT_EQ(JwtVerifier::Create(options).status().code(), kInvalid);
  options.public_key_pem = "";
  options.keys_by_kid = {{"a", Cached("EC", "a").private_pem}};
  EXPECT_EQ(JwtVerifier::Create(options).status().code(), kInvalid);
  options.keys_by_kid = {{"", Cached("EC", "a").public_pem}};
  EXPECT_EQ(JwtVerifier::Create(options).status().code(), kInvalid);
}

}  // namespace
}  // namespace tandem::common
