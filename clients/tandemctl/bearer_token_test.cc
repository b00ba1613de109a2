#include "clients/tandemctl/bearer_token.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/jwt_verifier.h"
#include "services/common/test_keys.h"

namespace tandem::cli {
namespace {

using common::Role;
using common::Roles;

const absl::Time kNow = absl::FromUnixSeconds(1795000000);

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string Pem(EVP_PKEY* key, bool is_private) {
  return common::PemOf(key, is_private);
}

// A development PKI directory with jwt-dev.key and jwt-dev.pub, as
// deploy/dev-pki makes it.
class DevPki : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = absl::StrCat(::testing::TempDir(), "/pkiXXXXXX");
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    settings_.pki = pattern;
    EVP_PKEY* key = EVP_EC_gen("P-256");
    WriteFile(DevKeyPath(settings_), Pem(key, true));
    public_pem_ = Pem(key, false);
    EVP_PKEY_free(key);
  }

  // The caller the services would see, verified as they verify it.
  absl::StatusOr<common::Caller> Verify(const std::string& token) {
    common::JwtOptions options;
    options.public_key_pem = public_pem_;
    options.algorithm = common::kDevAlgorithm;
    options.issuer = common::kDevIssuer;
    options.audience = common::kDevAudience;
    absl::StatusOr<common::JwtVerifier> verifier =
        common::JwtVerifier::Create(options);
    if (!verifier.ok()) return verifier.status();
    return verifier->Verify(token, kNow + absl::Minutes(1));
  }

  Settings settings_;
  std::string public_pem_;
};

TEST_F(DevPki, MintsADevelopmentTokenForTheRolesOfAs) {
  absl::StatusOr<BearerToken> token =
      ResolveBearerToken(settings_, FakeEnv({{"USER", "alice"}}), kNow);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->origin, TokenOrigin::kDevelopmentKey);
  EXPECT_EQ(token->source, "development key " + DevKeyPath(settings_));
  absl::StatusOr<common::Caller> caller = Verify(token->token);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->subject, "dev:alice");
  EXPECT_EQ(caller->roles, Roles({Role::kAdmin, Role::kCoordinator}));

  // Valid for 15 minutes.
  absl::StatusOr<TokenSummary> summary = DecodeUnverified(token->token);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->expires, kNow + absl::Minutes(15));
}

TEST_F(DevPki, ATherapistTokenCarriesTheConfiguredId) {
  settings_.as = {Role::kTherapist};
  EXPECT_EQ(ResolveBearerToken(settings_, FakeEnv({}), kNow).status().code(),
            absl::StatusCode::kInvalidArgument);
  settings_.therapist = "th-3";
  absl::StatusOr<BearerToken> token =
      ResolveBearerToken(settings_, FakeEnv({}), kNow);
  ASSERT_TRUE(token.ok()) << token.status();
  absl::StatusOr<common::Caller> caller = Verify(token->token);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->subject, "dev:local");
  EXPECT_TRUE(caller->OnlyTherapist());
  EXPECT_EQ(caller->therapist_id, "th-3");
}

TEST_F(DevPki, AGivenTokenBeatsTheDevelopmentKey) {
  settings_.token = "  Bearer abc.def.ghi\n";
  absl::StatusOr<BearerToken> token =
      ResolveBearerToken(settings_, FakeEnv({}), kNow);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->origin, TokenOrigin::kGiven);
  EXPECT_EQ(token->token, "abc.def.ghi");

  settings_.token = "";
  settings_.token_file = settings_.pki + "/token";
  WriteFile(settings_.token_file, "abc.def.ghi\n");
  token = ResolveBearerToken(settings_, FakeEnv({}), kNow);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->origin, TokenOrigin::kFile);
  EXPECT_EQ(token->token, "abc.def.ghi");
}

TEST_F(DevPki, AnUnusableTokenFileOrKeyIsAnError) {
  settings_.token_file = settings_.pki + "/missing";
  EXPECT_EQ(ResolveBearerToken(settings_, FakeEnv({}), kNow).status().code(),
            absl::StatusCode::kFailedPrecondition);
  settings_.token_file = settings_.pki + "/empty";
  WriteFile(settings_.token_file, "\n");
  EXPECT_EQ(ResolveBearerToken(settings_, FakeEnv({}), kNow).status().code(),
            absl::StatusCode::kFailedPrecondition);

  settings_.token_file = "";
  WriteFile(DevKeyPath(settings_), public_pem_);  // not a private key
  absl::StatusOr<BearerToken> token =
      ResolveBearerToken(settings_, FakeEnv({}), kNow);
  EXPECT_EQ(token.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(token.status().message().find(DevKeyPath(settings_)),
            std::string::npos)
      << token.status();
}

TEST(ResolveBearerToken, NoTokenWithoutTheDevelopmentKey) {
  Settings settings;
  settings.pki = "/nonexistent/pki";
  absl::StatusOr<BearerToken> token =
      ResolveBearerToken(settings, FakeEnv({}), kNow);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->origin, TokenOrigin::kNone);
  EXPECT_EQ(token->token, "");
}

