// Checks an update_mask before FieldMaskUtil merges it into a resource.
#ifndef TANDEM_SERVICES_COMMON_UPDATE_MASK_H_
#define TANDEM_SERVICES_COMMON_UPDATE_MASK_H_

#include <initializer_list>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace tandem::common {

// INVALID_ARGUMENT naming update_mask unless it is set, names only fields of
// `message`, and names none of `output_only` (e.g. "id", "update_time").
absl::Status ValidateUpdateMask(
    const google::protobuf::FieldMask& mask,
    const google::protobuf::Message& message,
    std::initializer_list<absl::string_view> output_only);

// Copies the masked fields of `from` into `to`; repeated fields are replaced,
// not appended (what a form that edits a list means).
void ApplyUpdateMask(const google::protobuf::Message& from,
                     const google::protobuf::FieldMask& mask,
                     google::protobuf::Message* to);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_UPDATE_MASK_H_
