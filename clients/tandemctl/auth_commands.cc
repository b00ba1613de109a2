// tandemctl commands about who the caller is: `auth dev-token` mints a
// development token with the development key, `auth whoami` shows what the
// token of the next call says (decoded locally, not verified).
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "clients/tandemctl/bearer_token.h"
#include "clients/tandemctl/commands.h"
#include "clients/tandemctl/output.h"
#include "services/common/status_macros.h"

namespace tandem::cli {
namespace {

struct DevTokenOpts {
  std::string roles, subject, therapist, ttl = "15m", key;
};

absl::Status DevToken(Context& ctx, const DevTokenOpts& o) {
  common::TokenClaims claims;
  ASSIGN_OR_RETURN(claims.roles, ParseRoleList(o.roles, "--role"));
  claims.subject = o.subject.empty() ? DevSubject(ctx.env) : o.subject;
  if (claims.roles.Has(common::Role::kTherapist)) {
    claims.therapist_id =
        o.therapist.empty() ? ctx.settings.therapist : o.therapist;
  } else if (!o.therapist.empty()) {
    return absl::InvalidArgumentError(
        "--therapist: only a token with the therapist role carries one");
  }
  absl::Duration ttl;
  if (!absl::ParseDuration(o.ttl, &ttl) || ttl <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--ttl: '", o.ttl, "' is not a positive duration (e.g. 15m, 8h)"));
  }
  claims.ttl = ttl;
  const std::string key = o.key.empty() ? DevKeyPath(ctx.settings) : o.key;
  const absl::Time now = absl::Now();
  ASSIGN_OR_RETURN(std::string token, MintDevToken(key, claims, now));
  if (ctx.json()) {
    nlohmann::json j = {
        {"token", token},
        {"subject", claims.subject},
        {"roles", claims.roles.ToString()},
        {"expires",
         absl::FormatTime(absl::RFC3339_sec, now + ttl, absl::UTCTimeZone())}};
    if (!claims.therapist_id.empty()) j["therapist_id"] = claims.therapist_id;
    ctx.out() << j.dump(2) << "\n";
  } else {
    ctx.out() << token << "\n";
  }
  return absl::OkStatus();
}

absl::Status WhoAmI(Context& ctx) {
  const BearerToken* token = nullptr;
  ASSIGN_OR_RETURN(token, ctx.Token());
  if (token->origin == TokenOrigin::kNone) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no token: calls go out without one; run scripts/start once to "
        "create the development key ",
        DevKeyPath(ctx.settings), ", or pass --token / set TANDEM_TOKEN"));
  }
  ASSIGN_OR_RETURN(TokenSummary summary, DecodeUnverified(token->token));
  const absl::Time now = absl::Now();
  std::string expires;
  if (summary.expires.has_value()) {
    expires = absl::StrCat(
        absl::FormatTime("%Y-%m-%d %H:%M:%S %Z", *summary.expires,
                         absl::LocalTimeZone()),
        *summary.expires <= now
            ? " (expired)"
            : absl::StrCat(" (in ",
                           absl::FormatDuration(absl::Trunc(
                               *summary.expires - now, absl::Seconds(1))),
                           ")"));
  }
  if (ctx.json()) {
    nlohmann::json j = {{"subject", summary.subject},
                        {"roles", summary.roles},
                        {"therapist_id", summary.therapist_id},
                        {"issuer", summary.issuer},
                        {"source", token->source},
                        {"verified", false}};
    if (summary.expires.has_value()) {
      j["expires"] = absl::FormatTime(absl::RFC3339_sec, *summary.expires,
                                      absl::UTCTimeZone());
    }
    ctx.out() << j.dump(2) << "\n";
    return absl::OkStatus();
  }
  ctx.out() << RenderFields({{"subject", summary.subject},
                             {"roles", absl::StrJoin(summary.roles, ", ")},
                             {"therapist", summary.therapist_id},
                             {"issuer", summary.issuer},
                             {"expires", expires},
                             {"from", token->source}});
  ctx.Hint(
      "Decoded locally without verifying the signature: the services decide "
      "whether they accept it.");
  return absl::OkStatus();
}

}  // namespace

void AddAuthCommands(CLI::App& app, Context& ctx) {
  CLI::App* auth = AddGroup(app, ctx, "auth", "Tokens: who tandemctl calls as");

  auto o = std::make_shared<DevTokenOpts>();
  CLI::App* dev = auth->add_subcommand(
      "dev-token",
      "Print a development token signed with the development key (local "
      "development and tests only)");
  dev->footer(
      "For local development and tests only: production tokens come from the "
      "clinic's identity provider. The key is the one deploy/dev-pki made "
      "(scripts/start runs it); the services of that PKI accept the token. "
      "Other commands mint such a token on their own (see --as); this one is "
      "for scripts and other clients. 'service' is refused: services are "
      "identified by their certificates.\n"
      "Examples:\n"
      "  tandemctl auth dev-token --role coordinator\n"
      "  export TANDEM_TOKEN=$(tandemctl auth dev-token --role therapist "
      "--therapist th-3 --ttl 8h)");
  dev->add_option("--role", o->roles,
                  "Roles, comma-separated: admin, coordinator, therapist")
      ->required();
  dev->add_option("--subject", o->subject,
                  "The token's subject (default dev:$USER)");
  dev->add_option("--therapist", o->therapist,
                  "Therapist id for the therapist role (default: the "
                  "configured --therapist)");
  dev->add_option("--ttl", o->ttl, "How long it is valid (default 15m)");
  dev->add_option("--key", o->key, "Private key (default <pki>/jwt-dev.key)");
  OnRun(dev, ctx, [&ctx, o] { return DevToken(ctx, *o); });

  CLI::App* whoami = auth->add_subcommand(
      "whoami",
      "Show who the next call is made as (the token decoded locally, not "
      "verified)");
  whoami->footer(
      "The token is the one every other command would send: --token, "
      "--token-file or a development token (see --as).\n"
      "Example:\n  tandemctl --as therapist --therapist th-3 auth whoami");
  OnRun(whoami, ctx, [&ctx] { return WhoAmI(ctx); });
}

}  // namespace tandem::cli
