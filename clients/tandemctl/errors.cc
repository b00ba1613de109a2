#include "clients/tandemctl/errors.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/unknown_field_set.h"

namespace tandem::cli {
namespace {

using google::protobuf::UnknownField;
using google::protobuf::UnknownFieldSet;

constexpr absl::string_view kUsagePayload = "tandemctl/usage";
constexpr absl::string_view kDetailsPayload = "tandemctl/rpc-details";
constexpr absl::string_view kServerPayload = "tandemctl/from-server";
constexpr absl::string_view kBadRequest = "google.rpc.BadRequest";

// The Any messages of a google.rpc.Status (field 3), as (type_url, value).
std::vector<std::pair<std::string, std::string>> Details(
    const std::string& details_bin) {
  std::vector<std::pair<std::string, std::string>> out;
  UnknownFieldSet status;
  if (details_bin.empty() || !status.ParseFromString(details_bin)) return out;
  for (int i = 0; i < status.field_count(); ++i) {
    const UnknownField& f = status.field(i);
    if (f.number() != 3 || f.type() != UnknownField::TYPE_LENGTH_DELIMITED) {
      continue;
    }
    UnknownFieldSet any;
    if (!any.ParseFromString(f.length_delimited())) continue;
    std::string type_url, value;
    for (int j = 0; j < any.field_count(); ++j) {
      const UnknownField& a = any.field(j);
      if (a.type() != UnknownField::TYPE_LENGTH_DELIMITED) continue;
      if (a.number() == 1) type_url = a.length_delimited();
      if (a.number() == 2) value = a.length_delimited();
    }
    out.emplace_back(std::move(type_url), std::move(value));
  }
  return out;
}

// A transport failure rather than an answer from the service.
bool LooksUnreachable(absl::string_view message) {
  for (absl::string_view marker :
       {"failed to connect", "Failed to connect", "Connection refused",
        "DNS resolution failed", "connections to all backends failing",
        "Socket closed", "Connection reset", "No route to host"}) {
    if (absl::StrContains(message, marker)) return true;
  }
  return message.empty();
}

}  // namespace

absl::Status UsageError(absl::string_view message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kUsagePayload, absl::Cord("1"));
  return status;
}

bool IsUsageError(const absl::Status& status) {
  if (status.GetPayload(kUsagePayload).has_value()) return true;
  return status.code() == absl::StatusCode::kInvalidArgument &&
         !status.GetPayload(kServerPayload).has_value();
}

int ExitCode(const absl::Status& status) {
  if (status.ok()) return kExitOk;
  if (IsUsageError(status)) return kExitUsage;
  if (status.code() == absl::StatusCode::kUnavailable ||
      status.code() == absl::StatusCode::kDeadlineExceeded) {
    return kExitUnavailable;
  }
  return kExitServerError;
}

std::string ErrorLine(const absl::Status& status) {
  if (IsUsageError(status)) return absl::StrCat("tandemctl: ", status.message());
  return absl::StrCat("tandemctl: ", absl::StatusCodeToString(status.code()),
                      ": ", status.message());
}

std::vector<FieldViolation> FieldViolations(const std::string& details_bin) {
  std::vector<FieldViolation> out;
  for (const auto& [type_url, value] : Details(details_bin)) {
    if (!absl::EndsWith(type_url, kBadRequest)) continue;
    UnknownFieldSet bad_request;
    if (!bad_request.ParseFromString(value)) continue;
    for (int i = 0; i < bad_request.field_count(); ++i) {
      const UnknownField& f = bad_request.field(i);
      if (f.number() != 1 || f.type() != UnknownField::TYPE_LENGTH_DELIMITED) {
        continue;
      }
      UnknownFieldSet violation;
      if (!violation.ParseFromString(f.length_delimited())) continue;
      FieldViolation v;
      for (int j = 0; j < violation.field_count(); ++j) {
        const UnknownField& g = violation.field(j);
        if (g.type() != UnknownField::TYPE_LENGTH_DELIMITED) continue;
        if (g.number() == 1) v.field = g.length_delimited();
        if (g.number() == 2) v.description = g.length_delimited();
      }
      out.push_back(std::move(v));
    }
  }
  return out;
}

std::vector<std::string> DetailTypeUrls(const std::string& details_bin) {
  std::vector<std::string> urls;
  for (auto& [type_url, value] : Details(details_bin)) {
    urls.push_back(type_url);
  }
  return urls;
}

std::optional<std::string> FindDetail(const std::string& details_bin,
                                      absl::string_view type_name) {
  for (auto& [type_url, value] : Details(details_bin)) {
    if (absl::EndsWith(type_url, absl::StrCat("/", type_name))) return value;
  }
  return std::nullopt;
}

absl::Status StatusFromRpc(const grpc::Status& status,
                           absl::string_view service,
                           absl::string_view address,
                           absl::string_view unreachable_note) {
  if (status.ok()) return absl::OkStatus();
  const auto code = static_cast<absl::StatusCode>(status.error_code());
  std::string message = status.error_message();
  if (code == absl::StatusCode::kUnavailable &&
      (absl::StrContains(message, "Ssl handshake failed") ||
       absl::StrContains(message, "Handshake failed"))) {
    message = absl::StrCat(
        service, " at ", address,
        " failed the TLS handshake: its certificate is not from the CA "
        "tandemctl trusts (--ca, --pki), or it does not speak TLS");
  } else if (code == absl::StatusCode::kUnavailable &&
             LooksUnreachable(message)) {
    message = absl::StrCat(service, " at ", address,
                           " is not reachable (is scripts/start running?)",
                           unreachable_note);
  } else if (code == absl::StatusCode::kDeadlineExceeded) {
    message = absl::StrCat(service, " at ", address,
                           " did not answer in time (--timeout)");
  } else {
    std::vector<std::string> named;
    for (const FieldViolation& v : FieldViolations(status.error_details())) {
      if (!absl::StrContains(message, v.field)) {
        named.push_back(absl::StrCat(v.field, ": ", v.description));
      }
    }
    if (!named.empty()) {
      message = message.empty() ? absl::StrJoin(named, "; ")
                                : absl::StrCat(message, " (",
                                               absl::StrJoin(named, "; "), ")");
    }
  }
  absl::Status out(code, message);
  out.SetPayload(kServerPayload, absl::Cord(service));
  if (!status.error_details().empty()) {
    out.SetPayload(kDetailsPayload, absl::Cord(status.error_details()));
  }
  return out;
}

std::string RpcDetails(const absl::Status& status) {
  absl::optional<absl::Cord> details = status.GetPayload(kDetailsPayload);
  return details.has_value() ? std::string(*details) : std::string();
}

}  // namespace tandem::cli
