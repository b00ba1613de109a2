#include "clients/tandemctl/bearer_token.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace tandem::cli {
namespace {

bool Exists(const std::string& path) {
  std::error_code error;
  return std::filesystem::exists(path, error);
}

// The whole file; nullopt when it cannot be read.
std::optional<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

// A pasted "Bearer eyJ..." or a file's trailing newline is still the token.
std::string CleanToken(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  absl::ConsumePrefix(&text, "Bearer ");
  return std::string(absl::StripAsciiWhitespace(text));
}

absl::Status AppendToMessage(const absl::Status& status,
                             absl::string_view hint) {
  absl::Status out(status.code(), absl::StrCat(status.message(), hint));
  status.ForEachPayload(
      [&out](absl::string_view type_url, const absl::Cord& payload) {
        out.SetPayload(type_url, payload);
      });
  return out;
}

}  // namespace

std::string DevKeyPath(const Settings& settings) {
  return absl::StrCat(settings.pki, "/", common::kDevJwtKeyFile);
}

std::string DevSubject(const EnvLookup& env) {
  std::optional<std::string> user = env("USER");
  if (!user.has_value() || user->empty()) return "dev:local";
  return absl::StrCat("dev:", *user);
}

absl::StatusOr<common::TokenClaims> DevTokenClaims(const Settings& settings,
                                                   const EnvLookup& env) {
  common::TokenClaims claims;
  claims.subject = DevSubject(env);
  claims.roles = settings.as;
  if (claims.roles.Has(common::Role::kTherapist)) {
    if (!absl::StartsWith(settings.therapist, "th-")) {
      return absl::InvalidArgumentError(
          "--as therapist: a therapist's token carries their id: pass "
          "--therapist th-N (or set TANDEM_THERAPIST)");
    }
    claims.therapist_id = settings.therapist;
  }
  return claims;
}

absl::StatusOr<std::string> MintDevToken(const std::string& key_file,
                                         const common::TokenClaims& claims,
                                         absl::Time now) {
  if (claims.roles.Has(common::Role::kTherapist) &&
      !absl::StartsWith(claims.therapist_id, "th-")) {
    return absl::InvalidArgumentError(
        "a therapist's token carries their id: pass --therapist th-N");
  }
  if (!Exists(key_file)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "development key ", key_file,
        " not found: run scripts/start once (it creates the development "
        "PKI with deploy/dev-pki), or name the key with --key / --pki"));
  }
  std::optional<std::string> pem = ReadText(key_file);
  if (!pem.has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat("development key ", key_file, " cannot be read"));
  }
  absl::StatusOr<std::string> token =
      common::MintToken(*pem, common::kDevAlgorithm, claims, now);
  if (!token.ok()) {
    return absl::Status(token.status().code(),
                        absl::StrCat("development key ", key_file, ": ",
                                     token.status().message()));
  }
  return token;
}

absl::StatusOr<BearerToken> ResolveBearerToken(const Settings& settings,
                                               const EnvLookup& env,
                                               absl::Time now) {
  BearerToken out;
  if (!settings.token.empty()) {
    out.token = CleanToken(settings.token);
    out.origin = TokenOrigin::kGiven;
    out.source = "--token (or TANDEM_TOKEN, or token in the config file)";
    return out;
  }
  if (!settings.token_file.empty()) {
    std::optional<std::string> text = ReadText(settings.token_file);
    if (!text.has_value()) {
      return absl::FailedPreconditionError(
          absl::StrCat("token file ", settings.token_file, " cannot be read"));
    }
    out.token = CleanToken(*text);
    if (out.token.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("token file ", settings.token_file, " is empty"));
    }
    out.origin = TokenOrigin::kFile;
    out.source = absl::StrCat("token file ", settings.token_file);
    return out;
  }
  const std::string key = DevKeyPath(settings);
  if (!Exists(key)) return out;  // no token
  absl::StatusOr<common::TokenClaims> claims = DevTokenClaims(settings, env);
  if (!claims.ok()) return claims.status();
  absl::StatusOr<std::string> token = MintDevToken(key, *claims, now);
  if (!token.ok()) return token.status();
  out.token = *std::move(token);
  out.origin = TokenOrigin::kDevelopmentKey;
  out.source = absl::StrCat("development key ", key);
  return out;
}

absl::Status WithTokenHint(absl::Status status, const BearerToken& token,
                           const Settings& settings) {
  if (status.code() == absl::StatusCode::kUnauthenticated) {
    switch (token.origin) {
      case TokenOrigin::kNone:
        return AppendToMessage(
            status,
            absl::StrCat(" (no token was sent: run scripts/start once to "
                         "create the development key ",
                         DevKeyPath(settings),
                         ", or pass --token / set TANDEM_TOKEN)"));
      case TokenOrigin::kDevelopmentKey:
        return AppendToMessage(
            status,
            absl::StrCat(" (sent a development token from ", token.source,
                         ": the services must use the same PKI; check "
                         "--pki / TANDEM_DATA)"));
      case TokenOrigin::kGiven:
      case TokenOrigin::kFile:
        return AppendToMessage(
            status, absl::StrCat(" (the token from ", token.source,
                                 " was refused: it may have expired; get a "
                                 "new one)"));
    }
  }
  if (status.code() == absl::StatusCode::kPermissionDenied &&
      token.origin == TokenOrigin::kDevelopmentKey) {
    return AppendToMessage(
        status,
        absl::StrCat(" (development token with roles ", settings.as.ToString(),
                     "; --as ROLES changes them)"));
  }
  return status;
}

absl::StatusOr<TokenSummary> DecodeUnverified(absl::string_view token) {
  const std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  std::string payload;
  if (parts.size() != 3 || !absl::WebSafeBase64Unescape(parts[1], &payload)) {
    return absl::InvalidArgumentError(
        "token: not a JWT (three base64url parts)");
  }
  const nlohmann::json claims = nlohmann::json::parse(payload, nullptr, false);
  if (!claims.is_object()) {
    return absl::InvalidArgumentError("token: the payload is not JSON");
  }
  auto text = [&claims](const char* name) {
    auto it = claims.find(name);
    return it != claims.end() && it->is_string() ? it->get<std::string>()
                                                 : std::string();
  };
  TokenSummary out;
  out.subject = text("sub");
  out.therapist_id = text("therapist_id");
  out.issuer = text("iss");
  if (auto role = claims.find("role"); role != claims.end()) {
    if (role->is_string()) out.roles.push_back(role->get<std::string>());
    if (role->is_array()) {
      for (const auto& name : *role) {
        if (name.is_string()) out.roles.push_back(name.get<std::string>());
      }
    }
  }
  if (auto exp = claims.find("exp");
      exp != claims.end() && exp->is_number_integer()) {
    out.expires = absl::FromUnixSeconds(exp->get<int64_t>());
  }
  return out;
}

}  // namespace tandem::cli
