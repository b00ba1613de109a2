// Idempotent mutations: every mutating RPC carries a request_id, and a retry
// with the same id returns the first response without changing anything.
//
// The first response is stored in the service's own database (the request
// log of its StoreBackend; the functions below are the SQLite one), in the
// same transaction as the change it describes, so "changed but not recorded"
// (or the reverse) cannot happen, even across a crash.
#ifndef TANDEM_SERVICES_COMMON_IDEMPOTENCY_H_
#define TANDEM_SERVICES_COMMON_IDEMPOTENCY_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "services/common/sqlite.h"
#include "services/common/status_macros.h"
#include "services/common/store_backend.h"

namespace tandem::common {

// Schema for the request log; each service's first migration includes it.
inline constexpr absl::string_view kRequestLogSchema = R"sql(
CREATE TABLE request_log (
  request_id  TEXT PRIMARY KEY,
  method      TEXT NOT NULL,
  request     BLOB NOT NULL,
  response    BLOB NOT NULL,
  create_time INTEGER NOT NULL  -- unix microseconds
) WITHOUT ROWID;
CREATE INDEX request_log_by_time ON request_log(create_time);
)sql";

// INVALID_ARGUMENT unless 1-64 printable ASCII characters.
absl::Status ValidateRequestId(absl::string_view request_id);

// Inside an open transaction: the stored response for `request_id`, if any.
// The same id reused for a different method or request body is
// INVALID_ARGUMENT: it is a client bug, and replaying would hide it.
absl::StatusOr<std::optional<std::string>> FindStoredResponse(
    Database& db, absl::string_view request_id, absl::string_view method,
    const google::protobuf::Message& request);

// Inside the mutation's transaction: remembers the response.
absl::Status StoreResponse(Database& db, absl::string_view request_id,
                           absl::string_view method,
                           const google::protobuf::Message& request,
                           const google::protobuf::Message& response,
                           absl::Time now);

// Forgets responses older than `cutoff` (retries come within minutes; we
// keep days). Returns how many were removed.
absl::StatusOr<int64_t> PruneRequestLog(Database& db, absl::Time cutoff);

// Runs `mutate` in one transaction of `backend`, unless `request_id` was
// seen before, in which case the stored response is returned and nothing
// runs. `mutate` must do all its writes through the store that owns
// `backend` and must not commit; the response is remembered in the same
// transaction.
template <typename Response>
absl::StatusOr<Response> RunIdempotent(
    StoreBackend& backend, absl::string_view method,
    const google::protobuf::Message& request, absl::string_view request_id,
    absl::Time now, absl::FunctionRef<absl::StatusOr<Response>()> mutate) {
  RETURN_IF_ERROR(ValidateRequestId(request_id));
  ASSIGN_OR_RETURN(std::unique_ptr<StoreTransaction> txn,
                   backend.BeginTransaction());
  ASSIGN_OR_RETURN(std::optional<std::string> stored,
                   backend.FindStoredResponse(request_id, method, request));
  Response response;
  if (stored.has_value()) {
    if (!response.ParseFromString(*stored))
      return absl::InternalError("stored response is unreadable");
    return response;
  }
  ASSIGN_OR_RETURN(response, mutate());
  RETURN_IF_ERROR(
      backend.StoreResponse(request_id, method, request, response, now));
  RETURN_IF_ERROR(txn->Commit());
  return response;
}

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_IDEMPOTENCY_H_
