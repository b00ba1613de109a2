// Command-line flags shared by every service binary, and their conversion
// to runtime options. Each binary parses flags with absl::ParseCommandLine.
#ifndef TANDEM_SERVICES_COMMON_SERVER_FLAGS_H_
#define TANDEM_SERVICES_COMMON_SERVER_FLAGS_H_

#include <string>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/health_flags.h"  // --health_listen
#include "services/common/server_runtime.h"
#include "services/common/sqlite.h"

ABSL_DECLARE_FLAG(std::string, listen);
ABSL_DECLARE_FLAG(std::string, port_file);
ABSL_DECLARE_FLAG(std::string, db);
ABSL_DECLARE_FLAG(std::string, synchronous);
ABSL_DECLARE_FLAG(std::string, log_level);
ABSL_DECLARE_FLAG(int64_t, keep_changes);
ABSL_DECLARE_FLAG(absl::Duration, request_retention);
ABSL_DECLARE_FLAG(std::string, metrics_listen);

namespace tandem::common {

ServerOptions ServerOptionsFromFlags(std::string service_name);

// What a service's housekeeping keeps (see GuardedStore::Prune).
struct RetentionOptions {
  absl::Duration request_retention;
  int64_t keep_changes;
};
RetentionOptions RetentionOptionsFromFlags();
// `default_db` is used when --db is empty ("data/directory.db"). Creates
// the database's directory if it does not exist yet (not for a URL, which
// the store factory judges).
absl::StatusOr<DatabaseOptions> DatabaseOptionsFromFlags(
    const std::string& default_db);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_SERVER_FLAGS_H_
