// Opaque page tokens and page-size rules shared by every List RPC.
//
// A token encodes the last key of the previous page (keyset pagination), so
// a page never skips or repeats rows that existed when listing began, and
// a long listing costs one indexed range scan per page.
#ifndef TANDEM_SERVICES_COMMON_PAGINATION_H_
#define TANDEM_SERVICES_COMMON_PAGINATION_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tandem::common {

inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;

// 0 -> default; negative -> INVALID_ARGUMENT naming page_size; capped at max.
absl::StatusOr<int> EffectivePageSize(int32_t requested);

// The position after which the next page starts. Tokens are bound to a
// list kind (`scope`) so a token of one List cannot be replayed on another.
struct PageCursor {
  int64_t sort_key = 0;  // e.g. a start time or date; 0 when ordering by id
  int64_t id = 0;        // last row id of the previous page
};

std::string EncodePageToken(absl::string_view scope, const PageCursor& cursor);
// Empty token -> the start; malformed or foreign -> INVALID_ARGUMENT naming
// page_token.
absl::StatusOr<PageCursor> DecodePageToken(absl::string_view scope,
                                           absl::string_view token);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_PAGINATION_H_
