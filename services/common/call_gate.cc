#include "services/common/call_gate.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "services/common/audit/audit_log.h"
#include "services/common/audit_targets.h"
#include "services/common/logging.h"

namespace tandem::common {
namespace {

bool IsDenial(const absl::Status& status) {
  return status.code() == absl::StatusCode::kPermissionDenied ||
         status.code() == absl::StatusCode::kResourceExhausted;
}

}  // namespace

CallGate::CallGate(std::string service_name,
                   const Authenticator* authenticator,
                   const AccessPolicy* policy, audit::AuditLog* audit,
                   RequestBounds bounds)
    : service_name_(std::move(service_name)),
      authenticator_(authenticator),
      policy_(policy),
      audit_(audit),
      bounds_(bounds) {}

absl::StatusOr<Caller> CallGate::Admit(
    const grpc::ServerContextBase& context, absl::string_view method,
    const google::protobuf::Message& request) const {
  if (const MethodRule* rule = policy_->Find(method);
      rule != nullptr && rule->credential == Credential::kInRequest) {
    // Whatever the call carries besides is ignored: the request's own
    // secret is all the handler goes by.
    Caller link_holder{.subject = "link-holder"};
    absl::Status bounded = CheckRequestBounds(request, bounds_);
    if (bounded.ok()) return link_holder;
    return Finish(link_holder, method, request, nullptr, bounded);
  }
  absl::StatusOr<Caller> caller = authenticator_->Authenticate(context);
  if (!caller.ok()) return caller.status();
  absl::Status allowed = policy_->Check(*caller, method);
  if (allowed.ok()) allowed = CheckRequestBounds(request, bounds_);
  if (allowed.ok()) return caller;
  absl::Status recorded = Finish(*caller, method, request, nullptr, allowed);
  return recorded;
}

absl::Status CallGate::Finish(const Caller& caller, absl::string_view method,
                              const google::protobuf::Message& request,
                              const google::protobuf::Message* response,
                              absl::Status outcome) const {
  const MethodRule* rule = policy_->Find(method);
  // A peer service reads on behalf of an end user whom the service they
  // called audits (the roster's reader), or for its own machinery (the
  // follow-up catching up): recording every such read again here would
  // multiply the trail (about 200 booking reads per clinic day) and tell
  // nobody more. Services' changes are recorded.
  const bool service_read = caller.roles == Roles{Role::kService} &&
                            IsReadMethod(method);
  const bool audited =
      rule != nullptr && rule->audit == Audit::kYes && !service_read;
  if (audit_ == nullptr || (!audited && !IsDenial(outcome))) return outcome;
  absl::Status recorded =
      Record(caller, method, request, outcome.ok() ? response : nullptr,
             outcome);
  if (recorded.ok()) return outcome;
  spdlog::error(R"("event":"audit_append_failed","method":"{}","error":"{}")",
                JsonEscape(method), JsonEscape(recorded.message()));
  return absl::UnavailableError(
      "the audit trail cannot be written; nothing was returned");
}

absl::Status CallGate::Record(const Caller& caller, absl::string_view method,
                              const google::protobuf::Message& request,
                              const google::protobuf::Message* response,
                              const absl::Status& outcome) const {
  AuditTargets targets = ExtractAuditTargets(request, response);
  // A couple's own id is a field named "id" (GetCouple, UpdateCouple...):
  // ids are typed by their prefix, so a "cp-" resource is a couple too.
  for (const std::string& id : targets.resource_ids) {
    if (absl::StartsWith(id, "cp-") &&
        std::find(targets.couple_ids.begin(), targets.couple_ids.end(), id) ==
            targets.couple_ids.end()) {
      targets.couple_ids.push_back(id);
    }
  }
  audit::AuditEntry entry;
  entry.time = absl::Now();
  entry.subject = caller.subject;
  entry.roles = caller.roles.ToString();
  entry.service = service_name_;
  entry.action = std::string(method);
  entry.resource_ids = std::move(targets.resource_ids);
  entry.couple_ids = std::move(targets.couple_ids);
  entry.outcome = absl::StatusCodeToString(outcome.code());
  return audit_->Append(entry);
}

}  // namespace tandem::common
