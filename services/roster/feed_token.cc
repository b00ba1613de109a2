#include "services/roster/feed_token.h"

#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/hmac_sha256.h"

namespace tandem::roster {
namespace {

// Domain separation: the same key must never make a MAC that means
// something else.
constexpr absl::string_view kContext = "tandem-calendar-feed-v1|";

absl::Status NoSuchFeed() {
  return absl::NotFoundError("no such calendar feed");
}

}  // namespace

absl::StatusOr<FeedTokenSigner> FeedTokenSigner::FromKey(std::string key) {
  if (key.size() < kMinFeedKeyBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--calendar_feed_key_file: the key must hold at least ",
        kMinFeedKeyBytes, " bytes (e.g. head -c 32 /dev/urandom > FILE)"));
  }
  return FeedTokenSigner(std::move(key));
}

absl::StatusOr<FeedTokenSigner> FeedTokenSigner::FromKeyFile(
    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("--calendar_feed_key_file: cannot read ", path));
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return FromKey(bytes.str());
}

std::string FeedTokenSigner::Mac(absl::string_view payload) const {
  return common::HmacSha256(key_, absl::StrCat(kContext, payload));
}

std::string FeedTokenSigner::Mint(absl::string_view therapist_id,
                                  absl::Time expire) const {
  const std::string payload =
      absl::StrCat(therapist_id, "|", absl::ToUnixSeconds(expire));
  return absl::StrCat(absl::WebSafeBase64Escape(payload), ".",
                      absl::WebSafeBase64Escape(Mac(payload)));
}

absl::StatusOr<std::string> FeedTokenSigner::Verify(absl::string_view token,
                                                    absl::Time now) const {
  const std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  std::string payload, given;
  if (parts.size() != 2 || !absl::WebSafeBase64Unescape(parts[0], &payload) ||
      !absl::WebSafeBase64Unescape(parts[1], &given)) {
    return NoSuchFeed();
  }
  if (!common::SameMac(given, Mac(payload))) return NoSuchFeed();
  // Signed by us, so well formed; parsed defensively all the same.
  const std::vector<std::string> fields = absl::StrSplit(payload, '|');
  int64_t expire_seconds = 0;
  if (fields.size() != 2 || fields[0].empty() ||
      !absl::SimpleAtoi(fields[1], &expire_seconds)) {
    return NoSuchFeed();
  }
  if (absl::FromUnixSeconds(expire_seconds) <= now) return NoSuchFeed();
  return fields[0];
}

}  // namespace tandem::roster
