#include "services/gateway/gateway_http.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/logging.h"
#include "services/gateway/backend_routes.h"
#include "services/gateway/grpc_web_frames.h"

namespace tandem::gateway {

namespace {

constexpr char kGrpcWebProto[] = "application/grpc-web+proto";
constexpr char kGrpcWeb[] = "application/grpc-web";
constexpr char kJson[] = "application/json";
constexpr char kText[] = "text/plain; charset=utf-8";
constexpr char kAllowAll[] = "GET, HEAD, POST, OPTIONS";
constexpr char kUnknownPath[] = "(unknown)";
constexpr char kUnknownRpc[] = "(unknown-rpc)";
constexpr int kCancelled = 1;
constexpr int kUnimplemented = 12;

// What the access log may say about the request in flight. httplib runs a
// request's handler, its content provider and the logger on one worker
// thread, one request at a time, and gives the logger only the request and
// response; so the handler leaves its notes here.
struct RequestNote {
  std::optional<absl::Time> start;
  std::string path_label = kUnknownPath;
  const char* kind = "other";  // for metrics: rpc, static, auth, calendar, other
  bool rpc = false;
  bool known_method = false;  // path_label names a method a backend knew
  int grpc_status = -1;
};
thread_local RequestNote note;

// "application/grpc-web+proto; charset=x" -> "application/grpc-web+proto".
std::string MediaType(const httplib::Request& request) {
  std::string value = request.get_header_value("Content-Type");
  const size_t semicolon = value.find(';');
  if (semicolon != std::string::npos) value.resize(semicolon);
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(value));
}

// A path in the shape of a gRPC method ("/a.B/C"): never a console page.
bool IsRpcPath(absl::string_view path) {
  const std::optional<MethodPath> method = ParseMethodPath(path);
  return method.has_value() && absl::StrContains(method->service, '.');
}

bool IsPrintableAscii(absl::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

bool IsApiPath(absl::string_view path) {
  return IsRpcPath(path) || absl::StartsWith(path, "/auth/");
}

void PlainText(httplib::Response& response, int status,
               absl::string_view text) {
  response.status = status;
  response.set_content(absl::StrCat(text, "\n"), kText);
}

void Json(httplib::Response& response, int status, const std::string& body) {
  response.status = status;
  // Tokens and settings: never from a cache.
  response.set_header("Cache-Control", "no-store");
  response.set_content(body, kJson);
}

void ServeStatic(const StaticFiles& files, const httplib::Request& request,
                 httplib::Response& response) {
  if (IsRpcPath(request.path)) {
    note.path_label = kUnknownRpc;
    response.set_header("Allow", "POST");
    PlainText(response, 405, "gRPC-Web calls are POST requests");
    return;
  }
  if (IsApiPath(request.path)) {
    PlainText(response, 404, "not found");
    return;
  }
  StaticResponse file = files.Get(request.path);
  note.kind = "static";
  note.path_label = file.log_path;
  response.status = file.status;
  response.set_header("Cache-Control", file.cache_control);
  if (file.status == 404) {
    PlainText(response, 404, "not found");
    return;
  }
  response.set_content(std::move(file.body), file.content_type);
}

// Streams the call's frames: each data frame as it arrives, then the
// trailer. Chunked, so that a server stream reaches the browser live.
void StreamCall(std::shared_ptr<ForwardedCall> call, std::string method_path,
                httplib::Response& response) {
  response.status = 200;
  response.set_chunked_content_provider(
      kGrpcWebProto,
      [call = std::move(call), method_path = std::move(method_path),
       data_frames = 0](size_t /*offset*/,
                        httplib::DataSink& sink) mutable {
        std::string frame;
        if (!call->NextFrame(&frame)) {
          sink.done();
          return true;
        }
        const int code = call->final_code();
        if (code < 0) ++data_frames;
        // Only a method the backend knows (it answered something other
        // than UNIMPLEMENTED) is named in the log; anything else is text
        // the client chose.
        if (data_frames > 0 || (code >= 0 && code != kUnimplemented)) {
          note.path_label = method_path;
          note.known_method = true;
        }
        if (!sink.write(frame.data(), frame.size())) {
          note.grpc_status = kCancelled;  // the browser left
          return false;
        }
        if (code >= 0) {
          note.grpc_status = code;
          sink.done();
        }
        return true;
      });
}

// The forwarded call, or one that only answers why it cannot be made.
std::shared_ptr<ForwardedCall> StartCall(GrpcWebForwarder& forwarder,
                                         const httplib::Request& request,
                                         const MethodPath& method) {
  const std::optional<Backend> backend = RouteService(method.service);
  if (!backend.has_value()) {
    return GrpcWebForwarder::Fail(absl::UnimplementedError(
        "the gateway does not route this service"));
  }
  absl::StatusOr<std::string> message = ParseRequestBody(request.body);
  if (!message.ok()) return GrpcWebForwarder::Fail(message.status());
  ForwardRequest forward;
  forward.method_path = request.path;
  forward.backend = *backend;
  forward.message = *std::move(message);
  // The allow-list of what passes from the browser: the bearer token and
  // the deadline. Cookies and every other header stay here.
  forward.authorization = request.get_header_value("Authorization");
  // gRPC refuses metadata values outside printable ASCII; such a value
  // is no token, so it is dropped and the backend says UNAUTHENTICATED.
  if (!IsPrintableAscii(forward.authorization)) forward.authorization.clear();
  if (request.has_header("grpc-timeout")) {
    forward.timeout =
        ParseGrpcTimeout(request.get_header_value("grpc-timeout"));
  }
  return forwarder.Start(forward);
}

void HandleRpc(GrpcWebForwarder& forwarder, const httplib::Request& request,
               httplib::Response& response) {
  const std::optional<MethodPath> method = ParseMethodPath(request.path);
  if (!method.has_value() || !absl::StrContains(method->service, '.')) {
    PlainText(response, 404, "not found");
    return;
  }
  note.rpc = true;
  note.kind = "rpc";
  note.path_label = kUnknownRpc;
  const std::string media_type = MediaType(request);
  if (media_type != kGrpcWebProto && media_type != kGrpcWeb) {
    PlainText(response, 415,
              "gRPC-Web calls need Content-Type application/grpc-web+proto "
              "(the text format is not supported)");
    return;
  }
  StreamCall(StartCall(forwarder, request, *method), request.path, response);
}

void HandleCalendarFeed(const CalendarFeeds* feeds,
                        const httplib::Request& request,
                        httplib::Response& response) {
  note.kind = "calendar";
  // The token is a secret: the log says only that a feed was asked for.
  note.path_label = "/calendar/(feed)";
  const std::optional<std::string> token = CalendarFeedToken(request.path);
  if (feeds == nullptr || !token.has_value()) {
    PlainText(response, 404, "no such calendar feed");
    return;
  }
  CalendarAnswer answer = feeds->Fetch(*token);
  response.status = answer.http_status;
  // A therapist's week: for the calendar app only, never a shared cache.
  response.set_header("Cache-Control", "no-store");
  if (answer.http_status == 503) response.set_header("Retry-After", "300");
  response.set_content(std::move(answer.body), answer.content_type);
}

void HandleDevToken(const DevSignIn* dev_sign_in,
                    const httplib::Request& request,
                    httplib::Response& response) {
  if (dev_sign_in == nullptr) {
    PlainText(response, 404, "not found");
    return;
  }
  note.path_label = request.path;
  note.kind = "auth";
  // A JSON content type makes a cross-site form post a CORS preflight,
  // which this gateway never grants.
  if (MediaType(request) != kJson) {
    PlainText(response, 415, "send the sign-in request as application/json");
    return;
  }
  absl::StatusOr<std::string> answer =
      dev_sign_in->Mint(request.body, absl::Now());
  if (!answer.ok()) {
    Json(response, 400,
         absl::StrCat("{\"error\":\"", common::JsonEscape(answer.status().message()),
                      "\"}"));
    return;
  }
  Json(response, 200, *answer);
}

void LogRequest(GatewayMetrics* metrics, const httplib::Request& request,
                const httplib::Response& response) {
  const absl::Duration took = note.start.has_value()
                                  ? absl::Now() - *note.start
                                  : absl::ZeroDuration();
  const double ms = absl::ToDoubleMilliseconds(took);
  if (metrics != nullptr) {
    metrics->Record(note.kind, response.status,
                    note.known_method ? note.path_label : "",
                    note.rpc ? note.grpc_status : -1, took);
  }
  // The method is one of a handful httplib accepts; anything else was
  // refused before routing, and is not echoed.
  const std::string method =
      (request.method == "GET" || request.method == "HEAD" ||
       request.method == "POST" || request.method == "OPTIONS" ||
       request.method == "PUT" || request.method == "DELETE" ||
       request.method == "PATCH")
          ? request.method
          : "(other)";
  if (note.rpc) {
    spdlog::info(
        R"("event":"http","method":"{}","path":"{}","status":{},"grpc_status":{},"ms":{:.3f})",
        method, common::JsonEscape(note.path_label), response.status,
        note.grpc_status, ms);
  } else {
    spdlog::info(
        R"("event":"http","method":"{}","path":"{}","status":{},"ms":{:.3f})",
        method, common::JsonEscape(note.path_label), response.status, ms);
  }
  note = RequestNote();
}

}  // namespace

std::string ContentSecurityPolicy(const OidcConfig* oidc) {
  if (oidc == nullptr) return kContentSecurityPolicy;
  return absl::StrCat("default-src 'self'; connect-src 'self' ",
                      oidc->TokenOrigin(),
                      "; img-src 'self' data:; style-src 'self' "
                      "'unsafe-inline'; frame-ancestors 'none'");
}

void InstallRoutes(const GatewayRoutes& routes, httplib::Server& server) {
  server.set_default_headers({
      {"Content-Security-Policy", ContentSecurityPolicy(routes.oidc)},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
  });
  server.set_payload_max_length(kMaxRequestBodyBytes);
  server.set_pre_routing_handler(
      [](const httplib::Request& /*request*/, httplib::Response& /*response*/) {
        note = RequestNote();
        note.start = absl::Now();
        return httplib::Server::HandlerResponse::Unhandled;
      });

  const GatewayRoutes r = routes;
  server.Post(R"(/auth/dev-token)",
              [r](const httplib::Request& request, httplib::Response& response) {
                HandleDevToken(r.dev_sign_in, request, response);
              });
  server.Get(R"(/auth/config)",
             [r](const httplib::Request& request, httplib::Response& response) {
               note.path_label = request.path;
               note.kind = "auth";
               Json(response, 200,
                    absl::StrCat("{\"dev_sign_in\":",
                                 r.dev_sign_in != nullptr ? "true" : "false",
                                 r.oidc != nullptr
                                     ? absl::StrCat(",\"oidc\":", r.oidc->ToJson())
                                     : "",
                                 "}"));
             });
  server.Get(R"(/calendar/.*)",
             [r](const httplib::Request& request, httplib::Response& response) {
               HandleCalendarFeed(r.calendar_feeds, request, response);
             });
  server.Post(R"(/.*)",
              [r](const httplib::Request& request, httplib::Response& response) {
                HandleRpc(*r.forwarder, request, response);
              });
  server.Get(R"(/.*)",
             [r](const httplib::Request& request, httplib::Response& response) {
               ServeStatic(*r.files, request, response);
             });
  // Same origin only: no Access-Control-Allow-* in the answer, so a
  // browser refuses every cross-origin call after its preflight.
  server.Options(R"(.*)", [](const httplib::Request& /*request*/,
                             httplib::Response& response) {
    response.status = 204;
    response.set_header("Allow", kAllowAll);
  });
  const auto not_allowed = [](const httplib::Request& /*request*/,
                              httplib::Response& response) {
    response.set_header("Allow", kAllowAll);
    PlainText(response, 405, "method not allowed");
  };
  server.Put(R"(.*)", not_allowed);
  server.Patch(R"(.*)", not_allowed);
  server.Delete(R"(.*)", not_allowed);

  // httplib's own refusals (413 over the body limit, 404 for an unrouted
  // method, 400 for a bad request line) get a short text body.
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request& /*request*/, httplib::Response& response) {
        if (!response.body.empty()) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        PlainText(response, response.status,
                  response.status == 413 ? "request body too large (4 MiB at most)"
                  : response.status == 404 ? "not found"
                                           : "request refused");
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler([](const httplib::Request& /*request*/,
                                  httplib::Response& response,
                                  std::exception_ptr /*error*/) {
    spdlog::error(R"("event":"http_handler_exception")");
    PlainText(response, 500, "internal error");
  });
  server.set_logger([metrics = routes.metrics](const httplib::Request& request,
                                               const httplib::Response& response) {
    LogRequest(metrics, request, response);
  });
}

}  // namespace tandem::gateway
