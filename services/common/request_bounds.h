// Size limits every request must keep before a handler looks at it: long
// strings, long lists and deep nesting are refused with INVALID_ARGUMENT
// naming the field path, never the value.
//
//   RETURN_IF_ERROR(CheckRequestBounds(request));
//
// The check is generic (protobuf reflection), so it runs on every request of
// every RPC; per-field rules (a name of 1-100 characters) stay in each
// service's validation.
#ifndef TANDEM_SERVICES_COMMON_REQUEST_BOUNDS_H_
#define TANDEM_SERVICES_COMMON_REQUEST_BOUNDS_H_

#include <cstddef>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace tandem::common {

// The limits. The defaults suit every Tandem API; tests shrink them.
struct RequestBounds {
  // Most bytes in any string or bytes field (or element of a repeated one).
  size_t max_string_bytes = 4096;
  // Most elements of any repeated field; a map field counts its entries.
  size_t max_repeated = 1000;
  // Most levels of message nesting below the request: a field of the
  // request is level 1, a field of that message level 2, and so on.
  int max_depth = 16;
};

// OK if `request` keeps `bounds`; otherwise INVALID_ARGUMENT for the first
// violation found, walking set fields in field-number order, depth first:
//
//   "couple.partner_a.given_name: at most 4096 bytes"
//   "intensives[2].sessions[0].room_ids: at most 1000 entries"
//   "request nests deeper than 16 levels"
//
// Elements of repeated fields (and map entries, whose fields are "key" and
// "value") are named by index, never by key or content. Unknown fields are
// not looked at.
//
// Cheap on the happy path: no allocation beyond the field lists reflection
// returns (reused across messages of the same level); the path is built only
// for the error.
absl::Status CheckRequestBounds(const google::protobuf::Message& request,
                                const RequestBounds& bounds = {});

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_REQUEST_BOUNDS_H_
