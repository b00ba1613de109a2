// tandemctl: the command line of Tandem for coordinators and therapists.
// Wiring only: global flags, settings, the command groups, and turning the
// chosen command's status into a line on stderr and an exit code.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "clients/tandemctl/commands.h"
#include "clients/tandemctl/completion.h"
#include "clients/tandemctl/config.h"
#include "clients/tandemctl/context.h"
#include "clients/tandemctl/errors.h"

namespace tandem::cli {
namespace {

constexpr char kFooter[] = R"(Servers: --directory/--booking/--followup/--roster, else TANDEM_DIRECTORY,
TANDEM_BOOKING, TANDEM_FOLLOWUP, TANDEM_ROSTER, else the config file
(--config, $TANDEMCTL_CONFIG or ~/.config/tandem/tandemctl.conf, lines
`key = value`), else 127.0.0.1:7001..7004.

Security: TLS, verified with --ca (TANDEM_CA, default <pki>/ca.crt, pki
being --pki, TANDEM_PKI or ${TANDEM_DATA:-data}/pki); without that file,
plaintext to loopback addresses only. Every call carries a bearer token:
--token (TANDEM_TOKEN) or --token-file (TANDEM_TOKEN_FILE), else a
development token minted with <pki>/jwt-dev.key for the roles of --as.
See `tandemctl auth --help`.

Dates and times are clinic-local: 2026-12-01, 2026-12-01T09:00; also today,
tomorrow, +7.

Exit codes: 0 ok, 1 the server refused or failed, 2 usage error,
3 a server is unreachable or timed out.

Examples:
  tandemctl roster                         # my roster today
  tandemctl propose --couple cp-1 --template pt-1 --from 2026-12-01 --to 2026-12-31
  tandemctl hold --plan 1
  tandemctl confirm in-5
  tandemctl --output json sessions list --couple cp-1)";

struct GlobalFlags {
  std::string directory, booking, followup, roster, therapist, output, timeout;
  std::string pki, ca, token, token_file, as;
  std::string config;
  std::vector<std::pair<std::string, CLI::Option*>> settings;
};

void AddGlobalFlags(CLI::App& app, GlobalFlags& g, Context& ctx) {
  auto setting = [&](const std::string& key, std::string& into,
                     const std::string& help) {
    std::string flag = key;  // token_file -> --token-file
    std::replace(flag.begin(), flag.end(), '_', '-');
    CLI::Option* opt = app.add_option("--" + flag, into, help);
    g.settings.emplace_back(key, opt);
    return opt;
  };
  setting("directory", g.directory, "Directory address (host:port)")
      ->group("Servers");
  setting("booking", g.booking, "Booking address")->group("Servers");
  setting("followup", g.followup, "Follow-up address")->group("Servers");
  setting("roster", g.roster, "Roster address")->group("Servers");
  setting("therapist", g.therapist,
          "Your own therapist id (for roster and calendar export)");
  setting("output", g.output, "table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
  setting("timeout", g.timeout, "Deadline of every call (default 10s)");
  setting("pki", g.pki,
          "Development PKI directory (default ${TANDEM_DATA:-data}/pki)")
      ->group("Security");
  setting("ca", g.ca,
          "CA file that verifies the servers (default <pki>/ca.crt); "
          "without it, plaintext to loopback addresses only")
      ->group("Security");
  setting("token", g.token,
          "Bearer token sent with every call (default: a development token "
          "when <pki>/jwt-dev.key exists)")
      ->group("Security");
  setting("token_file", g.token_file, "File holding the bearer token")
      ->group("Security");
  setting("as", g.as,
          "Roles of the development token: admin, coordinator, therapist, "
          "comma-separated (default admin,coordinator; therapist uses "
          "--therapist)")
      ->group("Security");
  app.add_option("--config", g.config, "Config file");
  app.add_option("--request-id", ctx.request_id_flag,
                 "Idempotency key of this command's change, so a script can "
                 "retry safely (default: random)");
  app.add_option("--state-dir", ctx.state_dir_flag,
                 "Where the last proposal is kept (default "
                 "$XDG_STATE_HOME/tandem or ~/.local/state/tandem)");
}

absl::Status ResolveGlobal(const GlobalFlags& g, Context& ctx) {
  SettingValues flags;
  for (const auto& [key, opt] : g.settings) {
    if (opt->count() > 0) flags[key] = opt->as<std::string>();
  }
  bool explicit_path = false;
  const std::string path = ConfigPath(g.config, ctx.env, &explicit_path);
  SettingValues file;
  if (!path.empty()) {
    std::ifstream in(path);
    if (in) {
      std::stringstream text;
      text << in.rdbuf();
      absl::StatusOr<SettingValues> parsed = ParseConfig(text.str(), path);
      if (!parsed.ok()) return parsed.status();
      file = *parsed;
    } else if (explicit_path) {
      return absl::InvalidArgumentError("config file " + path +
                                        " cannot be read");
    }
  }
  absl::StatusOr<Settings> settings = ResolveSettings(
      flags, SettingsFromEnvironment(ctx.env), file, DataDir(ctx.env));
  if (!settings.ok()) return settings.status();
  ctx.settings = *settings;
  return absl::OkStatus();
}

void AddCompletion(CLI::App& app, Context& ctx) {
  CLI::App* completion = app.add_subcommand(
      "completion", "Print a shell completion script");
  OnRun(completion, ctx, ShowHelp(completion, ctx));
  CLI::App* bash = completion->add_subcommand(
      "bash", "Bash completion (source it, or install it under "
              "/etc/bash_completion.d)");
  bash->footer("Example:\n  source <(tandemctl completion bash)");
  OnRun(bash, ctx, [&app, &ctx] {
    ctx.out() << BashCompletion(app);
    return absl::OkStatus();
  });
}

int Run(int argc, char** argv) {
  Context ctx;
  ctx.env = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
  CLI::App app(
      "tandemctl: Tandem from the terminal, for coordinators and therapists",
      "tandemctl");
  app.fallthrough();  // global flags may follow the subcommand
  GlobalFlags global;
  AddGlobalFlags(app, global, ctx);
  AddDirectoryCommands(app, ctx);
  AddBookingCommands(app, ctx);
  AddFollowUpCommands(app, ctx);
  AddRosterCommands(app, ctx);
  AddAuditCommands(app, ctx);
  AddAdminCommands(app, ctx);
  AddDemoCommands(app, ctx);
  AddAuthCommands(app, ctx);
  AddCompletion(app, ctx);
  app.footer(kFooter);  // after the subcommands, which would inherit it

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (!ctx.work) ctx.work = ShowHelp(&app, ctx);
  absl::Status status = ResolveGlobal(global, ctx);
  if (status.ok()) status = ctx.work();
  if (!status.ok()) {
    std::cout.flush();
    std::cerr << ErrorLine(status) << "\n";
    return ExitCode(status);
  }
  return kExitOk;
}

}  // namespace
}  // namespace tandem::cli

int main(int argc, char** argv) { return tandem::cli::Run(argc, argv); }
