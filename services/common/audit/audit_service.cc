#include "services/common/audit/audit_service.h"

#include <spdlog/spdlog.h>

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_status.h"
#include "services/common/logging.h"
#include "services/common/pagination.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"

namespace tandem::common::audit {

namespace v1 = tandem::audit::v1;

namespace {

// Page tokens of this list, so no other list's token is accepted.
constexpr absl::string_view kTokenScope = "audit";
// Longer subjects or couple ids exist nowhere in Tandem.
constexpr size_t kMaxIdLength = 256;

absl::Status CheckId(absl::string_view field, const std::string& value) {
  if (value.size() > kMaxIdLength) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": at most ", kMaxIdLength, " characters"));
  }
  return absl::OkStatus();
}

absl::Status RequireAdmin(const Caller& caller) {
  if (caller.Has(Role::kAdmin)) return absl::OkStatus();
  return absl::PermissionDeniedError("audit records are for administrators");
}

}  // namespace

absl::StatusOr<AuditFilter> FilterFromRequest(
    const v1::ListAuditRecordsRequest& request) {
  AuditFilter filter;
  ASSIGN_OR_RETURN(filter.limit, EffectivePageSize(request.page_size()));
  ASSIGN_OR_RETURN(PageCursor cursor,
                   DecodePageToken(kTokenScope, request.page_token()));
  if (cursor.id < 0) {
    return absl::InvalidArgumentError("page_token: not a token of this list");
  }
  filter.after_seq = cursor.id;
  if (request.has_start_time()) {
    ASSIGN_OR_RETURN(filter.from,
                     TimeFromProto(request.start_time(), "start_time"));
  }
  if (request.has_end_time()) {
    ASSIGN_OR_RETURN(filter.to, TimeFromProto(request.end_time(), "end_time"));
  }
  if (filter.to < filter.from) {
    return absl::InvalidArgumentError("end_time: before start_time");
  }
  RETURN_IF_ERROR(CheckId("subject", request.subject()));
  RETURN_IF_ERROR(CheckId("couple_id", request.couple_id()));
  filter.subject = request.subject();
  filter.couple_id = request.couple_id();
  return filter;
}

v1::AuditRecord RecordToProto(const AuditRecord& record) {
  v1::AuditRecord out;
  out.set_seq(record.seq);
  *out.mutable_time() = ToProto(record.entry.time);
  out.set_subject(record.entry.subject);
  out.set_roles(record.entry.roles);
  out.set_service(record.entry.service);
  out.set_action(record.entry.action);
  for (const std::string& id : record.entry.resource_ids) {
    out.add_resource_ids(id);
  }
  for (const std::string& id : record.entry.couple_ids) out.add_couple_ids(id);
  out.set_outcome(record.entry.outcome);
  out.set_prev_hash(record.prev_hash);
  out.set_hash(record.hash);
  return out;
}

AuditService::AuditService(std::string service_name, AuditLog* log,
                           const Authenticator* authenticator, Clock clock)
    : service_name_(std::move(service_name)),
      log_(log),
      authenticator_(authenticator),
      clock_(std::move(clock)) {}

grpc::ServerUnaryReactor* AuditService::ListAuditRecords(
    grpc::CallbackServerContext* context,
    const v1::ListAuditRecordsRequest* request,
    v1::ListAuditRecordsResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Caller> caller = authenticator_->Authenticate(*context);
  reactor->Finish(ToGrpcStatus(caller.ok() ? List(*caller, *request, response)
                                           : caller.status()));
  return reactor;
}

grpc::ServerUnaryReactor* AuditService::VerifyAuditLog(
    grpc::CallbackServerContext* context,
    const v1::VerifyAuditLogRequest* request,
    v1::VerifyAuditLogResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Caller> caller = authenticator_->Authenticate(*context);
  reactor->Finish(ToGrpcStatus(caller.ok() ? Verify(*caller, *request, response)
                                           : caller.status()));
  return reactor;
}

absl::Status AuditService::List(const Caller& caller,
                                const v1::ListAuditRecordsRequest& request,
                                v1::ListAuditRecordsResponse* response) {
  absl::Status outcome = [&]() -> absl::Status {
    RETURN_IF_ERROR(RequireAdmin(caller));
    ASSIGN_OR_RETURN(AuditFilter filter, FilterFromRequest(request));
    const int page_size = filter.limit;
    ++filter.limit;  // one more tells whether another page follows
    ASSIGN_OR_RETURN(std::vector<AuditRecord> records, log_->List(filter));
    const bool more = static_cast<int>(records.size()) > page_size;
    if (more) records.resize(page_size);
    for (const AuditRecord& record : records) {
      *response->add_records() = RecordToProto(record);
    }
    if (more) {
      response->set_next_page_token(
          EncodePageToken(kTokenScope, PageCursor{0, records.back().seq}));
    }
    return absl::OkStatus();
  }();
  outcome = Record(caller, "ListAuditRecords", request.couple_id(),
                   std::move(outcome));
  if (!outcome.ok()) response->Clear();
  return outcome;
}

absl::Status AuditService::Verify(const Caller& caller,
                                  const v1::VerifyAuditLogRequest& /*request*/,
                                  v1::VerifyAuditLogResponse* response) {
  absl::Status outcome = [&]() -> absl::Status {
    RETURN_IF_ERROR(RequireAdmin(caller));
    ASSIGN_OR_RETURN(VerifyReport report, log_->Verify());
    response->set_intact(report.intact);
    response->set_records_checked(report.records_checked);
    response->set_first_bad_seq(report.first_bad_seq);
    response->set_problem(report.problem);
    return absl::OkStatus();
  }();
  outcome = Record(caller, "VerifyAuditLog", "", std::move(outcome));
  if (!outcome.ok()) response->Clear();
  return outcome;
}

absl::Status AuditService::Record(const Caller& caller,
                                  absl::string_view action,
                                  const std::string& couple_id,
                                  absl::Status outcome) {
  AuditEntry entry;
  entry.time = clock_();
  entry.subject = caller.subject;
  entry.roles = caller.roles.ToString();
  entry.service = service_name_;
  entry.action = std::string(action);
  // Looking up a couple's trail touches that couple.
  if (!couple_id.empty() && couple_id.size() <= kMaxIdLength) {
    entry.couple_ids.push_back(couple_id);
  }
  entry.outcome = absl::StatusCodeToString(outcome.code());
  absl::Status recorded = log_->Append(entry);
  if (recorded.ok()) return outcome;
  spdlog::error(R"("event":"audit_append_failed","method":"{}","error":"{}")",
                JsonEscape(action), JsonEscape(recorded.message()));
  if (!outcome.ok()) return outcome;
  return absl::UnavailableError(
      "the audit trail cannot be written; nothing was returned");
}

}  // namespace tandem::common::audit
