#include "services/common/update_mask.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/field_mask_util.h"

namespace tandem::common {

absl::Status ValidateUpdateMask(
    const google::protobuf::FieldMask& mask,
    const google::protobuf::Message& message,
    std::initializer_list<absl::string_view> output_only) {
  if (mask.paths().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("update_mask: ", "required: name the fields to change"));
  }
  for (const std::string& path : mask.paths()) {
    if (!google::protobuf::util::FieldMaskUtil::GetFieldDescriptors(
            message.GetDescriptor(), path, nullptr)) {
      return absl::InvalidArgumentError(
          absl::StrCat("update_mask: ", "unknown field '", path, "'"));
    }
    for (absl::string_view field : output_only) {
      if (path == field) {
        return absl::InvalidArgumentError(
            absl::StrCat("update_mask: ", "'", path, "' is output only"));
      }
    }
  }
  return absl::OkStatus();
}

void ApplyUpdateMask(const google::protobuf::Message& from,
                     const google::protobuf::FieldMask& mask,
                     google::protobuf::Message* to) {
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_repeated_fields(true);
  // A message field named in the mask takes the request's value whole, so
  // an empty value (a zero duration, a 00:00 time) clears it rather than
  // merging nothing into the old one.
  options.set_replace_message_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(from, mask, options,
                                                        to);
}

}  // namespace tandem::common
