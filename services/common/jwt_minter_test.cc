#include "services/common/jwt_minter.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "services/common/jwt_verifier.h"
#include "services/common/test_keys.h"

namespace tandem::common {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1795000000);

using KeyPair = TestKeyPair;

KeyPair MakeKeys(EVP_PKEY* key) { return TakeTestKeys(key); }

const KeyPair& DevKeys() {
  static const KeyPair keys = MakeKeys(EVP_EC_gen("P-256"));
  return keys;
}

TokenClaims Coordinator() {
  TokenClaims claims;
  claims.subject = "dev:alice";
  claims.roles = {Role::kCoordinator};
  return claims;
}

// The token's header and payload, decoded without verification.
struct Decoded {
  nlohmann::json header, payload;
};
Decoded Decode(const std::string& token) {
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  EXPECT_EQ(parts.size(), 3u) << token;
  Decoded out;
  if (parts.size() != 3) return out;
  std::string header, payload;
  EXPECT_TRUE(absl::WebSafeBase64Unescape(parts[0], &header));
  EXPECT_TRUE(absl::WebSafeBase64Unescape(parts[1], &payload));
  out.header = nlohmann::json::parse(header, nullptr, false);
  out.payload = nlohmann::json::parse(payload, nullptr, false);
  return out;
}

TEST(MintTokenTest, WritesTheClaimsTheVerifierReads) {
  TokenClaims claims = Coordinator();
  claims.ttl = absl::Hours(8);
  absl::StatusOr<std::string> token =
      MintToken(DevKeys().private_pem, kDevAlgorithm, claims, kNow);
  ASSERT_TRUE(token.ok()) << token.status();
  const Decoded d = Decode(*token);
  EXPECT_EQ(d.header["alg"], "ES256");
  const long now = static_cast<long>(absl::ToUnixSeconds(kNow));
  EXPECT_EQ(d.payload, nlohmann::json({{"sub", "dev:alice"},
                                       {"role", "coordinator"},
                                       {"iss", "tandem-dev"},
                                       {"aud", "tandem"},
                                       {"iat", now},
                                       {"nbf", now},
                                       {"exp", now + 8 * 3600}}));
}

TEST(MintTokenTest, SeveralRolesAreAnArrayAndATherapistCarriesTheirId) {
  TokenClaims claims = Coordinator();
  claims.roles = {Role::kTherapist, Role::kAdmin};
  claims.therapist_id = "th-3";
  absl::StatusOr<std::string> token =
      MintToken(DevKeys().private_pem, kDevAlgorithm, claims, kNow);
  ASSERT_TRUE(token.ok()) << token.status();
  const Decoded d = Decode(*token);
  EXPECT_EQ(d.payload["role"], nlohmann::json({"admin", "therapist"}));
  EXPECT_EQ(d.payload["therapist_id"], "th-3");
  EXPECT_FALSE(Decode(*MintToken(DevKeys().private_pem, kDevAlgorithm,
                                 Coordinator(), kNow))
                   .payload.contains("therapist_id"));
}

TEST(MintTokenTest, TheDevelopmentVerifierAcceptsItsTokens) {
  JwtOptions options;
  options.public_key_pem = DevKeys().public_pem;
  options.algorithm = kDevAlgorithm;
  options.issuer = kDevIssuer;
  options.audience = kDevAudience;
  absl::StatusOr<JwtVerifier> verifier = JwtVerifier::Create(options);
  ASSERT_TRUE(verifier.ok()) << verifier.status();

  TokenClaims claims = Coordinator();
  claims.roles = {Role::kCoordinator, Role::kTherapist};
  claims.therapist_id = "th-3";
  absl::StatusOr<Caller> caller = verifier->Verify(
      *MintToken(DevKeys().private_pem, kDevAlgorithm, claims, kNow),
      kNow + absl::Minutes(14));
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->subject, "dev:alice");
  EXPECT_EQ(caller->roles, Roles({Role::kCoordinator, Role::kTherapist}));
  EXPECT_EQ(caller->therapist_id, "th-3");
  // The default ttl is 15 minutes (plus the verifier's leeway).
  EXPECT_EQ(verifier
                ->Verify(*MintToken(DevKeys().private_pem, kDevAlgorithm,
                                    claims, kNow),
                         kNow + absl::Minutes(17))
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(MintTokenTest, Rs256WithAnRsaKey) {
  static const KeyPair rsa = MakeKeys(EVP_RSA_gen(2048));
  absl::StatusOr<std::string> token =
      MintToken(rsa.private_pem, "RS256", Coordinator(), kNow);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(Decode(*token).header["alg"], "RS256");
  // And not with the algorithm of another key type.
  EXPECT_EQ(
      MintToken(rsa.private_pem, "ES256", Coordinator(), kNow).status().code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(MintTokenTest, RefusesWhatCannotMakeAGoodToken) {
  const auto invalid = absl::StatusCode::kInvalidArgument;
  const std::string& key = DevKeys().private_pem;
  for (const char* algorithm : {"HS256", "none", "", "es256", "ES384"}) {
    EXPECT_EQ(MintToken(key, algorithm, Coordinator(), kNow).status().code(),
              invalid)
        << algorithm;
  }
  // Not a PEM private key: a public key, garbage, nothing.
  for (const std::string& bad :
       {DevKeys().public_pem, std::string("-----BEGIN PRIVATE KEY-----\nx"),
        std::string()}) {
    absl::StatusOr<std::string> token =
        MintToken(bad, kDevAlgorithm, Coordinator(), kNow);
    EXPECT_EQ(token.status().code(), invalid);
  }
  // ES256 is P-256 only.
  const KeyPair p384 = MakeKeys(EVP_EC_gen("P-384"));
  EXPECT_EQ(MintToken(p384.private_pem, kDevAlgorithm, Coordinator(), kNow)
                .status()
                .code(),
            invalid);

  TokenClaims no_subject = Coordinator();
  no_subject.subject = "";
  EXPECT_EQ(MintToken(key, kDevAlgorithm, no_subject, kNow).status().code(),
            invalid);
  TokenClaims no_roles = Coordinator();
  no_roles.roles = Roles();
  EXPECT_EQ(MintToken(key, kDevAlgorithm, no_roles, kNow).status().code(),
            invalid);
  TokenClaims no_ttl = Coordinator();
  no_ttl.ttl = absl::ZeroDuration();
  EXPECT_EQ(MintToken(key, kDevAlgorithm, no_ttl, kNow).status().code(),
            invalid);
}

TEST(MintTokenTest, MessagesCarryNoKeyMaterial) {
  const std::string pem = DevKeys().public_pem;
  absl::StatusOr<std::string> token =
      MintToken(pem, kDevAlgorithm, Coordinator(), kNow);
  ASSERT_FALSE(token.ok());
  const std::vector<std::string> lines = absl::StrSplit(pem, '\n');
  ASSERT_GT(lines.size(), 2u);
  EXPECT_EQ(token.status().message().find(lines[1]), std::string::npos);
}

}  // namespace
}  // namespace tandem::common
