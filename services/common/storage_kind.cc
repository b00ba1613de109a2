#include "services/common/storage_kind.h"

namespace tandem::common {

absl::StatusOr<StorageKind> StorageKindOf(absl::string_view db) {
  if (db.empty()) return absl::InvalidArgumentError("--db: empty");
  if (db.find("://") != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "--db: only a SQLite file path is supported; database URLs (such as "
        "postgresql://) are not");
  }
  return StorageKind::kSqlite;
}

}  // namespace tandem::common
