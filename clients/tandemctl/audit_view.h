// The pure parts of `tandemctl audit`: which services to ask, the --since and
// --until bounds, merging the services' trails into one list by time, and
// how records and verification results are shown.
#ifndef TANDEM_CLIENTS_TANDEMCTL_AUDIT_VIEW_H_
#define TANDEM_CLIENTS_TANDEMCTL_AUDIT_VIEW_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clients/tandemctl/clinic_time.h"
#include "tandem/audit/v1/audit_service.pb.h"

namespace tandem::cli {

// Every service that keeps an audit trail, in the order they are shown.
inline constexpr const char* kAuditedServices[] = {"directory", "booking",
                                                   "followup", "roster"};

// The services named by --service: "all" (or nothing) is every one of
// kAuditedServices; otherwise those named, each once, in that order.
std::vector<std::string> AuditServices(const std::vector<std::string>& chosen);

// A --since or --until value: a clinic-local time ("2026-12-01T09:00",
// "2026-12-01 09:00") or a day ("2026-12-01", "today", "-7"). A day is its
// 00:00 for --since and the next day's 00:00 for --until (`until` true), so
// `--since -7 --until today` covers the last week including today.
// INVALID_ARGUMENT naming `flag`.
absl::StatusOr<absl::Time> ParseAuditBound(absl::string_view text,
                                           const ClinicTime& clinic,
                                           absl::CivilDay today, bool until,
                                           absl::string_view flag);

// The records of several services as one list, ordered by time, then
// service, then seq. At most `limit` records are kept (the oldest);
// `*truncated` says whether any were left out.
tandem::audit::v1::ListAuditRecordsResponse MergeAuditRecords(
    const std::vector<tandem::audit::v1::ListAuditRecordsResponse>& pages,
    int limit, bool* truncated);

// TIME (clinic-local, to the second), SERVICE, SEQ, SUBJECT, ROLES, ACTION,
// IDS (resource ids, then couple ids not among them), OUTCOME.
std::string AuditTable(
    const tandem::audit::v1::ListAuditRecordsResponse& records,
    const ClinicTime& clinic);

// "intact, 1234 records" or "BROKEN at seq 17: record 17 edited (...)".
std::string VerifyWords(const tandem::audit::v1::VerifyAuditLogResponse& r);

}  // namespace tandem::cli

#endif  // TANDEM_CLIENTS_TANDEMCTL_AUDIT_VIEW_H_
