// The secret in a calendar subscription address. Calendar apps fetch a feed
// by URL on their own schedule and cannot send a sign-in token, so the
// address itself is the credential: whoever holds it reads that one
// therapist's calendar (rooms, co-therapists, booking references: never a
// client's name, see calendar_feed.h).
//
//   token = base64url(therapist id "|" expiry in unix seconds) "."
//           base64url(HMAC-SHA256(key, "tandem-calendar-feed-v1|" payload))
//
// The roster keeps no state, so a token cannot be revoked one by one:
// it expires (a year after it was made), it stops working when the
// therapist is made inactive in the directory, and replacing the key file
// revokes every address at once (deploy/README.md says how).
#ifndef TANDEM_SERVICES_ROSTER_FEED_TOKEN_H_
#define TANDEM_SERVICES_ROSTER_FEED_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace tandem::roster {

// Keys shorter than this are refused: HMAC-SHA256 wants 32 random bytes.
inline constexpr size_t kMinFeedKeyBytes = 32;

class FeedTokenSigner {
 public:
  // INVALID_ARGUMENT when the key is shorter than kMinFeedKeyBytes.
  static absl::StatusOr<FeedTokenSigner> FromKey(std::string key);
  // Reads the key file named by --calendar_feed_key_file (its bytes as they
  // are); the error names the flag, never the key.
  static absl::StatusOr<FeedTokenSigner> FromKeyFile(const std::string& path);

  std::string Mint(absl::string_view therapist_id, absl::Time expire) const;

  // The therapist id the token was made for. NOT_FOUND ("no such calendar
  // feed") for a token that is malformed, forged, made with another key or
  // expired by `now`: which of these it was is nobody's business but the
  // key holder's.
  absl::StatusOr<std::string> Verify(absl::string_view token,
                                     absl::Time now) const;

 private:
  explicit FeedTokenSigner(std::string key) : key_(std::move(key)) {}
  std::string Mac(absl::string_view payload) const;

  std::string key_;
};

}  // namespace tandem::roster

#endif  // TANDEM_SERVICES_ROSTER_FEED_TOKEN_H_
