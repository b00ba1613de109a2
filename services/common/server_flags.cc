#include "services/common/server_flags.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/flags/flag.h"
#include "services/common/health_flags.h"  // --health_listen
#include "services/common/status_macros.h"
#include "services/common/storage_kind.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0",
          "host:port to listen on; port 0 picks a free port (see --port_file)");
ABSL_FLAG(std::string, port_file, "",
          "if set, the bound port is written to this file once listening");
ABSL_FLAG(std::string, db, "",
          "SQLite database file of this service (created if missing)");
ABSL_FLAG(std::string, synchronous, "FULL",
          "SQLite synchronous level: FULL (every commit is durable) or NORMAL");
ABSL_FLAG(std::string, log_level, "info", "trace, debug, info, warn or error");
ABSL_FLAG(int64_t, keep_changes, 100000,
          "change-log entries kept for WatchChanges; older readers re-list");
ABSL_FLAG(absl::Duration, request_retention, absl::Hours(24 * 7),
          "how long a request_id is remembered for idempotent retries");
ABSL_FLAG(std::string, metrics_listen, "",
          "if set (host:port), GET /metrics there answers with request "
          "counts, latencies and errors per RPC (and the service's own "
          "gauges) in the Prometheus text format, over plain HTTP: "
          "acceptable because it carries no client data, but bind it to "
          "loopback or a monitoring-only network. Empty: off");

namespace tandem::common {

ServerOptions ServerOptionsFromFlags(std::string service_name) {
  ServerOptions options;
  options.service_name = std::move(service_name);
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.port_file = absl::GetFlag(FLAGS_port_file);
  options.metrics_listen_address = absl::GetFlag(FLAGS_metrics_listen);
  options.health_listen_address = absl::GetFlag(FLAGS_health_listen);
  return options;
}

RetentionOptions RetentionOptionsFromFlags() {
  return {absl::GetFlag(FLAGS_request_retention),
          absl::GetFlag(FLAGS_keep_changes)};
}

absl::StatusOr<DatabaseOptions> DatabaseOptionsFromFlags(
    const std::string& default_db) {
  DatabaseOptions options;
  options.path = absl::GetFlag(FLAGS_db);
  if (options.path.empty()) options.path = default_db;
  ASSIGN_OR_RETURN(options.synchronous,
                   ParseSynchronous(absl::GetFlag(FLAGS_synchronous)));
  // A URL is not a file: the service's store factory rejects it (or, for a
  // server backend, connects to it), so nothing is created for it here.
  if (!StorageKindOf(options.path).ok()) return options;
  const std::filesystem::path parent =
      std::filesystem::path(options.path).parent_path();
  std::error_code error;
  if (!parent.empty()) std::filesystem::create_directories(parent, error);
  if (error) {
    return absl::FailedPreconditionError(
        "--db: cannot create the database's directory");
  }
  return options;
}

}  // namespace tandem::common
