#include "clients/tandemctl/audit_view.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/tandemctl/output.h"
#include "services/common/proto_time.h"

namespace tandem::cli {

namespace au = tandem::audit::v1;

std::vector<std::string> AuditServices(const std::vector<std::string>& chosen) {
  const bool all = chosen.empty() || std::find(chosen.begin(), chosen.end(),
                                               "all") != chosen.end();
  std::vector<std::string> services;
  for (const char* service : kAuditedServices) {
    if (all ||
        std::find(chosen.begin(), chosen.end(), service) != chosen.end()) {
      services.push_back(service);
    }
  }
  return services;
}

absl::StatusOr<absl::Time> ParseAuditBound(absl::string_view text,
                                           const ClinicTime& clinic,
                                           absl::CivilDay today, bool until,
                                           absl::string_view flag) {
  if (absl::StatusOr<absl::CivilDay> day = ParseDay(text, today, flag);
      day.ok()) {
    return clinic.StartOfDay(until ? *day + 1 : *day);
  }
  if (absl::StatusOr<absl::Time> time = clinic.ParseLocal(text, flag);
      time.ok()) {
    return *time;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(flag, ": '", text,
                   "' is neither a day (2026-12-01, today, -7) nor a "
                   "clinic-local time (2026-12-01T09:00)"));
}

au::ListAuditRecordsResponse MergeAuditRecords(
    const std::vector<au::ListAuditRecordsResponse>& pages, int limit,
    bool* truncated) {
  std::vector<const au::AuditRecord*> all;
  for (const au::ListAuditRecordsResponse& page : pages) {
    for (const au::AuditRecord& record : page.records()) all.push_back(&record);
  }
  std::stable_sort(
      all.begin(), all.end(),
      [](const au::AuditRecord* a, const au::AuditRecord* b) {
        return std::forward_as_tuple(a->time().seconds(), a->time().nanos(),
                                     a->service(), a->seq()) <
               std::forward_as_tuple(b->time().seconds(), b->time().nanos(),
                                     b->service(), b->seq());
      });
  *truncated = static_cast<int>(all.size()) > limit;
  if (*truncated) all.resize(limit);
  au::ListAuditRecordsResponse merged;
  for (const au::AuditRecord* record : all) *merged.add_records() = *record;
  return merged;
}

namespace {

std::string Ids(const au::AuditRecord& record) {
  std::vector<std::string> ids(record.resource_ids().begin(),
                               record.resource_ids().end());
  for (const std::string& couple : record.couple_ids()) {
    if (std::find(ids.begin(), ids.end(), couple) == ids.end()) {
      ids.push_back(couple);
    }
  }
  return absl::StrJoin(ids, ", ");
}

}  // namespace

std::string AuditTable(const au::ListAuditRecordsResponse& records,
                       const ClinicTime& clinic) {
  Table table({"TIME", "SERVICE", "SEQ", "SUBJECT", "ROLES", "ACTION", "IDS",
               "OUTCOME"});
  for (const au::AuditRecord& r : records.records()) {
    table.AddRow({absl::FormatTime("%Y-%m-%d %H:%M:%S",
                                   common::FromProto(r.time()), clinic.zone()),
                  r.service(), absl::StrCat(r.seq()), r.subject(), r.roles(),
                  r.action(), Ids(r), r.outcome()});
  }
  return table.Render();
}

std::string VerifyWords(const au::VerifyAuditLogResponse& r) {
  if (r.intact()) {
    return absl::StrCat("intact, ", r.records_checked(),
                        r.records_checked() == 1 ? " record" : " records");
  }
  return absl::StrCat("BROKEN at seq ", r.first_bad_seq(), ": ", r.problem());
}

}  // namespace tandem::cli
