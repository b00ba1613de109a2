// What every RPC passes through before and after its handler, in one place:
//   1. authenticate (peer certificate or bearer token),
//   2. the method's role rule (AccessPolicy),
//   3. the request's size bounds (so no request can exhaust memory),
//   4. the handler (which makes the object-level checks),
//   5. the audit record, for audited methods and for every denial: who,
//      what (method, ids), outcome; never the data itself.
// An audit record that cannot be written fails the call (UNAVAILABLE):
// data about couples is not served without a trace. A mutation that was
// already committed stays, and a retry with its request_id is answered
// from the idempotency record, audited again.
#ifndef TANDEM_SERVICES_COMMON_CALL_GATE_H_
#define TANDEM_SERVICES_COMMON_CALL_GATE_H_

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/access_policy.h"
#include "services/common/caller.h"
#include "services/common/request_bounds.h"

namespace tandem::common {
namespace audit {
class AuditLog;
}

class CallGate {
 public:
  // `audit` may be null (a service without an audit trail); the others
  // must outlive the gate.
  CallGate(std::string service_name, const Authenticator* authenticator,
           const AccessPolicy* policy, audit::AuditLog* audit,
           RequestBounds bounds = {});

  // Steps 1-3. A denial of an authenticated caller is audited here.
  absl::StatusOr<Caller> Admit(const grpc::ServerContextBase& context,
                               absl::string_view method,
                               const google::protobuf::Message& request) const;

  // Step 5 for an admitted call: appends the record when the method is
  // audited or the outcome is a denial. Returns `outcome`, or UNAVAILABLE
  // when the record could not be written.
  absl::Status Finish(const Caller& caller, absl::string_view method,
                      const google::protobuf::Message& request,
                      const google::protobuf::Message* response,
                      absl::Status outcome) const;

  // Steps 1-5 around `handle`, an `absl::Status(const Caller&)`.
  template <typename Handle>
  absl::Status Run(const grpc::ServerContextBase& context,
                   absl::string_view method,
                   const google::protobuf::Message& request,
                   const google::protobuf::Message* response,
                   Handle&& handle) const {
    absl::StatusOr<Caller> caller = Admit(context, method, request);
    if (!caller.ok()) return caller.status();
    return Finish(*caller, method, request, response, handle(*caller));
  }

  const std::string& service_name() const { return service_name_; }

 private:
  absl::Status Record(const Caller& caller, absl::string_view method,
                      const google::protobuf::Message& request,
                      const google::protobuf::Message* response,
                      const absl::Status& outcome) const;

  std::string service_name_;
  const Authenticator* authenticator_;
  const AccessPolicy* policy_;
  audit::AuditLog* audit_;
  RequestBounds bounds_;
};

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_CALL_GATE_H_
