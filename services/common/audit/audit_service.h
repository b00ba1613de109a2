// The gRPC face of a service's audit trail (tandem.audit.v1.AuditService),
// served by each service beside its own API, over its own AuditLog.
//
// Administrators only. Every call that authenticates is itself appended to
// the trail (action "ListAuditRecords" or "VerifyAuditLog", with its
// outcome), denied calls included, so reading the trail leaves a trace. A
// call whose own record cannot be written is answered UNAVAILABLE and
// returns nothing, as CallGate does for every audited method.
#ifndef TANDEM_SERVICES_COMMON_AUDIT_AUDIT_SERVICE_H_
#define TANDEM_SERVICES_COMMON_AUDIT_AUDIT_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/audit/audit_log.h"
#include "services/common/caller.h"
#include "tandem/audit/v1/audit_service.grpc.pb.h"

namespace tandem::common::audit {

class AuditService final
    : public tandem::audit::v1::AuditService::CallbackService {
 public:
  // Where the time of the service's own records comes from.
  using Clock = std::function<absl::Time()>;

  // `service_name` ("booking") goes in the records of this API's calls.
  // Neither pointer is owned; both must outlive the service.
  AuditService(
      std::string service_name, AuditLog* log,
      const Authenticator* authenticator,
      Clock clock = [] { return absl::Now(); });

  grpc::ServerUnaryReactor* ListAuditRecords(
      grpc::CallbackServerContext* context,
      const tandem::audit::v1::ListAuditRecordsRequest* request,
      tandem::audit::v1::ListAuditRecordsResponse* response) override;

  grpc::ServerUnaryReactor* VerifyAuditLog(
      grpc::CallbackServerContext* context,
      const tandem::audit::v1::VerifyAuditLogRequest* request,
      tandem::audit::v1::VerifyAuditLogResponse* response) override;

  // The same calls for an already authenticated caller, without gRPC: the
  // admin check, the work and the call's own record. On failure `response`
  // is left empty.
  absl::Status List(const Caller& caller,
                    const tandem::audit::v1::ListAuditRecordsRequest& request,
                    tandem::audit::v1::ListAuditRecordsResponse* response);
  absl::Status Verify(const Caller& caller,
                      const tandem::audit::v1::VerifyAuditLogRequest& request,
                      tandem::audit::v1::VerifyAuditLogResponse* response);

 private:
  // Appends this call's record. Returns `outcome`, or UNAVAILABLE when the
  // record could not be written.
  absl::Status Record(const Caller& caller, absl::string_view action,
                      const std::string& couple_id, absl::Status outcome);

  const std::string service_name_;
  AuditLog* const log_;
  const Authenticator* const authenticator_;
  const Clock clock_;
};

// ListAuditRecordsRequest -> AuditFilter: INVALID_ARGUMENT naming
// page_size, page_token, start_time, end_time, subject or couple_id. The
// filter's limit is the effective page size.
absl::StatusOr<AuditFilter> FilterFromRequest(
    const tandem::audit::v1::ListAuditRecordsRequest& request);

tandem::audit::v1::AuditRecord RecordToProto(const AuditRecord& record);

}  // namespace tandem::common::audit

#endif  // TANDEM_SERVICES_COMMON_AUDIT_AUDIT_SERVICE_H_
