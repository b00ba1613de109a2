// The command groups of tandemctl, one function per service area, and the
// few helpers they share. Each Add*Commands adds its subcommands to `app`;
// a chosen command records its work in the Context, which main runs after
// parsing (so every flag, global or not, is known by then).
#ifndef TANDEM_CLIENTS_TANDEMCTL_COMMANDS_H_
#define TANDEM_CLIENTS_TANDEMCTL_COMMANDS_H_

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "clients/tandemctl/context.h"
#include "tandem/common/v1/types.pb.h"

namespace tandem::cli {

void AddDirectoryCommands(CLI::App& app, Context& ctx);
void AddBookingCommands(CLI::App& app, Context& ctx);
void AddFollowUpCommands(CLI::App& app, Context& ctx);
void AddRosterCommands(CLI::App& app, Context& ctx);
void AddAuditCommands(CLI::App& app, Context& ctx);
void AddAdminCommands(CLI::App& app, Context& ctx);
void AddDemoCommands(CLI::App& app, Context& ctx);
void AddAuthCommands(CLI::App& app, Context& ctx);

// The work of the chosen command. Set by OnRun; the deepest chosen command
// wins (CLI11 runs subcommands' callbacks before their parent's).
using Work = std::function<absl::Status()>;
void OnRun(CLI::App* command, Context& ctx, Work work);

// A command that only groups others ("therapists"). Given alone it prints
// its help and fails as a usage error.
CLI::App* AddGroup(CLI::App& parent, Context& ctx, const std::string& name,
                   const std::string& description);

// The work of a group given without one of its commands.
Work ShowHelp(CLI::App* group, Context& ctx);

// Fills `range` from --from/--to texts (dates, "today", "+7"); an empty
// `from` is today, an empty `to` is from + `default_days` - 1.
absl::Status FillDateRange(Context& ctx, const std::string& from,
                           const std::string& to, int default_days,
                           tandem::common::v1::DateRange* range);

// "th-1 J. Rao" style joins for tables.
std::string Join(const google::protobuf::RepeatedPtrField<std::string>& items,
                 const std::function<std::string(const std::string&)>& name);

}  // namespace tandem::cli

#endif  // TANDEM_CLIENTS_TANDEMCTL_COMMANDS_H_
