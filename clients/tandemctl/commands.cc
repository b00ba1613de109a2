#include "clients/tandemctl/commands.h"

#include "absl/strings/str_cat.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"

namespace tandem::cli {

void OnRun(CLI::App* command, Context& ctx, Work work) {
  command->callback([&ctx, work = std::move(work)] {
    if (!ctx.work) ctx.work = work;
  });
}

Work ShowHelp(CLI::App* group, Context& ctx) {
  return [group, &ctx] {
    ctx.out() << group->help();
    return UsageError(absl::StrCat("'", group->get_name(),
                                   "' needs one of the commands above"));
  };
}

CLI::App* AddGroup(CLI::App& parent, Context& ctx, const std::string& name,
                   const std::string& description) {
  CLI::App* group = parent.add_subcommand(name, description);
  OnRun(group, ctx, ShowHelp(group, ctx));
  return group;
}

absl::Status FillDateRange(Context& ctx, const std::string& from,
                           const std::string& to, int default_days,
                           tandem::common::v1::DateRange* range) {
  absl::CivilDay start;
  if (from.empty()) {
    ASSIGN_OR_RETURN(start, ctx.Today());
  } else {
    ASSIGN_OR_RETURN(start, ctx.Day(from, "--from"));
  }
  absl::CivilDay end = start + (default_days - 1);
  if (!to.empty()) {
    ASSIGN_OR_RETURN(end, ctx.Day(to, "--to"));
  }
  if (end < start) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--to: ", FormatDay(end), " is before --from ", FormatDay(start)));
  }
  *range->mutable_start_date() = common::DayToProto(start);
  *range->mutable_end_date() = common::DayToProto(end);
  return absl::OkStatus();
}

std::string Join(const google::protobuf::RepeatedPtrField<std::string>& items,
                 const std::function<std::string(const std::string&)>& name) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += name ? name(item) : item;
  }
  return out;
}

}  // namespace tandem::cli
