#include "services/roster/feed_token.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace tandem::roster {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1795000000);
const std::string kKey(32, 'k');

FeedTokenSigner Signer(const std::string& key = kKey) {
  absl::StatusOr<FeedTokenSigner> signer = FeedTokenSigner::FromKey(key);
  EXPECT_TRUE(signer.ok()) << signer.status();
  return *std::move(signer);
}

TEST(FeedTokenTest, ATokenNamesItsTherapistUntilItExpires) {
  const std::string token = Signer().Mint("th-8", kNow + absl::Hours(24));
  absl::StatusOr<std::string> therapist = Signer().Verify(token, kNow);
  ASSERT_TRUE(therapist.ok()) << therapist.status();
  EXPECT_EQ(*therapist, "th-8");
  EXPECT_EQ(Signer().Verify(token, kNow + absl::Hours(24)).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(FeedTokenTest, AnotherKeyOrAChangedTokenIsNoFeed) {
  const std::string token = Signer().Mint("th-8", kNow + absl::Hours(24));
  EXPECT_EQ(Signer(std::string(32, 'x')).Verify(token, kNow).status().code(),
            absl::StatusCode::kNotFound);
  // Another therapist's id under th-8's MAC.
  const std::string mac = token.substr(token.find('.'));
  const std::string forged = absl::StrCat(
      absl::WebSafeBase64Escape(absl::StrCat(
          "th-9|", absl::ToUnixSeconds(kNow + absl::Hours(24)))),
      mac);
  absl::StatusOr<std::string> refused = Signer().Verify(forged, kNow);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(refused.status().message(), "no such calendar feed");
  for (const std::string& junk :
       {std::string(), std::string("."), token + ".x", token.substr(1),
        std::string("th-8.abc"), std::string("!!!.???")}) {
    EXPECT_EQ(Signer().Verify(junk, kNow).status().code(),
              absl::StatusCode::kNotFound)
        << junk;
  }
}

TEST(FeedTokenTest, AShortKeyIsRefusedNamingTheFlag) {
  absl::StatusOr<FeedTokenSigner> signer =
      FeedTokenSigner::FromKey(std::string(31, 'k'));
  ASSERT_FALSE(signer.ok());
  EXPECT_EQ(signer.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(signer.status().message().find("--calendar_feed_key_file"),
            std::string::npos);
  EXPECT_EQ(FeedTokenSigner::FromKeyFile("/nonexistent/key").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tandem::roster
