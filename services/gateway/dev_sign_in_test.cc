#include "services/gateway/dev_sign_in.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "services/common/jwt_minter.h"
#include "services/common/jwt_verifier.h"
#include "services/common/test_keys.h"

namespace tandem::gateway {
namespace {

namespace fs = std::filesystem;

const absl::Time kNow = absl::FromUnixSeconds(1790000000);

class DevSignInTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (fs::temp_directory_path() / "gateway-dev-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    keys_ = common::NewEcTestKeys();
    std::ofstream(dir_ / "jwt-dev.key") << keys_.private_pem;
    absl::StatusOr<std::unique_ptr<DevSignIn>> sign_in =
        DevSignIn::FromKeyFile((dir_ / "jwt-dev.key").string());
    ASSERT_TRUE(sign_in.ok()) << sign_in.status();
    sign_in_ = *std::move(sign_in);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // What the services make of a token: the verifier they run.
  absl::StatusOr<common::Caller> Verify(const std::string& token) {
    common::JwtOptions options;
    options.public_key_pem = keys_.public_pem;
    options.algorithm = common::kDevAlgorithm;
    options.issuer = common::kDevIssuer;
    options.audience = common::kDevAudience;
    absl::StatusOr<common::JwtVerifier> verifier =
        common::JwtVerifier::Create(options);
    if (!verifier.ok()) return verifier.status();
    return verifier->Verify(token, kNow + absl::Minutes(1));
  }

  fs::path dir_;
  common::TestKeyPair keys_;
  std::unique_ptr<DevSignIn> sign_in_;
};

TEST_F(DevSignInTest, CoordinatorTokenTheServicesAccept) {
  absl::StatusOr<std::string> answer =
      sign_in_->Mint(R"({"role":"coordinator"})", kNow);
  ASSERT_TRUE(answer.ok()) << answer.status();
  const nlohmann::json json = nlohmann::json::parse(*answer);
  EXPECT_EQ(json["subject"], "dev:coordinator");
  EXPECT_EQ(json["roles"], nlohmann::json::array({"coordinator"}));
  // kNow is 2026-09-21T14:13:20Z.
  EXPECT_EQ(json["expires_at"], "2026-09-21T22:13:20Z");
  absl::StatusOr<common::Caller> caller = Verify(json["token"]);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_TRUE(caller->Has(common::Role::kCoordinator));
  EXPECT_FALSE(caller->Has(common::Role::kAdmin));
  EXPECT_EQ(caller->subject, "dev:coordinator");
}

TEST_F(DevSignInTest, TherapistCarriesTheirId) {
  absl::StatusOr<std::string> answer =
      sign_in_->Mint(R"({"role":"therapist","therapist_id":"th-1"})", kNow);
  ASSERT_TRUE(answer.ok()) << answer.status();
  const nlohmann::json json = nlohmann::json::parse(*answer);
  EXPECT_EQ(json["therapist_id"], "th-1");
  absl::StatusOr<common::Caller> caller = Verify(json["token"]);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->therapist_id, "th-1");
  EXPECT_TRUE(caller->OnlyTherapist());
}

TEST_F(DevSignInTest, SeveralRoles) {
  absl::StatusOr<std::string> answer =
      sign_in_->Mint(R"({"roles":["admin","coordinator"]})", kNow);
  ASSERT_TRUE(answer.ok()) << answer.status();
  const nlohmann::json json = nlohmann::json::parse(*answer);
  EXPECT_EQ(json["roles"], nlohmann::json::array({"admin", "coordinator"}));
  absl::StatusOr<common::Caller> caller = Verify(json["token"]);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_TRUE(caller->Has(common::Role::kAdmin));
  EXPECT_TRUE(caller->Has(common::Role::kCoordinator));
}

TEST_F(DevSignInTest, RefusesBadRequests) {
  for (const char* body :
       {"", "not json", "[]", "{}", R"({"role":"service"})",
        R"({"role":"superuser"})", R"({"role":7})", R"({"roles":"admin"})",
        R"({"roles":[]})", R"({"role":"therapist"})",
        R"({"role":"therapist","therapist_id":"bob"})",
        R"({"role":"coordinator","therapist_id":"th-1"})",
        R"({"role":"therapist","therapist_id":5})"}) {
    EXPECT_EQ(sign_in_->Mint(body, kNow).status().code(),
              absl::StatusCode::kInvalidArgument)
        << body;
  }
}

TEST(DevSignInKeyTest, MissingOrBadKeyFailsAtStart) {
  EXPECT_EQ(DevSignIn::FromKeyFile("/nonexistent/jwt-dev.key").status().code(),
            absl::StatusCode::kNotFound);
  const fs::path bad = fs::temp_directory_path() / "gateway-bad-key.pem";
  std::ofstream(bad) << "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
  EXPECT_EQ(DevSignIn::FromKeyFile(bad.string()).status().code(),
            absl::StatusCode::kInvalidArgument);
  fs::remove(bad);
}

}  // namespace
}  // namespace tandem::gateway
