#include "services/common/idempotency.h"

#include "absl/strings/str_cat.h"
#include "services/common/deterministic_bytes.h"

namespace tandem::common {

namespace {

constexpr absl::string_view kSelectStored =
    "SELECT method, request, response FROM request_log WHERE request_id = ?";
constexpr absl::string_view kInsertStored =
    "INSERT INTO request_log(request_id, method, request, response, "
    "create_time) VALUES (?, ?, ?, ?, ?)";
constexpr absl::string_view kPrune =
    "DELETE FROM request_log WHERE create_time < ?";

}  // namespace

absl::Status ValidateRequestId(absl::string_view request_id) {
  if (request_id.empty() || request_id.size() > 64) {
    return absl::InvalidArgumentError(
        "request_id: required, 1-64 characters (e.g. a UUID)");
  }
  for (char c : request_id) {
    if (c < 0x21 || c > 0x7e) {
      return absl::InvalidArgumentError(
          "request_id: only printable ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> FindStoredResponse(
    Database& db, absl::string_view request_id, absl::string_view method,
    const google::protobuf::Message& request) {
  ASSIGN_OR_RETURN(Statement stmt, db.Prepare(kSelectStored));
  stmt.Bind(1, request_id);
  ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  if (stmt.ColumnText(0) != method ||
      stmt.ColumnBlob(1) != DeterministicBytes(request)) {
    return absl::InvalidArgumentError(
        "request_id: already used for a different request");
  }
  return stmt.ColumnBlob(2);
}

absl::Status StoreResponse(Database& db, absl::string_view request_id,
                           absl::string_view method,
                           const google::protobuf::Message& request,
                           const google::protobuf::Message& response,
                           absl::Time now) {
  ASSIGN_OR_RETURN(Statement stmt, db.Prepare(kInsertStored));
  stmt.Bind(1, request_id)
      .Bind(2, method)
      .BindBlob(3, DeterministicBytes(request))
      .BindBlob(4, DeterministicBytes(response))
      .Bind(5, absl::ToUnixMicros(now));
  return stmt.Run();
}

absl::StatusOr<int64_t> PruneRequestLog(Database& db, absl::Time cutoff) {
  ASSIGN_OR_RETURN(Statement stmt, db.Prepare(kPrune));
  stmt.Bind(1, absl::ToUnixMicros(cutoff));
  RETURN_IF_ERROR(stmt.Run());
  return db.Changes();
}

}  // namespace tandem::common
