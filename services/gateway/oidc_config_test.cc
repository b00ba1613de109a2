#include "services/gateway/oidc_config.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "services/gateway/gateway_http.h"

namespace tandem::gateway {
namespace {

OidcConfig Provider() {
  return {.authorization_endpoint = "https://idp.example:8443/auth?x=1",
          .token_endpoint = "https://idp.example:8443/token",
          .client_id = "tandem-console"};
}

TEST(OidcConfigTest, NoFlagsIsNoProvider) {
  absl::StatusOr<std::optional<OidcConfig>> none = CheckOidcConfig({});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST(OidcConfigTest, AProviderIsAllowedInTheCspAndNamedInTheConfig) {
  absl::StatusOr<std::optional<OidcConfig>> checked = CheckOidcConfig(Provider());
  ASSERT_TRUE(checked.ok()) << checked.status();
  ASSERT_TRUE(checked->has_value());
  const OidcConfig& config = **checked;
  EXPECT_EQ(config.scope, "openid");
  EXPECT_EQ(config.TokenOrigin(), "https://idp.example:8443");
  const nlohmann::json json = nlohmann::json::parse(config.ToJson());
  EXPECT_EQ(json["token_endpoint"], "https://idp.example:8443/token");
  EXPECT_EQ(json["client_id"], "tandem-console");
  EXPECT_EQ(ContentSecurityPolicy(&config),
            "default-src 'self'; connect-src 'self' https://idp.example:8443; "
            "img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "frame-ancestors 'none'");
  EXPECT_EQ(ContentSecurityPolicy(nullptr), kContentSecurityPolicy);
}

TEST(OidcConfigTest, RefusesHalfAConfigAndPlainHttpElsewhere) {
  OidcConfig half = Provider();
  half.client_id.clear();
  EXPECT_EQ(CheckOidcConfig(half).status().code(),
            absl::StatusCode::kInvalidArgument);
  OidcConfig plain = Provider();
  plain.token_endpoint = "http://idp.example/token";
  absl::Status refused = CheckOidcConfig(plain).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("--oidc_token_endpoint"), std::string::npos);
  for (const char* bad : {"idp.example/auth", "javascript:alert(1)",
                          "https://user@idp.example/auth", "https:///auth"}) {
    OidcConfig config = Provider();
    config.authorization_endpoint = bad;
    EXPECT_FALSE(CheckOidcConfig(config).ok()) << bad;
  }
  OidcConfig lookalike = Provider();
  lookalike.token_endpoint = "http://127.0.0.1.example/token";
  EXPECT_FALSE(CheckOidcConfig(lookalike).ok());
  OidcConfig loopback = Provider();
  loopback.token_endpoint = "http://127.0.0.1:9999/token";
  EXPECT_TRUE(CheckOidcConfig(loopback).ok());
}

}  // namespace
}  // namespace tandem::gateway
