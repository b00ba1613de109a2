#include "services/common/jwt_verifier.h"

#include <gtest/gtest.h>
#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"

namespace tandem::common {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1795000000);

struct KeyPair {
  std::string private_pem, public_pem;
};

std::string Pem(EVP_PKEY* key, bool is_private) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()),
                                                 BIO_free);
  if (is_private) {
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr,
                             nullptr);
  } else {
    PEM_write_bio_PUBKEY(bio.get(), key);
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, size);
}

KeyPair MakeKeys(bool ec) {
  EVP_PKEY* key = ec ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048);
  KeyPair pair{Pem(key, true), Pem(key, false)};
  EVP_PKEY_free(key);
  return pair;
}

const KeyPair& Rsa() {
  static const KeyPair keys = MakeKeys(false);
  return keys;
}

struct Claims {
  std::string sub = "user-17";
  std::string role = "coordinator";
  std::string therapist_id;
  std::string iss = "https://id.example.org";
  std::string aud = "tandem";
  long exp = absl::ToUnixSeconds(kNow + absl::Minutes(10));
  long nbf = 0;
};

std::string Mint(const Claims& c, jwt_alg_t alg, const std::string& key) {
  jwt_t* jwt = nullptr;
  jwt_new(&jwt);
  jwt_add_grant(jwt, "sub", c.sub.c_str());
  if (!c.role.empty()) jwt_add_grant(jwt, "role", c.role.c_str());
  if (!c.therapist_id.empty()) {
    jwt_add_grant(jwt, "therapist_id", c.therapist_id.c_str());
  }
  jwt_add_grant(jwt, "iss", c.iss.c_str());
  jwt_add_grant(jwt, "aud", c.aud.c_str());
  if (c.exp != 0) jwt_add_grant_int(jwt, "exp", c.exp);
  if (c.nbf != 0) jwt_add_grant_int(jwt, "nbf", c.nbf);
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
  options.issuer = "https://id.example.org";
  options.audience = "tandem";
  absl::StatusOr<JwtVerifier> verifier = JwtVerifier::Create(options);
  EXPECT_TRUE(verifier.ok()) << verifier.status();
  return *std::move(verifier);
}

absl::StatusCode CodeOf(const Claims& claims, jwt_alg_t alg,
                        const std::string& key) {
  return Verifier().Verify(Mint(claims, alg, key), kNow).status().code();
}

TEST(JwtVerifierTest, AValidTokenNamesTheCaller) {
  Claims claims;
  claims.role = "therapist";
  claims.therapist_id = "th-4";
  absl::StatusOr<Caller> caller = Verifier().Verify(
      Mint(claims, JWT_ALG_RS256, Rsa().private_pem), kNow);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->subject, "user-17");
  EXPECT_EQ(caller->role, Role::kTherapist);
  EXPECT_EQ(caller->therapist_id, "th-4");
}

TEST(JwtVerifierTest, Es256WhenConfigured) {
  const KeyPair ec = MakeKeys(true);
  EXPECT_TRUE(Verifier(ec.public_pem, "ES256")
                  .Verify(Mint(Claims(), JWT_ALG_ES256, ec.private_pem), kNow)
                  .ok());
  // An RS256 token does not pass an ES256 verifier.
  EXPECT_EQ(Verifier(ec.public_pem, "ES256")
                .Verify(Mint(Claims(), JWT_ALG_RS256, Rsa().private_pem), kNow)
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(JwtVerifierTest, TimeIssuerAndAudienceAreChecked) {
  const auto unauthenticated = absl::StatusCode::kUnauthenticated;
  Claims expired;
  expired.exp = absl::ToUnixSeconds(kNow - absl::Minutes(5));
  EXPECT_EQ(CodeOf(expired, JWT_ALG_RS256, Rsa().private_pem), unauthenticated);
  Claims skewed;  // within the leeway
  skewed.exp = absl::ToUnixSeconds(kNow - absl::Seconds(30));
  EXPECT_EQ(CodeOf(skewed, JWT_ALG_RS256, Rsa().private_pem),
            absl::StatusCode::kOk);
  Claims no_expiry;
  no_expiry.exp = 0;
  EXPECT_EQ(CodeOf(no_expiry, JWT_ALG_RS256, Rsa().private_pem),
            unauthenticated);
  Claims early;
  early.nbf = absl::ToUnixSeconds(kNow + absl::Minutes(5));
  EXPECT_EQ(CodeOf(early, JWT_ALG_RS256, Rsa().private_pem), unauthenticated);
  Claims issuer;
  issuer.iss = "https://evil.example.org";
  EXPECT_EQ(CodeOf(issuer, JWT_ALG_RS256, Rsa().private_pem), unauthenticated);
  Claims audience;
  audience.aud = "another-app";
  EXPECT_EQ(CodeOf(audience, JWT_ALG_RS256, Rsa().private_pem),
            unauthenticated);
}

TEST(JwtVerifierTest, ForgedTokensAreRefused) {
  const auto unauthenticated = absl::StatusCode::kUnauthenticated;
  // Signed by another key.
  EXPECT_EQ(CodeOf(Claims(), JWT_ALG_RS256, MakeKeys(false).private_pem),
            unauthenticated);
  // alg: none.
  EXPECT_EQ(CodeOf(Claims(), JWT_ALG_NONE, ""), unauthenticated);
  // HS256 with the public key as the HMAC secret (algorithm confusion).
  EXPECT_EQ(CodeOf(Claims(), JWT_ALG_HS256, Rsa().public_pem),
            unauthenticated);
  // A valid token with its payload swapped.
  const std::string good = Mint(Claims(), JWT_ALG_RS256, Rsa().private_pem);
  Claims admin;
  admin.role = "admin";
  const std::string other = Mint(admin, JWT_ALG_RS256, MakeKeys(false).private_pem);
  const auto dot1 = good.find('.'), dot2 = good.rfind('.');
  const auto odot1 = other.find('.'), odot2 = other.rfind('.');
  const std::string spliced = good.substr(0, dot1) +
                              other.substr(odot1, odot2 - odot1) +
                              good.substr(dot2);
  EXPECT_EQ(Verifier().Verify(spliced, kNow).status().code(), unauthenticated);
  EXPECT_EQ(Verifier().Verify("not.a.token", kNow).status().code(),
            unauthenticated);
  EXPECT_EQ(Verifier().Verify("", kNow).status().code(), unauthenticated);
}

TEST(JwtVerifierTest, RolesAndTherapistIds) {
  const auto unauthenticated = absl::StatusCode::kUnauthenticated;
  Claims unknown;
  unknown.role = "superuser";
  EXPECT_EQ(CodeOf(unknown, JWT_ALG_RS256, Rsa().private_pem), unauthenticated);
  Claims none;
  none.role = "";
  EXPECT_EQ(CodeOf(none, JWT_ALG_RS256, Rsa().private_pem), unauthenticated);
  Claims therapist;
  therapist.role = "therapist";  // without therapist_id
  EXPECT_EQ(CodeOf(therapist, JWT_ALG_RS256, Rsa().private_pem),
            unauthenticated);
  for (const char* role : {"admin", "coordinator", "service"}) {
    Claims ok;
    ok.role = role;
    EXPECT_EQ(CodeOf(ok, JWT_ALG_RS256, Rsa().private_pem),
              absl::StatusCode::kOk)
        << role;
  }
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
