// `tandemctl completion bash`: a bash completion script generated from the
// CLI11 command tree, so it can never drift from the commands: at every
// level it offers that level's subcommands, and after a '-' its options.
#ifndef TANDEM_CLIENTS_TANDEMCTL_COMPLETION_H_
#define TANDEM_CLIENTS_TANDEMCTL_COMPLETION_H_

#include <CLI/CLI.hpp>

#include <string>

namespace tandem::cli {

// The script for `app` (its name is the command completed). Source it, or
// install it as /etc/bash_completion.d/<name>.
std::string BashCompletion(const CLI::App& app);

}  // namespace tandem::cli

#endif  // TANDEM_CLIENTS_TANDEMCTL_COMPLETION_H_
