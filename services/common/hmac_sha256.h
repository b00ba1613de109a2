// HMAC-SHA256 and its constant-time check, for the tokens services sign
// with a key of their own (booking's proposal tokens, the roster's calendar
// subscription addresses). One place, so that every check compares in
// constant time.
#ifndef TANDEM_SERVICES_COMMON_HMAC_SHA256_H_
#define TANDEM_SERVICES_COMMON_HMAC_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace tandem::common {

// The 32-byte MAC of `message` under `key`.
std::string HmacSha256(absl::string_view key, absl::string_view message);

// Whether `given` equals `expected`, in time that does not depend on where
// they differ.
bool SameMac(absl::string_view given, absl::string_view expected);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_HMAC_SHA256_H_
