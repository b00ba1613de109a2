// Which RPC a request path names, when this binary knows it. A client can
// send any path; what it chose must never reach a log line or a metric
// label, since a path is free text (and could carry anything). Only paths
// of methods compiled into this binary (or gRPC's health service) are
// echoed; everything else is "unknown".
#ifndef TANDEM_SERVICES_COMMON_KNOWN_METHOD_H_
#define TANDEM_SERVICES_COMMON_KNOWN_METHOD_H_

#include <string>

namespace tandem::common {

struct KnownMethod {
  std::string service;  // "tandem.directory.v1.DirectoryService" or "unknown"
  std::string method;   // "GetTherapist" or "unknown"
  bool known() const { return service != "unknown"; }
  // "/service/method" when known, "unknown" otherwise.
  std::string path() const;
};

// `path` is gRPC's "/pkg.Service/Method" (may be null).
KnownMethod IdentifyMethod(const char* path);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_KNOWN_METHOD_H_
