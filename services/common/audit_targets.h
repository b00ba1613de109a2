// What an audit record says an RPC touched: resource ids and couple ids,
// found by field name through protobuf reflection, so one function serves
// every Tandem API.
#ifndef TANDEM_SERVICES_COMMON_AUDIT_TARGETS_H_
#define TANDEM_SERVICES_COMMON_AUDIT_TARGETS_H_

#include <string>
#include <vector>

#include "google/protobuf/message.h"

namespace tandem::common {

// The ids one RPC touched. Ids only: never names, labels or other values.
struct AuditTargets {
  // Most entries of resource_ids; later ones are dropped.
  static constexpr size_t kMaxResourceIds = 20;
  // Most entries of couple_ids; later ones are dropped.
  static constexpr size_t kMaxCoupleIds = 500;

  // The resources the call names or creates, first-seen order, no
  // duplicates, at most kMaxResourceIds.
  std::vector<std::string> resource_ids;
  // Every couple the call's messages mention, first-seen order (request
  // first), no duplicates, at most kMaxCoupleIds.
  std::vector<std::string> couple_ids;
};

// Finds the audit targets of one call; `response` may be null (a failed
// call, or before the handler ran).
//
// An "id field" is a string field named "id" or ending in "_id", except
// "request_id" (the idempotency key).
//
// resource_ids, in this order:
//   - the non-empty top-level id fields of `request`, and the non-empty
//     elements of its top-level repeated string fields ending in "_ids";
//   - when `response` has exactly one top-level singular message field that
//     is set (CreateCoupleResponse.couple), that message's own non-empty
//     top-level id fields, so a Create records the new id.
//   GetCoupleRequest{id: "cp-3"} -> {"cp-3"};
//   HoldIntensiveRequest + response -> {couple_id, ..., the new "in-" id}.
//
// couple_ids: the non-empty values of every string field named exactly
// "couple_id" in `request` and then `response`, searching singular and
// repeated message fields (and oneofs) down to 6 levels below the top
// message. A couple's own id is not found this way when it is named
// otherwise (Couple.id, GetCoupleRequest.id): it is in resource_ids.
AuditTargets ExtractAuditTargets(const google::protobuf::Message& request,
                                 const google::protobuf::Message* response);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_AUDIT_TARGETS_H_
