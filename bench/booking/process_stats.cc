#include "bench/booking/process_stats.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace tandem::bench {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// The number after "<key>:" on its line of a /proc "Key: value" file, or -1.
long FieldValue(const std::string& content, const std::string& key) {
  for (absl::string_view line : absl::StrSplit(content, '\n')) {
    if (!absl::StartsWith(line, key + ":")) continue;
    std::vector<absl::string_view> words = absl::StrSplit(
        line.substr(key.size() + 1), ' ', absl::SkipWhitespace());
    long value = 0;
    if (!words.empty() && absl::SimpleAtoi(words[0], &value)) return value;
  }
  return -1;
}

}  // namespace

std::string LoadAverage() {
  std::vector<std::string> fields =
      absl::StrSplit(ReadFile("/proc/loadavg"), ' ', absl::SkipWhitespace());
  if (fields.size() < 3) return "unknown";
  return absl::StrCat(fields[0], " ", fields[1], " ", fields[2]);
}

MachineFacts ReadMachineFacts() {
  MachineFacts facts;
  facts.cpus = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  for (absl::string_view line :
       absl::StrSplit(ReadFile("/proc/cpuinfo"), '\n')) {
    if (!absl::StartsWith(line, "model name")) continue;
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos) continue;
    facts.cpu_model =
        std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
    break;
  }
  if (facts.cpu_model.empty()) facts.cpu_model = "unknown";
  facts.load_average = LoadAverage();
  return facts;
}

absl::StatusOr<ProcessMemory> ReadProcessMemory(pid_t pid) {
  const std::string status = ReadFile(absl::StrCat("/proc/", pid, "/status"));
  ProcessMemory memory;
  memory.rss_kib = FieldValue(status, "VmRSS");
  memory.hwm_kib = FieldValue(status, "VmHWM");
  if (memory.rss_kib < 0) {
    return absl::NotFoundError(absl::StrCat("no VmRSS for pid ", pid));
  }
  return memory;
}

absl::StatusOr<pid_t> FindChildByArgument(const std::string& argument) {
  const std::string parent = absl::StrCat(getpid());
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator("/proc", error)) {
    pid_t pid = 0;
    if (!absl::SimpleAtoi(entry.path().filename().string(), &pid)) continue;
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces.
    const std::string stat = ReadFile(absl::StrCat("/proc/", pid, "/stat"));
    const size_t paren = stat.rfind(')');
    if (paren == std::string::npos) continue;
    std::vector<std::string> rest =
        absl::StrSplit(stat.substr(paren + 1), ' ', absl::SkipWhitespace());
    if (rest.size() < 2 || rest[1] != parent) continue;
    const std::string cmdline =
        ReadFile(absl::StrCat("/proc/", pid, "/cmdline"));
    for (absl::string_view arg : absl::StrSplit(cmdline, '\0')) {
      if (arg == argument) return pid;
    }
  }
  return absl::NotFoundError(
      absl::StrCat("no child process has the argument ", argument));
}

}  // namespace tandem::bench
