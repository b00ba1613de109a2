// Structured logging for every service: one JSON object per line on stderr,
// UTC timestamps, the service name on every line.
//
// What goes in a log line: ids, method names, status codes, counts and
// durations. Never a client's name, contact detail, note or any clinical
// word: logs leave the clinic (to an operator, a log store, a bug report).
#ifndef TANDEM_SERVICES_COMMON_LOGGING_H_
#define TANDEM_SERVICES_COMMON_LOGGING_H_

#include <spdlog/spdlog.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace tandem::common {

// Configures the default spdlog logger. `level` is one of trace, debug,
// info, warn, error; unknown levels fall back to info.
void InitLogging(absl::string_view service_name, absl::string_view level);

// Logs `status` as an error line with `event` and returns `exit_code`: how a
// service's main reports a failure to start or to serve.
int LogFailure(const char* event, const absl::Status& status, int exit_code);

// Escapes a value for embedding in a JSON string of a log line.
std::string JsonEscape(absl::string_view text);

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_LOGGING_H_
