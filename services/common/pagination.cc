#include "services/common/pagination.h"

#include <limits>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace tandem::common {

absl::StatusOr<int> EffectivePageSize(int32_t requested) {
  if (requested < 0)
    return absl::InvalidArgumentError("page_size: must not be negative");
  if (requested == 0) return kDefaultPageSize;
  return requested > kMaxPageSize ? kMaxPageSize : requested;
}

std::string EncodePageToken(absl::string_view scope, const PageCursor& cursor) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(scope, ":", cursor.sort_key, ":", cursor.id));
}

absl::StatusOr<PageCursor> DecodePageToken(absl::string_view scope,
                                           absl::string_view token) {
  if (token.empty()) {
    return PageCursor{std::numeric_limits<int64_t>::min(), 0};
  }
  const absl::Status invalid =
      absl::InvalidArgumentError("page_token: not a token of this list");
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return invalid;
  std::vector<absl::string_view> parts = absl::StrSplit(raw, ':');
  PageCursor cursor;
  if (parts.size() != 3 || parts[0] != scope ||
      !absl::SimpleAtoi(parts[1], &cursor.sort_key) ||
      !absl::SimpleAtoi(parts[2], &cursor.id)) {
    return invalid;
  }
  return cursor;
}

}  // namespace tandem::common
