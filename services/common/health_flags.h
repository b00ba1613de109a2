// --health_listen: the address of the plaintext health-only server
// (health_only_server.h). Every service binary has it through
// server_flags.h; the gateway, which defines its own --listen and the like,
// takes this one alone. Its own file (and object) so that linking it does
// not bring in server_flags.cc's other flags.
#ifndef TANDEM_SERVICES_COMMON_HEALTH_FLAGS_H_
#define TANDEM_SERVICES_COMMON_HEALTH_FLAGS_H_

#include <string>

#include "absl/flags/declare.h"

ABSL_DECLARE_FLAG(std::string, health_listen);

#endif  // TANDEM_SERVICES_COMMON_HEALTH_FLAGS_H_
