// How services store resources as rows: column 0 is the row id (the public
// id is "<prefix>-<row id>"), and one column holds the serialized proto with
// its id cleared, beside whatever columns queries filter on.
#ifndef TANDEM_SERVICES_COMMON_RESOURCE_ROWS_H_
#define TANDEM_SERVICES_COMMON_RESOURCE_ROWS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/resource_id.h"
#include "services/common/sqlite.h"
#include "services/common/status_macros.h"

namespace tandem::common {

// The body column's value: `message` without its id (the row id is the id).
template <typename T>
std::string ResourceBody(T message) {
  message.clear_id();
  return message.SerializeAsString();
}

// The resource in the current row, with its public id set.
template <typename T>
absl::StatusOr<T> ResourceFromRow(const Statement& row, int body_column,
                                  absl::string_view prefix) {
  T message;
  if (!message.ParseFromString(row.ColumnBlob(body_column))) {
    return absl::InternalError("storage: unreadable record");
  }
  message.set_id(FormatId(prefix, row.ColumnInt64(0)));
  return message;
}

// Runs `sql` (one `?` for the row id); NOT_FOUND naming `noun` and the
// public id when there is no row.
template <typename T>
absl::StatusOr<T> SelectResource(Database& db, absl::string_view sql,
                                 int64_t id, int body_column,
                                 absl::string_view prefix,
                                 absl::string_view noun) {
  ASSIGN_OR_RETURN(Statement stmt, db.Prepare(sql));
  stmt.Bind(1, id);
  ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat(noun, " ", FormatId(prefix, id), " not found"));
  }
  return ResourceFromRow<T>(stmt, body_column, prefix);
}

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_RESOURCE_ROWS_H_
