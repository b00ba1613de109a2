// How tandemctl reports failure: one plain line on stderr and an exit code.
//
//   0  success
//   1  the server refused or failed (INVALID_ARGUMENT, NOT_FOUND, ABORTED...)
//   2  usage: a bad flag or value, caught before any call
//   3  a server is unreachable or did not answer in time (UNAVAILABLE,
//      DEADLINE_EXCEEDED)
#ifndef TANDEM_CLIENTS_TANDEMCTL_ERRORS_H_
#define TANDEM_CLIENTS_TANDEMCTL_ERRORS_H_

#include <grpcpp/support/status.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace tandem::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitServerError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitUnavailable = 3;

// An INVALID_ARGUMENT marked as the user's mistake (exit code 2). Every
// INVALID_ARGUMENT that did not come from a server (see StatusFromRpc) counts
// as one too, so local parsers simply return absl::InvalidArgumentError.
absl::Status UsageError(absl::string_view message);
bool IsUsageError(const absl::Status& status);

// The exit code for a failed status (kExitOk for OK).
int ExitCode(const absl::Status& status);

// The line printed on stderr: "tandemctl: NOT_FOUND: therapist th-9" for
// server errors, "tandemctl: --date: ..." for usage errors.
std::string ErrorLine(const absl::Status& status);

// One field violation carried in the error details (google.rpc.BadRequest).
struct FieldViolation {
  std::string field;
  std::string description;
};

// Decodes the field violations of a google.rpc.Status-compatible
// "grpc-status-details-bin" value; empty if there are none or the bytes do
// not parse.
std::vector<FieldViolation> FieldViolations(const std::string& details_bin);

// The type URLs of the details ("type.googleapis.com/...ProposalHint").
std::vector<std::string> DetailTypeUrls(const std::string& details_bin);

// The serialized detail message whose type URL ends with `type_name`
// ("tandem.booking.v1.ProposalHint"); nullopt if absent.
std::optional<std::string> FindDetail(const std::string& details_bin,
                                      absl::string_view type_name);

// Turns an RPC's status into tandemctl's: code kept; the message says which
// service failed when it could not be reached ("booking at 127.0.0.1:7002
// is not reachable (is scripts/start running?)", followed by
// `unreachable_note`) or refused the TLS handshake, names field violations,
// and keeps the raw details as a payload (see RpcDetails).
absl::Status StatusFromRpc(const grpc::Status& status,
                           absl::string_view service,
                           absl::string_view address,
                           absl::string_view unreachable_note = "");

// The raw "grpc-status-details-bin" bytes kept by StatusFromRpc; empty if
// none.
std::string RpcDetails(const absl::Status& status);

}  // namespace tandem::cli

#endif  // TANDEM_CLIENTS_TANDEMCTL_ERRORS_H_
