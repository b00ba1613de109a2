// Which storage engine --db names. Each service's store factory
// (directory::OpenDirectoryStore, booking::OpenBookingStore,
// followup::OpenFollowUpStore) switches on it: the one place a new backend
// is chosen.
//
//   ASSIGN_OR_RETURN(StorageKind kind, StorageKindOf(options.path));
//   switch (kind) {
//     case StorageKind::kSqlite: return SqliteDirectoryStore::Open(options);
//   }
#ifndef TANDEM_SERVICES_COMMON_STORAGE_KIND_H_
#define TANDEM_SERVICES_COMMON_STORAGE_KIND_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tandem::common {

// Today only SQLite files; a PostgreSQL backend adds kPostgresql for
// "postgresql://" URLs.
enum class StorageKind { kSqlite };

// kSqlite for a file path (or ":memory:"); INVALID_ARGUMENT naming --db for
// an empty value or any URL ("scheme://..."), which this build cannot open.
// The message does not repeat the value: a URL may carry a password.
absl::StatusOr<StorageKind> StorageKindOf(absl::string_view db);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_STORAGE_KIND_H_
