#include "services/common/jwt_verifier.h"

#include <gtest/gtest.h>
#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/jwt_minter.h"
#include "services/common/test_keys.h"

namespace tandem::common {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1795000000);

using KeyPair = TestKeyPair;

KeyPair MakeKeys(bool ec) { return ec ? NewEcTestKeys() : NewRsaTestKeys(); }

const KeyPair& Rsa() {
  static const KeyPair keys = MakeKeys(false);
  return keys;
}

constexpr char kIssuer[] = "https://id.example.org";

// A well-formed token from the identity provider, signed by MintToken.
TokenClaims Good() {
  TokenClaims claims;
  claims.subject = "user-17";
  claims.roles = {Role::kCoordinator};
  claims.issuer = kIssuer;
  claims.audience = "tandem";
  claims.ttl = absl::Minutes(10);
  return claims;
}

std::string Minted(const TokenClaims& claims, absl::Time now = kNow,
                   const std::string& key = Rsa().private_pem,
                   const std::string& algorithm = "RS256") {
  absl::StatusOr<std::string> token = MintToken(key, algorithm, claims, now);
  EXPECT_TRUE(token.ok()) << token.status();
  return token.ok() ? *token : "";
}

// Hand-crafted tokens for what MintToken refuses to make: other algorithms,
// missing claims, malformed roles.
struct RawClaims {
  std::string sub = "user-17";
  // JSON of the role claim; empty: no role claim.
  std::string role_json = R"("coordinator")";
  std::string iss = kIssuer;
  std::string aud = "tandem";
  long exp = absl::ToUnixSeconds(kNow + absl::Minutes(10));
};

std::string HandMade(const RawClaims& c, jwt_alg_t alg,
                     const std::string& key) {
  jwt_t* jwt = nullptr;
  jwt_new(&jwt);
  jwt_add_grant(jwt, "sub", c.sub.c_str());
  if (!c.role_json.empty()) {
    jwt_add_grants_json(jwt,
                        absl::StrCat(R"({"role":)", c.role_json, "}").c_str());
  }
  jwt_add_grant(jwt, "iss", c.iss.c_str());
  jwt_add_grant(jwt, "aud", c.aud.c_str());
  if (c.exp != 0) jwt_add_grant_int(jwt, "exp", c.exp);
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

JwtVerifier Verifier(const std::string& public_pem = Rsa().public_pem,
                     const std::string& algorithm = "RS256") {
  JwtOptions options;
  options.public_key_pem = public_pem;
  options.algorithm = algorithm;
  options.issuer = kIssuer;
  options.audience = "tandem";
  absl::StatusOr<JwtVerifier> verifier = JwtVerifier::Create(options);
  EXPECT_TRUE(verifier.ok()) << verifier.status();
  return *std::move(verifier);
}

absl::StatusCode CodeOf(const std::string& token) {
  return Verifier().Verify(token, kNow).status().code();
}

constexpr auto kUnauthenticated = absl::StatusCode::kUnauthenticated;
constexpr auto kOk = absl::StatusCode::kOk;

TEST(JwtVerifierTest, AValidTokenNamesTheCaller) {
  TokenClaims claims = Good();
  claims.roles = {Role::kTherapist};
  claims.therapist_id = "th-4";
  absl::StatusOr<Caller> caller = Verifier().Verify(Minted(claims), kNow);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->subject, "user-17");
  EXPECT_EQ(caller->roles, Roles({Role::kTherapist}));
  EXPECT_EQ(caller->therapist_id, "th-4");
}

TEST(JwtVerifierTest, Es256WhenConfigured) {
  const KeyPair ec = MakeKeys(true);
  EXPECT_TRUE(Verifier(ec.public_pem, "ES256")
                  .Verify(Minted(Good(), kNow, ec.private_pem, "ES256"), kNow)
                  .ok());
  // An RS256 token does not pass an ES256 verifier.
  EXPECT_EQ(Verifier(ec.public_pem, "ES256")
                .Verify(Minted(Good()), kNow)
                .status()
                .code(),
            kUnauthenticated);
}

TEST(JwtVerifierTest, TimeIssuerAndAudienceAreChecked) {
  // Minted 15 minutes ago for 10: expired 5 minutes ago.
  EXPECT_EQ(CodeOf(Minted(Good(), kNow - absl::Minutes(15))), kUnauthenticated);
  // Expired 30 s ago: within the leeway.
  EXPECT_EQ(CodeOf(Minted(Good(), kNow - absl::Seconds(630))), kOk);
  // Not valid for 5 minutes yet (nbf = iat).
  EXPECT_EQ(CodeOf(Minted(Good(), kNow + absl::Minutes(5))), kUnauthenticated);
  RawClaims no_expiry;
  no_expiry.exp = 0;
  EXPECT_EQ(CodeOf(HandMade(no_expiry, JWT_ALG_RS256, Rsa().private_pem)),
            kUnauthenticated);
  TokenClaims issuer = Good();
  issuer.issuer = "https://evil.example.org";
  EXPECT_EQ(CodeOf(Minted(issuer)), kUnauthenticated);
  TokenClaims audience = Good();
  audience.audience = "another-app";
  EXPECT_EQ(CodeOf(Minted(audience)), kUnauthenticated);
}

