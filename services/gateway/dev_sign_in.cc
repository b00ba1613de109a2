#include "services/gateway/dev_sign_in.h"

#include <nlohmann/json.hpp>

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/caller.h"
#include "services/common/jwt_minter.h"
#include "services/common/status_macros.h"
#include "services/common/tls_credentials.h"

namespace tandem::gateway {

namespace {

using common::Role;
using common::Roles;

// The roles a person can hold; kService is a peer service's, proven by its
// certificate, and never minted here.
constexpr Role kPersonRoles[] = {Role::kAdmin, Role::kCoordinator,
                                 Role::kTherapist};

absl::Status AddRole(const nlohmann::json& name, Roles& roles) {
  if (name.is_string()) {
    for (Role role : kPersonRoles) {
      if (name.get<std::string>() == common::RoleName(role)) {
        roles.Add(role);
        return absl::OkStatus();
      }
    }
  }
  return absl::InvalidArgumentError(
      "role: one of \"admin\", \"coordinator\", \"therapist\"");
}

struct Request {
  Roles roles;
  std::string therapist_id;
};

absl::StatusOr<Request> ParseRequest(absl::string_view text) {
  const nlohmann::json body =
      nlohmann::json::parse(text, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return absl::InvalidArgumentError("the body is not a JSON object");
  }
  Request request;
  if (body.contains("role")) RETURN_IF_ERROR(AddRole(body["role"], request.roles));
  if (body.contains("roles")) {
    if (!body["roles"].is_array()) {
      return absl::InvalidArgumentError("roles: an array of role names");
    }
    for (const nlohmann::json& name : body["roles"]) {
      RETURN_IF_ERROR(AddRole(name, request.roles));
    }
  }
  if (request.roles.empty()) {
    return absl::InvalidArgumentError("role: required (\"role\" or \"roles\")");
  }
  if (body.contains("therapist_id")) {
    if (!body["therapist_id"].is_string()) {
      return absl::InvalidArgumentError("therapist_id: a string (\"th-1\")");
    }
    request.therapist_id = body["therapist_id"].get<std::string>();
  }
  if (request.roles.Has(Role::kTherapist)) {
    // The services refuse a therapist's token that does not say who.
    if (!absl::StartsWith(request.therapist_id, "th-") ||
        request.therapist_id.size() > 64) {
      return absl::InvalidArgumentError(
          "therapist_id: a therapist's token carries their id (\"th-1\")");
    }
  } else if (!request.therapist_id.empty()) {
    return absl::InvalidArgumentError(
        "therapist_id: only a token with the therapist role carries one");
  }
  return request;
}

common::TokenClaims ClaimsFor(const Request& request) {
  common::TokenClaims claims;
  claims.roles = request.roles;
  claims.therapist_id = request.therapist_id;
  // A stable, non-personal id: the role, or the therapist's id.
  claims.subject = request.therapist_id.empty()
                       ? absl::StrCat("dev:", request.roles.ToString())
                       : absl::StrCat("dev:", request.therapist_id);
  claims.ttl = kDevTokenLifetime;
  return claims;
}

}  // namespace

absl::StatusOr<std::unique_ptr<DevSignIn>> DevSignIn::FromKeyFile(
    const std::string& key_path) {
  ASSIGN_OR_RETURN(std::string pem,
                   common::ReadPemFile(key_path, "--dev_token_key"));
  auto sign_in = std::unique_ptr<DevSignIn>(new DevSignIn(std::move(pem)));
  common::TokenClaims probe;
  probe.subject = "dev:probe";
  probe.roles = {Role::kCoordinator};
  absl::StatusOr<std::string> token =
      common::MintToken(sign_in->private_key_pem_, common::kDevAlgorithm,
                        probe, absl::Now());
  if (!token.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--dev_token_key: ", token.status().message()));
  }
  return sign_in;
}

absl::StatusOr<std::string> DevSignIn::Mint(absl::string_view request_json,
                                            absl::Time now) const {
  ASSIGN_OR_RETURN(Request request, ParseRequest(request_json));
  const common::TokenClaims claims = ClaimsFor(request);
  ASSIGN_OR_RETURN(std::string token,
                   common::MintToken(private_key_pem_, common::kDevAlgorithm,
                                     claims, now));
  nlohmann::json roles = nlohmann::json::array();
  for (Role role : kPersonRoles) {
    if (claims.roles.Has(role)) {
      roles.push_back(std::string(common::RoleName(role)));
    }
  }
  nlohmann::json answer = {
      {"token", token},
      // RFC 3339 in UTC with "Z", as JavaScript's Date prints it.
      {"expires_at", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", now + claims.ttl,
                                      absl::UTCTimeZone())},
      {"subject", claims.subject},
      {"roles", roles}};
  if (!claims.therapist_id.empty()) answer["therapist_id"] = claims.therapist_id;
  return answer.dump();
}

}  // namespace tandem::gateway