TEST(MintDevToken, SaysHowToGetAMissingKey) {
  common::TokenClaims claims;
  claims.subject = "dev:x";
  claims.roles = {Role::kCoordinator};
  absl::StatusOr<std::string> token =
      MintDevToken("/nonexistent/jwt-dev.key", claims, kNow);
  ASSERT_EQ(token.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(token.status().message().find("/nonexistent/jwt-dev.key"),
            std::string::npos);
  EXPECT_NE(token.status().message().find("scripts/start"), std::string::npos);

  claims.roles = {Role::kTherapist};  // without a therapist id
  EXPECT_EQ(
      MintDevToken("/nonexistent/jwt-dev.key", claims, kNow).status().code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(DevSubject, UserOrLocal) {
  EXPECT_EQ(DevSubject(FakeEnv({{"USER", "sam"}})), "dev:sam");
  EXPECT_EQ(DevSubject(FakeEnv({{"USER", ""}})), "dev:local");
  EXPECT_EQ(DevSubject(FakeEnv({})), "dev:local");
}

TEST(WithTokenHint, SaysHowToGetAToken) {
  Settings settings;
  settings.pki = "data/pki";
  absl::Status refused = absl::UnauthenticatedError("bearer token: missing");
  refused.SetPayload("tandemctl/from-server", absl::Cord("booking"));

  absl::Status none = WithTokenHint(refused, BearerToken(), settings);
  EXPECT_EQ(none.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(none.message(),
            "bearer token: missing (no token was sent: run scripts/start once "
            "to create the development key data/pki/jwt-dev.key, or pass "
            "--token / set TANDEM_TOKEN)");
  EXPECT_TRUE(none.GetPayload("tandemctl/from-server").has_value());

  BearerToken given{"t", TokenOrigin::kFile, "token file /t"};
  EXPECT_NE(WithTokenHint(refused, given, settings)
                .message()
                .find("the token from token file /t was refused"),
            std::string::npos);

  BearerToken dev{"t", TokenOrigin::kDevelopmentKey, "development key k"};
  settings.as = {Role::kTherapist};
  EXPECT_NE(WithTokenHint(absl::PermissionDeniedError("no"), dev, settings)
                .message()
                .find("development token with roles therapist; --as ROLES"),
            std::string::npos);
  // Other failures, and refusals of given tokens, are left alone.
  EXPECT_EQ(WithTokenHint(absl::NotFoundError("couple cp-9"), dev, settings)
                .message(),
            "couple cp-9");
  EXPECT_EQ(WithTokenHint(absl::PermissionDeniedError("no"), given, settings)
                .message(),
            "no");
}

TEST(DecodeUnverified, ReadsTheClaimsOfAnyToken) {
  // {"alg":"none"} . {"sub":"u-1","role":["admin","coordinator"],
  //                   "iss":"idp","exp":1795000000,"therapist_id":"th-1"}
  const std::string token =
      "eyJhbGciOiJub25lIn0."
      "eyJzdWIiOiJ1LTEiLCJyb2xlIjpbImFkbWluIiwiY29vcmRpbmF0b3IiXSwiaXNzIjoi"
      "aWRwIiwiZXhwIjoxNzk1MDAwMDAwLCJ0aGVyYXBpc3RfaWQiOiJ0aC0xIn0.";
  absl::StatusOr<TokenSummary> summary = DecodeUnverified(token);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->subject, "u-1");
  EXPECT_EQ(summary->roles, (std::vector<std::string>{"admin", "coordinator"}));
  EXPECT_EQ(summary->issuer, "idp");
  EXPECT_EQ(summary->therapist_id, "th-1");
  EXPECT_EQ(summary->expires, kNow);

  for (const char* bad : {"", "abc", "a.b", "a.!!!.c", "a.bm90IGpzb24.c"}) {
    EXPECT_EQ(DecodeUnverified(bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

}  // namespace
}  // namespace tandem::cli
