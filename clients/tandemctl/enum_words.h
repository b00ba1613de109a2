// Protobuf enum values as people type and read them. A value's words are its
// name without the enum's prefix, lower case: CancelReason
// CANCEL_REASON_COUPLE_REQUEST is "couple request" to read and
// "couple-request" to type.
#ifndef TANDEM_CLIENTS_TANDEMCTL_ENUM_WORDS_H_
#define TANDEM_CLIENTS_TANDEMCTL_ENUM_WORDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"

namespace tandem::cli {

// "CANCEL_REASON_" for CancelReason.
std::string EnumPrefix(const google::protobuf::EnumDescriptor& e);

// "couple request"; "" for the UNSPECIFIED value; the number if unknown.
std::string EnumWords(const google::protobuf::EnumDescriptor& e, int value);

// The values a person may type, UNSPECIFIED left out: "couple-request", ...
std::vector<std::string> EnumChoices(const google::protobuf::EnumDescriptor& e);

// Accepts "couple-request", "couple_request", "Couple Request" or the full
// name. INVALID_ARGUMENT naming `flag` and listing the choices otherwise.
absl::StatusOr<int> ParseEnumWords(const google::protobuf::EnumDescriptor& e,
                                   absl::string_view text,
                                   absl::string_view flag);

template <typename E>
std::string Words(E value) {
  return EnumWords(*google::protobuf::GetEnumDescriptor<E>(),
                   static_cast<int>(value));
}

template <typename E>
absl::StatusOr<E> ParseEnum(absl::string_view text, absl::string_view flag) {
  absl::StatusOr<int> v =
      ParseEnumWords(*google::protobuf::GetEnumDescriptor<E>(), text, flag);
  if (!v.ok()) return v.status();
  return static_cast<E>(*v);
}

// "couple-request, clinic-request, ..." for help texts.
template <typename E>
std::string ChoicesText() {
  std::string out;
  for (const std::string& c :
       EnumChoices(*google::protobuf::GetEnumDescriptor<E>())) {
    if (!out.empty()) out += ", ";
    out += c;
  }
  return out;
}

}  // namespace tandem::cli

#endif  // TANDEM_CLIENTS_TANDEMCTL_ENUM_WORDS_H_
