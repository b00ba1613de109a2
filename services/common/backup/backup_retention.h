// Keeps a service's backup directory from growing without end: after each
// new copy, only the newest `keep` copies of each kind (the database's and
// the audit trail's) are kept. Copies sort by name because BackupFileName
// puts the UTC time in it; only names that BackupFileName could have made
// for this stem are ever considered, so nothing else in the directory (an
// operator's own files, another service's copies, a ".partial") is touched.
#ifndef TANDEM_SERVICES_COMMON_BACKUP_BACKUP_RETENTION_H_
#define TANDEM_SERVICES_COMMON_BACKUP_BACKUP_RETENTION_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tandem::common::backup {

// True when `name` is "<stem>-YYYYMMDDTHHMMSS.mmmZ.db".
bool IsBackupOf(absl::string_view name, absl::string_view stem);

// Of `names` (file names, any order), the backups of `stem` that fall
// outside the newest `keep`, oldest first. keep <= 0 keeps everything.
std::vector<std::string> BackupsBeyond(std::vector<std::string> names,
                                       absl::string_view stem, int keep);

// Deletes from `dir` the backups of `stem` beyond the newest `keep`.
// Returns how many were deleted; UNAVAILABLE naming the directory when it
// cannot be read or a file cannot be removed.
absl::StatusOr<int> PruneBackups(const std::string& dir,
                                 absl::string_view stem, int keep);

}  // namespace tandem::common::backup

#endif  // TANDEM_SERVICES_COMMON_BACKUP_BACKUP_RETENTION_H_
