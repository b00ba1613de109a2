#include "services/followup/followup_store.h"

#include "services/common/status_macros.h"
#include "services/common/storage_kind.h"
#include "services/followup/sqlite_followup_store.h"

namespace tandem::followup {

absl::StatusOr<std::unique_ptr<FollowUpStore>> OpenFollowUpStore(
    const common::DatabaseOptions& options, absl::Time now) {
  ASSIGN_OR_RETURN(common::StorageKind kind,
                   common::StorageKindOf(options.path));
  switch (kind) {
    case common::StorageKind::kSqlite:
      return SqliteFollowUpStore::Open(options, now);
  }
  return absl::InternalError("followup: unknown storage kind");
}

}  // namespace tandem::followup
