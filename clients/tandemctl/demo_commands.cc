// `tandemctl demo seed`: fills an empty system with a demo clinic
// (clients/demo) and says what to look at first.
#include <grpcpp/grpcpp.h>

#include <iostream>

#include "absl/strings/str_cat.h"
#include "clients/demo/demo_seed.h"
#include "clients/tandemctl/channel.h"
#include "clients/tandemctl/clinic_time.h"
#include "clients/tandemctl/commands.h"
#include "clients/tandemctl/output.h"
#include "nlohmann/json.hpp"
#include "services/common/status_macros.h"

namespace tandem::cli {
namespace {

struct Opts {
  std::string today, zone = "Europe/London";
  bool resume = false;
};

absl::Status Seed(Context& ctx, const Opts& o) {
  // The seeder makes its own ClientContexts, so its channels carry the
  // token on every call.
  const BearerToken* token = nullptr;
  ASSIGN_OR_RETURN(token, ctx.Token());
  demo::DemoSeedChannels channels;
  ASSIGN_OR_RETURN(
      channels.directory,
      MakeChannel(ctx.settings.directory, ctx.settings.ca, token->token));
  ASSIGN_OR_RETURN(
      channels.booking,
      MakeChannel(ctx.settings.booking, ctx.settings.ca, token->token));
  ASSIGN_OR_RETURN(
      channels.followup,
      MakeChannel(ctx.settings.followup, ctx.settings.ca, token->token));
  demo::DemoSeedOptions options;
  options.time_zone = o.zone;
  options.call_timeout = ctx.settings.timeout;
  if (!o.today.empty()) {
    ASSIGN_OR_RETURN(options.today,
                     ParseDay(o.today, absl::CivilDay(1970, 1, 1), "--today"));
  }
  options.progress = [](const std::string& line) {
    std::cerr << "  " << line << "\n";
  };
  absl::StatusOr<demo::DemoSeedSummary> summary =
      demo::SeedDemo(channels, options, o.resume);
  if (!summary.ok()) {
    if (summary.status().code() == absl::StatusCode::kUnavailable) {
      return absl::UnavailableError(absl::StrCat(
          "demo seed: ", summary.status().message(),
          " (is scripts/start running? directory ", ctx.settings.directory,
          ")"));
    }
    return ctx.WithHint(summary.status());
  }
  const demo::DemoSeedSummary& s = *summary;
  const std::string day = FormatDay(s.sample_day);
  if (ctx.json()) {
    nlohmann::json j = {{"therapists", s.therapists},
                        {"teams", s.teams},
                        {"rooms", s.rooms},
                        {"closures", s.closures},
                        {"absences", s.absences},
                        {"couples", s.couples},
                        {"intensives", s.intensives},
                        {"held_intensives", s.held_intensives},
                        {"sample_therapist_id", s.sample_therapist_id},
                        {"sample_day", day}};
    ctx.out() << j.dump(2) << "\n";
    return absl::OkStatus();
  }
  ctx.out() << "Demo clinic ready:\n"
            << RenderFields({
                   {"therapists", absl::StrCat(s.therapists)},
                   {"teams", absl::StrCat(s.teams)},
                   {"rooms", absl::StrCat(s.rooms)},
                   {"closures", absl::StrCat(s.closures)},
                   {"absences", absl::StrCat(s.absences)},
                   {"couples", absl::StrCat(s.couples)},
                   {"intensives", absl::StrCat(s.intensives, " confirmed, ",
                                               s.held_intensives, " held")},
               });
  if (!s.sample_therapist_id.empty()) {
    ctx.out() << "\ntry: tandemctl roster --therapist "
              << s.sample_therapist_id << " --date " << day << "\n"
              << "     tandemctl roster day --date " << day << "\n";
  }
  return absl::OkStatus();
}

}  // namespace

void AddDemoCommands(CLI::App& app, Context& ctx) {
  CLI::App* demo = AddGroup(app, ctx, "demo", "Demo data");
  auto o = std::make_shared<Opts>();
  CLI::App* seed = demo->add_subcommand(
      "seed", "Fill an EMPTY system with a believable demo clinic");
  seed->footer(
      "Refuses when any therapist or couple exists, so demo data never mixes "
      "with a real clinic.\nExample:\n  tandemctl demo seed && tandemctl "
      "roster day --date tomorrow");
  seed->add_option("--today", o->today,
                   "Day the demo is built around (default: today)");
  seed->add_option("--time-zone", o->zone,
                   "Zone of the demo clinic (default Europe/London)");
  seed->add_flag("--resume", o->resume,
                 "Continue a seed that was cut short (same requests again)");
  OnRun(seed, ctx, [&ctx, o] { return Seed(ctx, *o); });
}

}  // namespace tandem::cli
