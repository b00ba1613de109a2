#include "clients/tandemctl/config.h"

#include <array>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/jwt_minter.h"

namespace tandem::cli {
namespace {

constexpr std::array<absl::string_view, 12> kKeys = {
    "directory", "booking", "followup", "roster", "therapist",  "output",
    "timeout",   "pki",     "ca",       "token",  "token_file", "as"};

struct EnvKey {
  const char* variable;
  const char* key;
};
constexpr std::array<EnvKey, 9> kEnvKeys = {{
    {"TANDEM_DIRECTORY", "directory"},
    {"TANDEM_BOOKING", "booking"},
    {"TANDEM_FOLLOWUP", "followup"},
    {"TANDEM_ROSTER", "roster"},
    {"TANDEM_THERAPIST", "therapist"},
    {"TANDEM_PKI", "pki"},
    {"TANDEM_CA", "ca"},
    {"TANDEM_TOKEN", "token"},
    {"TANDEM_TOKEN_FILE", "token_file"},
}};

}  // namespace

bool IsSettingKey(absl::string_view key) {
  for (absl::string_view k : kKeys) {
    if (k == key) return true;
  }
  return false;
}

absl::StatusOr<SettingValues> ParseConfig(absl::string_view text,
                                          absl::string_view source) {
  SettingValues values;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    if (size_t hash = line.find('#'); hash != absl::string_view::npos) {
      line = line.substr(0, hash);
    }
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          source, ":", line_number, ": expected 'key = value'"));
    }
    std::string key(absl::StripAsciiWhitespace(line.substr(0, eq)));
    std::string value(absl::StripAsciiWhitespace(line.substr(eq + 1)));
    if (!IsSettingKey(key)) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ":", line_number, ": unknown key '", key,
                       "' (known: ", absl::StrJoin(kKeys, ", "), ")"));
    }
    if (!values.emplace(key, value).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          source, ":", line_number, ": '", key, "' is set twice"));
    }
  }
  return values;
}

SettingValues SettingsFromEnvironment(const EnvLookup& env) {
  SettingValues values;
  for (const EnvKey& e : kEnvKeys) {
    std::optional<std::string> v = env(e.variable);
    if (v.has_value() && !v->empty()) values[e.key] = *v;
  }
  return values;
}

std::string DataDir(const EnvLookup& env) {
  if (auto v = env("TANDEM_DATA"); v.has_value() && !v->empty()) return *v;
  return "data";
}

std::string ConfigPath(const std::string& flag, const EnvLookup& env,
                       bool* explicit_path) {
  *explicit_path = true;
  if (!flag.empty()) return flag;
  if (auto v = env("TANDEMCTL_CONFIG"); v.has_value() && !v->empty()) {
    return *v;
  }
  *explicit_path = false;
  if (auto v = env("XDG_CONFIG_HOME"); v.has_value() && !v->empty()) {
    return absl::StrCat(*v, "/tandem/tandemctl.conf");
  }
  if (auto v = env("HOME"); v.has_value() && !v->empty()) {
    return absl::StrCat(*v, "/.config/tandem/tandemctl.conf");
  }
  return "";
}

absl::StatusOr<absl::Duration> ParseTimeout(absl::string_view text) {
  absl::Duration d;
  double seconds = 0;
  if (absl::SimpleAtod(text, &seconds)) {
    d = absl::Seconds(seconds);
  } else if (!absl::ParseDuration(text, &d)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "timeout: '", text, "' is not a duration (e.g. 10, 10s, 1500ms)"));
  }
  if (d <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("timeout: must be positive");
  }
  return d;
}

absl::StatusOr<common::Roles> ParseRoleList(absl::string_view text,
                                            absl::string_view flag) {
  if (absl::StripAsciiWhitespace(text).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        flag, ": name at least one role (admin, coordinator, therapist)"));
  }
  common::Roles roles;
  for (absl::string_view name : absl::StrSplit(text, ',')) {
    name = absl::StripAsciiWhitespace(name);
    if (name == "service") {
      return absl::InvalidArgumentError(absl::StrCat(
          flag,
          ": 'service' is not for tokens: services are identified by "
          "their certificates"));
    }
    bool known = false;
    for (common::Role role : {common::Role::kAdmin, common::Role::kCoordinator,
                              common::Role::kTherapist}) {
      if (name == common::RoleName(role)) {
        roles.Add(role);
        known = true;
      }
    }
    if (!known) {
      return absl::InvalidArgumentError(
          absl::StrCat(flag, ": '", name,
                       "' is not a role (admin, coordinator, therapist)"));
    }
  }
  return roles;
}

absl::StatusOr<Settings> ResolveSettings(const SettingValues& flags,
                                         const SettingValues& env,
                                         const SettingValues& file,
                                         const std::string& data_dir) {
  auto pick = [&](const std::string& key, std::string* out) {
    for (const SettingValues* source : {&flags, &env, &file}) {
      if (auto it = source->find(key); it != source->end()) {
        *out = it->second;
        return true;
      }
    }
    return false;
  };
  Settings s;
  pick("directory", &s.directory);
  pick("booking", &s.booking);
  pick("followup", &s.followup);
  pick("roster", &s.roster);
  pick("therapist", &s.therapist);
  pick("output", &s.output);
  if (s.output != "table" && s.output != "json") {
    return absl::InvalidArgumentError(absl::StrCat(
        "output: '", s.output, "' is not one of: table, json"));
  }
  if (std::string timeout; pick("timeout", &timeout)) {
    absl::StatusOr<absl::Duration> d = ParseTimeout(timeout);
    if (!d.ok()) return d.status();
    s.timeout = *d;
  }
  s.pki = absl::StrCat(data_dir, "/pki");
  pick("pki", &s.pki);
  s.ca = absl::StrCat(s.pki, "/", common::kCaFile);
  pick("ca", &s.ca);
  for (const SettingValues* source : {&flags, &env, &file}) {
    const bool token = source->count("token") > 0;
    const bool token_file = source->count("token_file") > 0;
    if (token && token_file) {
      return absl::InvalidArgumentError(
          "token and token_file: give one of them, not both");
    }
    if (token) s.token = source->at("token");
    if (token_file) s.token_file = source->at("token_file");
    if (token || token_file) break;
  }
  if (std::string as; pick("as", &as)) {
    absl::StatusOr<common::Roles> roles = ParseRoleList(as, "as");
    if (!roles.ok()) return roles.status();
    s.as = *roles;
  }
  return s;
}

}  // namespace tandem::cli
