#include "services/common/resource_id.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace tandem::common {

std::string FormatId(absl::string_view prefix, int64_t row_id) {
  return absl::StrCat(prefix, "-", row_id);
}

absl::StatusOr<int64_t> ParseId(absl::string_view prefix, absl::string_view id,
                                absl::string_view field) {
  int64_t row_id = 0;
  if (id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  if (id.size() <= prefix.size() + 1 || !absl::StartsWith(id, prefix) ||
      id[prefix.size()] != '-' ||
      !absl::SimpleAtoi(id.substr(prefix.size() + 1), &row_id) || row_id <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": expected an id like '", prefix, "-12'"));
  }
  return row_id;
}

}  // namespace tandem::common
