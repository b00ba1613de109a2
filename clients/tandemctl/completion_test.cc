#include "clients/tandemctl/completion.h"

#include "gtest/gtest.h"

namespace tandem::cli {
namespace {

TEST(BashCompletion, ListsSubcommandsAndOptionsPerLevel) {
  CLI::App app("test", "tool");
  std::string out;
  app.add_option("--output", out, "");
  CLI::App* roster = app.add_subcommand("roster", "");
  roster->add_option("--date", out, "");
  roster->add_subcommand("room", "")->add_option("--days", out, "");
  app.add_subcommand("hold", "");

  const std::string script = BashCompletion(app);
  EXPECT_NE(script.find("    \"\")\n      subs=\"roster hold\"\n"
                        "      opts=\"--help -h --output\""),
            std::string::npos)
      << script;
  EXPECT_NE(script.find("    \"roster\")\n      subs=\"room\"\n"
                        "      opts=\"--help -h --date\""),
            std::string::npos)
      << script;
  EXPECT_NE(script.find("    \"roster room\")\n      subs=\"\"\n"
                        "      opts=\"--help -h --days\""),
            std::string::npos)
      << script;
  EXPECT_NE(script.find("complete -o default -F _tool_complete tool"),
            std::string::npos);
}

}  // namespace
}  // namespace tandem::cli
