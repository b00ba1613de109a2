#include "services/gateway/backend_routes.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"

namespace tandem::gateway {

namespace {

struct Route {
  const char* package_prefix;
  Backend backend;
};

// One line per backend. Only the API packages: AuditService and
// AdminService exist on every backend and are deliberately absent.
constexpr Route kRoutes[] = {
    {"tandem.directory.v1.", Backend::kDirectory},
    {"tandem.booking.v1.", Backend::kBooking},
    {"tandem.followup.v1.", Backend::kFollowup},
    {"tandem.roster.v1.", Backend::kRoster},
};

bool IsIdentifier(absl::string_view text) {
  if (text.empty() || absl::ascii_isdigit(static_cast<unsigned char>(text[0]))) {
    return false;
  }
  for (char c : text) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

// Dotted identifiers: "tandem.directory.v1.DirectoryService".
bool IsQualifiedName(absl::string_view text) {
  size_t start = 0;
  while (true) {
    const size_t dot = text.find('.', start);
    const absl::string_view part = text.substr(
        start, dot == absl::string_view::npos ? absl::string_view::npos
                                              : dot - start);
    if (!IsIdentifier(part)) return false;
    if (dot == absl::string_view::npos) return true;
    start = dot + 1;
  }
}

}  // namespace

absl::string_view BackendName(Backend backend) {
  switch (backend) {
    case Backend::kDirectory:
      return "directory";
    case Backend::kBooking:
      return "booking";
    case Backend::kFollowup:
      return "followup";
    case Backend::kRoster:
      return "roster";
  }
  return "unknown";
}

std::optional<MethodPath> ParseMethodPath(absl::string_view path) {
  // Real method paths are far shorter; the bound keeps log lines short.
  constexpr size_t kMaxPathLength = 256;
  if (path.size() > kMaxPathLength || !absl::ConsumePrefix(&path, "/")) {
    return std::nullopt;
  }
  const size_t slash = path.find('/');
  if (slash == absl::string_view::npos) return std::nullopt;
  const absl::string_view service = path.substr(0, slash);
  const absl::string_view method = path.substr(slash + 1);
  if (!IsQualifiedName(service) || !IsIdentifier(method)) return std::nullopt;
  return MethodPath{std::string(service), std::string(method)};
}

std::optional<Backend> RouteService(absl::string_view service) {
  for (const Route& route : kRoutes) {
    if (absl::StartsWith(service, route.package_prefix) &&
        service.size() > absl::string_view(route.package_prefix).size()) {
      return route.backend;
    }
  }
  return std::nullopt;
}

}  // namespace tandem::gateway
