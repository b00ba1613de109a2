#include "services/common/logging.h"

#include <spdlog/sinks/stdout_sinks.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace tandem::common {

void InitLogging(absl::string_view service_name, absl::string_view level) {
  auto logger = spdlog::stderr_logger_mt(std::string(service_name));
  logger->set_pattern(
      absl::StrCat(
          R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","service":")",
          JsonEscape(service_name), R"(",%v})"),
      spdlog::pattern_time_type::utc);
  spdlog::level::level_enum parsed =
      spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off")
    parsed = spdlog::level::info;
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(std::move(logger));
}

std::string JsonEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

int LogFailure(const char* event, const absl::Status& status, int exit_code) {
  spdlog::error(R"("event":"{}","error":"{}")", event,
                JsonEscape(status.message()));
  return exit_code;
}

}  // namespace tandem::common
