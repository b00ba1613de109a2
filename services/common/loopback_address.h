// Whether an address names this machine only. Services refuse to listen
// in plaintext anywhere else, and tandemctl refuses to send a token in
// plaintext anywhere else.
#ifndef TANDEM_SERVICES_COMMON_LOOPBACK_ADDRESS_H_
#define TANDEM_SERVICES_COMMON_LOOPBACK_ADDRESS_H_

#include "absl/strings/string_view.h"

namespace tandem::common {

// A gRPC target or listen address on this machine only: "127.0.0.1:7001",
// "localhost:7001", "[::1]:7001", "dns:///localhost:7001",
// "ipv4:127.0.0.1:1,127.0.0.2:2" (every address), "unix:/run/x.sock".
// Names other than localhost are not resolved: "myhost:7001" is not
// loopback even if it resolves to 127.0.1.1; "0.0.0.0" and "[::]" are not.
bool IsLoopbackAddress(absl::string_view address);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_LOOPBACK_ADDRESS_H_
