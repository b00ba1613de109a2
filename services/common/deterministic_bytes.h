// A message's bytes in deterministic form (map entries in key order), so
// equal messages always serialize equal: what idempotency checks compare
// and what proposal tokens sign.
#ifndef TANDEM_SERVICES_COMMON_DETERMINISTIC_BYTES_H_
#define TANDEM_SERVICES_COMMON_DETERMINISTIC_BYTES_H_

#include <string>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message.h"

namespace tandem::common {

inline std::string DeterministicBytes(
    const google::protobuf::Message& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }  // the coded stream flushes into `bytes` when it goes
  return bytes;
}

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_DETERMINISTIC_BYTES_H_
