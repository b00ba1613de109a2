#include "services/booking/booking_store.h"

#include "services/booking/sqlite_booking_store.h"
#include "services/common/status_macros.h"
#include "services/common/storage_kind.h"

namespace tandem::booking {

absl::StatusOr<std::unique_ptr<BookingStore>> OpenBookingStore(
    const common::DatabaseOptions& options, absl::Time now) {
  ASSIGN_OR_RETURN(common::StorageKind kind,
                   common::StorageKindOf(options.path));
  switch (kind) {
    case common::StorageKind::kSqlite:
      return SqliteBookingStore::Open(options, now);
  }
  return absl::InternalError("booking: unknown storage kind");
}

}  // namespace tandem::booking
