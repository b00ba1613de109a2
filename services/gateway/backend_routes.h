// Which backend serves a gRPC method, by the proto package of its service:
// the gateway forwards bytes and knows no method, only this table.
//
//   tandem.directory.v1.  -> directory
//   tandem.booking.v1.    -> booking
//   tandem.followup.v1.   -> followup
//   tandem.roster.v1.     -> roster
//
// tandem.audit.v1 and tandem.admin.v1 are served by every backend, so a
// path cannot say which one is meant: they are not routed (the operators'
// tools call the services directly).
#ifndef TANDEM_SERVICES_GATEWAY_BACKEND_ROUTES_H_
#define TANDEM_SERVICES_GATEWAY_BACKEND_ROUTES_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace tandem::gateway {

// The four backends; also an index into arrays of channels.
enum class Backend { kDirectory = 0, kBooking, kFollowup, kRoster };
inline constexpr int kBackendCount = 4;

// "directory", "booking", "followup", "roster".
absl::string_view BackendName(Backend backend);

// A gRPC method path "/<package>.<Service>/<Method>", split.
struct MethodPath {
  std::string service;  // "tandem.directory.v1.DirectoryService"
  std::string method;   // "ListRooms"
};

// Splits `path` when it has the shape of a gRPC method path: a leading '/',
// a dotted service name and a method name, each made of letters, digits and
// '_' only (so that a path that passes can be logged and forwarded as is).
// nullopt otherwise.
std::optional<MethodPath> ParseMethodPath(absl::string_view path);

// The backend of `service` ("tandem.booking.v1.BookingService"), or nullopt
// when the gateway does not route it.
std::optional<Backend> RouteService(absl::string_view service);

}  // namespace tandem::gateway

#endif  // TANDEM_SERVICES_GATEWAY_BACKEND_ROUTES_H_
