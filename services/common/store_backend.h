// The seam between a service's handlers and the database it keeps: what
// GuardedStore needs from any storage backend, whatever the engine.
//
// Each service declares its storage API as an abstract store class
// (directory::DirectoryStore, booking::BookingStore, ...) whose resource
// methods are its own and whose `backend()` is this interface. SQLite, the
// embedded default, implements it in sqlite_store_backend.h; a server
// backend (PostgreSQL) implements the same methods over its connection.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<StoreTransaction> txn,
//                    store->backend().BeginTransaction());
//   ... store->InsertRoom(room, now) ...   // writes through the same backend
//   RETURN_IF_ERROR(txn->Commit());        // or destroy txn: rolled back
//
// The contract a backend must keep, relied on by GuardedStore and
// RunIdempotent (idempotency.h):
//  - One transaction at a time. Every write the service's store makes while
//    a transaction is open belongs to it, and so do the request log and
//    change log entries: a mutation, the response remembered for its
//    request_id and its change-log entry commit together or not at all.
//  - Change-log revisions are gap-free and increasing in commit order
//    (the store's writes append them; see change_log.h).
//  - Not thread-safe: GuardedStore serializes every call under its lock.
// Error codes follow sqlite.h's mapping (lost a race -> ABORTED, unique
// violation -> ALREADY_EXISTS, other constraints -> FAILED_PRECONDITION).
#ifndef TANDEM_SERVICES_COMMON_STORE_BACKEND_H_
#define TANDEM_SERVICES_COMMON_STORE_BACKEND_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "services/common/change_log.h"

namespace tandem::common {

// An open transaction. Destroying it without a successful Commit() rolls
// back everything written since BeginTransaction().
class StoreTransaction {
 public:
  virtual ~StoreTransaction() = default;
  virtual absl::Status Commit() = 0;
};

class StoreBackend {
 public:
  virtual ~StoreBackend() = default;

  // Opens the transaction that every following write joins, taking the
  // write lock up front (a transaction never fails half-way for having
  // read). ABORTED when another writer holds the database.
  virtual absl::StatusOr<std::unique_ptr<StoreTransaction>>
  BeginTransaction() = 0;

  // The request log (see idempotency.h for the semantics).
  // Inside an open transaction: the stored response for `request_id`, if
  // any; INVALID_ARGUMENT if the id was used for another method or body.
  virtual absl::StatusOr<std::optional<std::string>> FindStoredResponse(
      absl::string_view request_id, absl::string_view method,
      const google::protobuf::Message& request) = 0;
  // Inside the mutation's transaction: remembers the response.
  virtual absl::Status StoreResponse(absl::string_view request_id,
                                     absl::string_view method,
                                     const google::protobuf::Message& request,
                                     const google::protobuf::Message& response,
                                     absl::Time now) = 0;
  // Forgets responses older than `cutoff`; returns how many.
  virtual absl::StatusOr<int64_t> PruneRequestLog(absl::Time cutoff) = 0;

  // The change log (see change_log.h). Up to `limit` changes with revision
  // > `after`, in order; OUT_OF_RANGE if some of them were pruned.
  virtual absl::StatusOr<std::vector<StoredChange>> ReadChangesAfter(
      int64_t after, int limit) = 0;
  // The newest revision (0 for an empty log).
  virtual absl::StatusOr<int64_t> CurrentRevision() = 0;
  // Keeps the newest `keep` changes, in a transaction of its own.
  virtual absl::Status PruneChangeLog(int64_t keep) = 0;

  // The one file holding the whole store, for AdminService's online copy
  // (services/common/backup). UNIMPLEMENTED for a backend that is not a
  // file: a database server is backed up with its own tools.
  virtual absl::StatusOr<std::string> BackupSourceFile() const = 0;
};

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_STORE_BACKEND_H_
