#include "services/directory/directory_store.h"

#include "services/common/status_macros.h"
#include "services/common/storage_kind.h"
#include "services/directory/sqlite_directory_store.h"

namespace tandem::directory {

absl::StatusOr<std::unique_ptr<DirectoryStore>> OpenDirectoryStore(
    const common::DatabaseOptions& options) {
  ASSIGN_OR_RETURN(common::StorageKind kind,
                   common::StorageKindOf(options.path));
  switch (kind) {
    case common::StorageKind::kSqlite:
      return SqliteDirectoryStore::Open(options);
  }
  return absl::InternalError("directory: unknown storage kind");
}

}  // namespace tandem::directory
