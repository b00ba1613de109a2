#include "services/common/health_flags.h"

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, health_listen, "",
          "if set (host:port), a second listener that answers only the gRPC "
          "health service, in plaintext, for probes that cannot speak TLS "
          "(Kubernetes' gRPC probes); it serves no data, so plaintext is "
          "acceptable on any address. Empty: off");
