#include "clients/tandemctl/config.h"

#include <array>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace tandem::cli {
namespace {

constexpr std::array<absl::string_view, 7> kKeys = {
    "directory", "booking", "followup", "roster",
    "therapist", "output",  "timeout"};

struct EnvKey {
  const char* variable;
  const char* key;
};
constexpr std::array<EnvKey, 5> kEnvKeys = {{
    {"TANDEM_DIRECTORY", "directory"},
    {"TANDEM_BOOKING", "booking"},
    {"TANDEM_FOLLOWUP", "followup"},
    {"TANDEM_ROSTER", "roster"},
    {"TANDEM_THERAPIST", "therapist"},
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
                       "' (known: directory, booking, followup, roster, "
                       "therapist, output, timeout)"));
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

absl::StatusOr<Settings> ResolveSettings(const SettingValues& flags,
                                         const SettingValues& env,
                                         const SettingValues& file) {
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
  return s;
}

}  // namespace tandem::cli
