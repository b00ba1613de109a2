// tandem-audit-verify: checks audit files offline, for an administrator with
// disk access (the services need not run). One line per file:
//
//   booking.audit.db: intact, 1234 records
//   roster.audit.db: BROKEN at seq 17: record 17 edited (...)
//
// Exit codes: 0 every file intact, 1 a file is broken or cannot be read,
// 2 usage error.
#include <iostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/audit/audit_log.h"

namespace {

constexpr char kUsage[] =
    "usage: tandem-audit-verify AUDIT_DB [AUDIT_DB...]\n"
    "Checks the hash chain of each audit file; exits 0 only if all are "
    "intact.\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> paths(argv + 1, argv + argc);
  for (const std::string& arg : paths) {
    if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      return 0;
    }
  }
  if (paths.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  bool all_intact = true;
  for (const std::string& path : paths) {
    absl::StatusOr<tandem::common::audit::VerifyReport> report =
        tandem::common::audit::AuditLog::VerifyFile(path);
    if (!report.ok()) {
      all_intact = false;
      std::cout << path << ": cannot verify: " << report.status().message()
                << "\n";
    } else if (report->intact) {
      std::cout << path << ": intact, " << report->records_checked
                << (report->records_checked == 1 ? " record" : " records")
                << "\n";
    } else {
      all_intact = false;
      std::cout << path << ": BROKEN at seq " << report->first_bad_seq << ": "
                << report->problem << "\n";
    }
  }
  return all_intact ? 0 : 1;
}