TEST(JwtVerifierTest, ForgedTokensAreRefused) {
  // Signed by another key.
  EXPECT_EQ(CodeOf(Minted(Good(), kNow, MakeKeys(false).private_pem)),
            kUnauthenticated);
  // alg: none.
  EXPECT_EQ(CodeOf(HandMade(RawClaims(), JWT_ALG_NONE, "")), kUnauthenticated);
  // HS256 with the public key as the HMAC secret (algorithm confusion).
  EXPECT_EQ(CodeOf(HandMade(RawClaims(), JWT_ALG_HS256, Rsa().public_pem)),
            kUnauthenticated);
  // A valid token with its payload swapped.
  const std::string good = Minted(Good());
  TokenClaims admin = Good();
  admin.roles = {Role::kAdmin};
  const std::string other = Minted(admin, kNow, MakeKeys(false).private_pem);
  const auto dot1 = good.find('.'), dot2 = good.rfind('.');
  const auto odot1 = other.find('.'), odot2 = other.rfind('.');
  const std::string spliced = good.substr(0, dot1) +
                              other.substr(odot1, odot2 - odot1) +
                              good.substr(dot2);
  EXPECT_EQ(CodeOf(spliced), kUnauthenticated);
  EXPECT_EQ(CodeOf("not.a.token"), kUnauthenticated);
  EXPECT_EQ(CodeOf(""), kUnauthenticated);
}

TEST(JwtVerifierTest, RolesAndTherapistIds) {
  for (Role role : {Role::kAdmin, Role::kCoordinator}) {
    TokenClaims ok = Good();
    ok.roles = {role};
    EXPECT_EQ(CodeOf(Minted(ok)), kOk) << RoleName(role);
  }
  TokenClaims therapist = Good();
  therapist.roles = {Role::kTherapist};  // without therapist_id
  EXPECT_EQ(CodeOf(Minted(therapist)), kUnauthenticated);
  therapist.therapist_id = "4";  // not a therapist id
  EXPECT_EQ(CodeOf(Minted(therapist)), kUnauthenticated);

  for (const char* role_json :
       {R"("superuser")", R"("")", "17", "null", R"({"role":"admin"})"}) {
    RawClaims bad;
    bad.role_json = role_json;
    EXPECT_EQ(CodeOf(HandMade(bad, JWT_ALG_RS256, Rsa().private_pem)),
              kUnauthenticated)
        << role_json;
  }
  RawClaims none;
  none.role_json = "";
  EXPECT_EQ(CodeOf(HandMade(none, JWT_ALG_RS256, Rsa().private_pem)),
            kUnauthenticated);
}

TEST(JwtVerifierTest, SeveralRolesAsAnArray) {
  TokenClaims director = Good();
  director.roles = {Role::kAdmin, Role::kCoordinator};
  absl::StatusOr<Caller> caller = Verifier().Verify(Minted(director), kNow);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->roles, Roles({Role::kAdmin, Role::kCoordinator}));
  EXPECT_EQ(caller->therapist_id, "");

  TokenClaims both = Good();
  both.roles = {Role::kCoordinator, Role::kTherapist};
  both.therapist_id = "th-2";
  caller = Verifier().Verify(Minted(both), kNow);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->roles, Roles({Role::kCoordinator, Role::kTherapist}));
  EXPECT_EQ(caller->therapist_id, "th-2");
  EXPECT_FALSE(caller->OnlyTherapist());

  // A one-element array is the same as the bare string.
  RawClaims single;
  single.role_json = R"(["admin"])";
  caller = Verifier().Verify(HandMade(single, JWT_ALG_RS256, Rsa().private_pem),
                             kNow);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->roles, Roles({Role::kAdmin}));

  // Every element must be a known role name, and there must be one.
  for (const char* role_json :
       {"[]", R"(["admin", 1])", R"(["admin", "superuser"])",
        R"(["admin", ["coordinator"]])", R"(["admin", null])"}) {
    RawClaims bad;
    bad.role_json = role_json;
    EXPECT_EQ(CodeOf(HandMade(bad, JWT_ALG_RS256, Rsa().private_pem)),
              kUnauthenticated)
        << role_json;
  }
}

TEST(JwtVerifierTest, ATokenNeverMakesAService) {
  TokenClaims service = Good();
  service.roles = {Role::kService};
  absl::StatusOr<Caller> caller = Verifier().Verify(Minted(service), kNow);
  ASSERT_EQ(caller.status().code(), kUnauthenticated);
  EXPECT_NE(caller.status().message().find(
                "service identity comes from the certificate, not a token"),
            std::string::npos)
      << caller.status();
  // Not even next to a role a person may hold.
  service.roles = {Role::kAdmin, Role::kService};
  EXPECT_EQ(CodeOf(Minted(service)), kUnauthenticated);
}

TEST(JwtVerifierTest, BadConfigurationIsRefusedAtStart) {
  JwtOptions options;
  options.public_key_pem = Rsa().public_pem;
  options.issuer = "i";
  options.audience = "a";
  options.algorithm = "HS256";
  EXPECT_EQ(JwtVerifier::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.algorithm = "RS256";
  options.public_key_pem = Rsa().private_pem;  // not a public key
  EXPECT_EQ(JwtVerifier::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.public_key_pem = Rsa().public_pem;
  options.audience = "";
  EXPECT_EQ(JwtVerifier::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tandem::common
