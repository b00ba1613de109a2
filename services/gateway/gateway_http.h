// The gateway's HTTP surface, installed on an httplib::Server (plain or
// SSLServer):
//
//   POST /<package>.<Service>/<Method>   gRPC-Web (application/grpc-web+proto
//                                        or application/grpc-web), forwarded
//                                        by GrpcWebForwarder; HTTP 200 with
//                                        the status in the trailer frame
//   GET  /calendar/<token>.ics           a therapist's calendar subscription
//                                        (calendar_feeds.h); 404 when off
//   GET  /auth/config                    {"dev_sign_in": true|false, and
//                                        "oidc": {...} with a provider}
//   POST /auth/dev-token                 development sign-in (dev_sign_in.h);
//                                        404 when off
//   GET  (anything else)                 the console's files (static_files.h)
//   OPTIONS                              204 with Allow and no CORS grant:
//                                        the console is same-origin only
//
// Every response carries the security headers (CSP, nosniff, no referrer,
// no framing). One access-log line per request: method, path (only a route
// we know, else a placeholder), HTTP status, grpc-status, milliseconds;
// never a body, a header value or a query string.
#ifndef TANDEM_SERVICES_GATEWAY_GATEWAY_HTTP_H_
#define TANDEM_SERVICES_GATEWAY_GATEWAY_HTTP_H_

#include <cstddef>
#include <string>

#include "services/gateway/calendar_feeds.h"
#include "services/gateway/dev_sign_in.h"
#include "services/gateway/gateway_metrics.h"
#include "services/gateway/grpc_web_forwarder.h"
#include "services/gateway/oidc_config.h"
#include "services/gateway/static_files.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace tandem::gateway {

inline constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

// kContentSecurityPolicy, with the identity provider's token endpoint added
// to connect-src when there is one (the console exchanges its code there).
std::string ContentSecurityPolicy(const OidcConfig* oidc);

// Larger bodies are answered 413 before they are read.
inline constexpr size_t kMaxRequestBodyBytes = 4 << 20;

struct GatewayRoutes {
  const StaticFiles* files = nullptr;
  GrpcWebForwarder* forwarder = nullptr;
  const DevSignIn* dev_sign_in = nullptr;  // null: development sign-in off
  const CalendarFeeds* calendar_feeds = nullptr;  // null: no subscriptions
  const OidcConfig* oidc = nullptr;  // null: no identity provider sign-in
  GatewayMetrics* metrics = nullptr;       // null: not counted
};

// Registers every route, the headers, limits and the access log on
// `server`. `routes`' members must outlive the server.
void InstallRoutes(const GatewayRoutes& routes, httplib::Server& server);

}  // namespace tandem::gateway

#endif  // TANDEM_SERVICES_GATEWAY_GATEWAY_HTTP_H_
