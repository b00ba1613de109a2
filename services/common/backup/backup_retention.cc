#include "services/common/backup/backup_retention.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"

namespace tandem::common::backup {

namespace {

// "20261124T010544.123Z.db": what follows "<stem>-".
bool IsTimestampSuffix(absl::string_view rest) {
  constexpr absl::string_view kShape = "########T######.###Z.db";
  if (rest.size() != kShape.size()) return false;
  for (size_t i = 0; i < kShape.size(); ++i) {
    const bool digit = absl::ascii_isdigit(static_cast<unsigned char>(rest[i]));
    if (kShape[i] == '#' ? !digit : rest[i] != kShape[i]) return false;
  }
  return true;
}

}  // namespace

bool IsBackupOf(absl::string_view name, absl::string_view stem) {
  if (stem.empty() || !absl::StartsWith(name, stem)) return false;
  name.remove_prefix(stem.size());
  if (!absl::ConsumePrefix(&name, "-")) return false;
  return IsTimestampSuffix(name);
}

std::vector<std::string> BackupsBeyond(std::vector<std::string> names,
                                       absl::string_view stem, int keep) {
  if (keep <= 0) return {};
  names.erase(std::remove_if(names.begin(), names.end(),
                             [&](const std::string& name) {
                               return !IsBackupOf(name, stem);
                             }),
              names.end());
  std::sort(names.begin(), names.end());
  const size_t kept = static_cast<size_t>(keep);
  if (names.size() <= kept) return {};
  names.resize(names.size() - kept);
  return names;
}

absl::StatusOr<int> PruneBackups(const std::string& dir,
                                 absl::string_view stem, int keep) {
  if (keep <= 0) return 0;
  std::error_code error;
  std::vector<std::string> names;
  for (std::filesystem::directory_iterator it(dir, error), end;
       !error && it != end; it.increment(error)) {
    if (it->is_regular_file()) names.push_back(it->path().filename().string());
  }
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("backup: cannot list the backup directory ", dir));
  }
  int removed = 0;
  for (const std::string& name : BackupsBeyond(std::move(names), stem, keep)) {
    if (!std::filesystem::remove(std::filesystem::path(dir) / name, error) ||
        error) {
      return absl::UnavailableError(
          absl::StrCat("backup: cannot remove the old copy ", name, " in ",
                       dir));
    }
    ++removed;
  }
  return removed;
}

}  // namespace tandem::common::backup
