// Where tandemctl finds its servers and defaults. Every setting comes from,
// in order of precedence: a command-line flag, the environment, the config
// file, then the built-in default. This header holds only pure logic: the
// caller reads the environment and the file and passes them in, so tests
// need neither.
//
// Config file format (~/.config/tandem/tandemctl.conf by default):
//
//   # comments start with '#'
//   directory = 127.0.0.1:7001
//   therapist = th-3
//   output    = table        # or json
//   timeout   = 10s          # seconds, or an absl duration ("1500ms", "1m")
//   pki       = data/pki     # the development PKI (deploy/dev-pki)
//   ca        = /etc/tandem/ca.crt
//   token_file = /home/me/.config/tandem/token   # or token = <JWT>, not both
//   as        = therapist    # roles of development tokens
#ifndef TANDEM_CLIENTS_TANDEMCTL_CONFIG_H_
#define TANDEM_CLIENTS_TANDEMCTL_CONFIG_H_

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/caller.h"

namespace tandem::cli {

// key -> value, keys as in the config file ("directory", "timeout", ...).
using SettingValues = std::map<std::string, std::string>;

// Looks up an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// The resolved settings of one invocation.
struct Settings {
  std::string directory = "127.0.0.1:7001";
  std::string booking = "127.0.0.1:7002";
  std::string followup = "127.0.0.1:7003";
  std::string roster = "127.0.0.1:7004";
  // The caller's own therapist id ("th-3"); empty when not configured.
  std::string therapist;
  // "table" or "json".
  std::string output = "table";
  // Deadline of every call.
  absl::Duration timeout = absl::Seconds(10);
  // The development PKI directory (deploy/dev-pki): default
  // ${TANDEM_DATA:-data}/pki.
  std::string pki;
  // The CA that signed the services' certificates: default <pki>/ca.crt.
  // When the file does not exist, only loopback servers are reached, in
  // plaintext.
  std::string ca;
  // The bearer token of every call, or the file holding it; at most one of
  // the two is set. Neither: a development token is minted when
  // <pki>/jwt-dev.key exists (see bearer_token.h).
  std::string token;
  std::string token_file;
  // The roles of development tokens (--as), never kService.
  common::Roles as = {common::Role::kAdmin, common::Role::kCoordinator};
};

// The keys a config file may contain.
bool IsSettingKey(absl::string_view key);

// Parses `key = value` lines; blank lines and '#' comments (whole-line or
// trailing) are ignored. INVALID_ARGUMENT names `source` and the line for a
// line without '=', an unknown key or a key given twice.
absl::StatusOr<SettingValues> ParseConfig(absl::string_view text,
                                          absl::string_view source);

// The settings found in the environment: TANDEM_DIRECTORY, TANDEM_BOOKING,
// TANDEM_FOLLOWUP, TANDEM_ROSTER, TANDEM_THERAPIST, TANDEM_PKI, TANDEM_CA,
// TANDEM_TOKEN, TANDEM_TOKEN_FILE. Empty values are ignored.
SettingValues SettingsFromEnvironment(const EnvLookup& env);

// Where scripts/start keeps its data: $TANDEM_DATA, else "data" (relative
// to the working directory).
std::string DataDir(const EnvLookup& env);

// Which config file to read: `flag` if given, else $TANDEMCTL_CONFIG, else
// $HOME/.config/tandem/tandemctl.conf (or $XDG_CONFIG_HOME/tandem/...).
// `explicit_path` is set to whether the user named the file (a missing
// explicit file is an error, a missing default one is not).
std::string ConfigPath(const std::string& flag, const EnvLookup& env,
                       bool* explicit_path);

// Merges the three sources over the defaults (flags win, then env, then
// file) and validates output, timeout and as. The default pki is
// <data_dir>/pki, the default ca <pki>/ca.crt. token and token_file are one
// choice: the first source that sets either wins, and a source that sets
// both is an INVALID_ARGUMENT.
absl::StatusOr<Settings> ResolveSettings(const SettingValues& flags,
                                         const SettingValues& env,
                                         const SettingValues& file,
                                         const std::string& data_dir = "data");

// "10", "2.5" (seconds) or an absl duration ("1500ms", "1m"); positive.
absl::StatusOr<absl::Duration> ParseTimeout(absl::string_view text);

// A comma-separated list of roles a person may hold ("admin,coordinator",
// "therapist"; blanks around names are ignored). INVALID_ARGUMENT naming
// `flag` for an empty list, an unknown name, or "service": services are
// identified by their certificates, never by a token.
absl::StatusOr<common::Roles> ParseRoleList(absl::string_view text,
                                            absl::string_view flag);

}  // namespace tandem::cli

#endif  // TANDEM_CLIENTS_TANDEMCTL_CONFIG_H_
