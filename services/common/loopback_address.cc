#include "services/common/loopback_address.h"

#include <arpa/inet.h>

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace tandem::common {
namespace {

// The host of "host:port", "[v6]:port", "v6" or "host".
absl::string_view HostOf(absl::string_view host_port) {
  if (absl::ConsumePrefix(&host_port, "[")) {
    return host_port.substr(0, host_port.find(']'));
  }
  const size_t colon = host_port.find(':');
  if (colon == absl::string_view::npos) return host_port;
  // More than one colon and no brackets: a bare IPv6 address.
  if (host_port.find(':', colon + 1) != absl::string_view::npos) {
    return host_port;
  }
  return host_port.substr(0, colon);
}

bool IsLoopbackHost(absl::string_view host) {
  const std::string name = absl::AsciiStrToLower(host);
  if (name == "localhost" || name == "localhost.") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, name.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, name.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    // ::ffff:127.x.y.z
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

}  // namespace

bool IsLoopbackAddress(absl::string_view address) {
  address = absl::StripAsciiWhitespace(address);
  if (absl::StartsWith(address, "unix:") ||
      absl::StartsWith(address, "unix-abstract:")) {
    return true;
  }
  if (absl::ConsumePrefix(&address, "dns:")) {
    // dns:host:port or dns://authority/host:port (dns:///host:port).
    if (absl::ConsumePrefix(&address, "//")) {
      const size_t slash = address.find('/');
      if (slash == absl::string_view::npos) return false;
      address.remove_prefix(slash + 1);
    }
  } else if (absl::ConsumePrefix(&address, "ipv4:") ||
             absl::ConsumePrefix(&address, "ipv6:")) {
    // A comma-separated list: loopback only when every entry is.
    if (address.empty()) return false;
    for (absl::string_view entry : absl::StrSplit(address, ',')) {
      if (!IsLoopbackHost(HostOf(entry))) return false;
    }
    return true;
  }
  return !address.empty() && IsLoopbackHost(HostOf(address));
}

}  // namespace tandem::common
