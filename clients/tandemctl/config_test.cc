#include "clients/tandemctl/config.h"

#include "gtest/gtest.h"

namespace tandem::cli {
namespace {

TEST(ParseConfig, ReadsKeysCommentsAndBlankLines) {
  auto values = ParseConfig(
      "# my clinic\n\ndirectory = 10.0.0.1:7001\n  therapist=th-3  # me\n",
      "test.conf");
  ASSERT_TRUE(values.ok()) << values.status();
  EXPECT_EQ(values->at("directory"), "10.0.0.1:7001");
  EXPECT_EQ(values->at("therapist"), "th-3");
  EXPECT_EQ(values->size(), 2u);
}

TEST(ParseConfig, RejectsUnknownKeysNamingTheLine) {
  auto values = ParseConfig("directory = a\nbookings = b\n", "x.conf");
  ASSERT_FALSE(values.ok());
  EXPECT_EQ(values.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(values.status().message().find("x.conf:2"), std::string::npos);
  EXPECT_NE(values.status().message().find("bookings"), std::string::npos);
}

TEST(ParseConfig, RejectsLinesWithoutEqualsAndDuplicates) {
  EXPECT_FALSE(ParseConfig("directory\n", "c").ok());
  EXPECT_FALSE(ParseConfig("output = json\noutput = table\n", "c").ok());
}

TEST(ResolveSettings, DefaultsWhenNothingIsGiven) {
  auto s = ResolveSettings({}, {}, {});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->directory, "127.0.0.1:7001");
  EXPECT_EQ(s->booking, "127.0.0.1:7002");
  EXPECT_EQ(s->followup, "127.0.0.1:7003");
  EXPECT_EQ(s->roster, "127.0.0.1:7004");
  EXPECT_EQ(s->output, "table");
  EXPECT_EQ(s->timeout, absl::Seconds(10));
  EXPECT_EQ(s->therapist, "");
}

TEST(ResolveSettings, FlagsBeatEnvironmentBeatsFile) {
  SettingValues flags = {{"booking", "flag:1"}};
  SettingValues env = {{"booking", "env:1"}, {"followup", "env:2"}};
  SettingValues file = {{"booking", "file:1"},
                        {"followup", "file:2"},
                        {"roster", "file:3"},
                        {"timeout", "2.5"}};
  auto s = ResolveSettings(flags, env, file);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->booking, "flag:1");
  EXPECT_EQ(s->followup, "env:2");
  EXPECT_EQ(s->roster, "file:3");
  EXPECT_EQ(s->directory, "127.0.0.1:7001");
  EXPECT_EQ(s->timeout, absl::Milliseconds(2500));
}

TEST(ResolveSettings, RejectsBadOutputAndTimeout) {
  EXPECT_FALSE(ResolveSettings({{"output", "yaml"}}, {}, {}).ok());
  EXPECT_FALSE(ResolveSettings({}, {}, {{"timeout", "soon"}}).ok());
  EXPECT_FALSE(ResolveSettings({{"timeout", "0"}}, {}, {}).ok());
}

TEST(ParseTimeout, AcceptsSecondsAndDurations) {
  EXPECT_EQ(*ParseTimeout("10"), absl::Seconds(10));
  EXPECT_EQ(*ParseTimeout("1500ms"), absl::Milliseconds(1500));
  EXPECT_EQ(*ParseTimeout("1m"), absl::Minutes(1));
}

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(SettingsFromEnvironment, MapsTandemVariablesAndSkipsEmpty) {
  auto values = SettingsFromEnvironment(FakeEnv(
      {{"TANDEM_BOOKING", "b:2"}, {"TANDEM_THERAPIST", "th-4"},
       {"TANDEM_ROSTER", ""}, {"BOOKING", "no"}}));
  EXPECT_EQ(values, (SettingValues{{"booking", "b:2"}, {"therapist", "th-4"}}));
}

TEST(ConfigPath, FlagThenVariableThenXdgThenHome) {
  bool explicit_path = false;
  EXPECT_EQ(ConfigPath("/f.conf", FakeEnv({{"TANDEMCTL_CONFIG", "/e"}}),
                       &explicit_path),
            "/f.conf");
  EXPECT_TRUE(explicit_path);
  EXPECT_EQ(ConfigPath("", FakeEnv({{"TANDEMCTL_CONFIG", "/e"}}),
                       &explicit_path),
            "/e");
  EXPECT_TRUE(explicit_path);
  EXPECT_EQ(ConfigPath("", FakeEnv({{"XDG_CONFIG_HOME", "/x"},
                                    {"HOME", "/home/u"}}),
                       &explicit_path),
            "/x/tandem/tandemctl.conf");
  EXPECT_FALSE(explicit_path);
  EXPECT_EQ(ConfigPath("", FakeEnv({{"HOME", "/home/u"}}), &explicit_path),
            "/home/u/.config/tandem/tandemctl.conf");
}

TEST(ResolveSettings, SecurityDefaultsComeFromTheDataDirectory) {
  auto s = ResolveSettings({}, {}, {});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->pki, "data/pki");
  EXPECT_EQ(s->ca, "data/pki/ca.crt");
  EXPECT_EQ(s->token, "");
  EXPECT_EQ(s->token_file, "");
  EXPECT_EQ(s->as,
            common::Roles({common::Role::kAdmin, common::Role::kCoordinator}));
  s = ResolveSettings({}, {}, {}, "/srv/tandem");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->pki, "/srv/tandem/pki");
  EXPECT_EQ(s->ca, "/srv/tandem/pki/ca.crt");
}

TEST(ResolveSettings, PkiAndCaFollowThePrecedence) {
  // The CA follows the PKI directory unless named itself.
  auto s = ResolveSettings({}, {{"pki", "/env/pki"}}, {{"pki", "/file/pki"}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->pki, "/env/pki");
  EXPECT_EQ(s->ca, "/env/pki/ca.crt");
  s = ResolveSettings({{"ca", "/flag/ca.pem"}}, {{"pki", "/env/pki"}},
                      {{"ca", "/file/ca.pem"}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->pki, "/env/pki");
  EXPECT_EQ(s->ca, "/flag/ca.pem");
}

TEST(ResolveSettings, TokenAndTokenFileAreOneChoice) {
  // A token file given as a flag beats a token in the environment.
  auto s = ResolveSettings({{"token_file", "/t"}}, {{"token", "env.jwt"}},
                           {{"token", "file.jwt"}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->token_file, "/t");
  EXPECT_EQ(s->token, "");
  s = ResolveSettings({}, {{"token", "env.jwt"}}, {{"token_file", "/t"}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->token, "env.jwt");
  EXPECT_EQ(s->token_file, "");
  s = ResolveSettings({}, {}, {{"token", "file.jwt"}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->token, "file.jwt");
  // Both in one place is ambiguous.
  EXPECT_FALSE(
      ResolveSettings({}, {}, {{"token", "a"}, {"token_file", "/t"}}).ok());
  EXPECT_FALSE(
      ResolveSettings({}, {{"token", "a"}, {"token_file", "/t"}}, {}).ok());
}

TEST(ResolveSettings, AsIsARoleList) {
  auto s = ResolveSettings({{"as", "therapist"}}, {}, {{"as", "admin"}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->as, common::Roles({common::Role::kTherapist}));
  EXPECT_FALSE(ResolveSettings({}, {}, {{"as", "service"}}).ok());
  EXPECT_FALSE(ResolveSettings({{"as", "root"}}, {}, {}).ok());
}

TEST(ParseRoleList, NamesOfPeoplesRoles) {
  EXPECT_EQ(*ParseRoleList("admin,coordinator", "--as"),
            common::Roles({common::Role::kAdmin, common::Role::kCoordinator}));
  EXPECT_EQ(
      *ParseRoleList(" therapist , coordinator ", "--as"),
      common::Roles({common::Role::kTherapist, common::Role::kCoordinator}));
  EXPECT_EQ(*ParseRoleList("admin,admin", "--as"),
            common::Roles({common::Role::kAdmin}));
  for (const char* bad :
       {"", " ", "admin,", "Admin", "root", "admin;coordinator"}) {
    absl::StatusOr<common::Roles> roles = ParseRoleList(bad, "--role");
    EXPECT_EQ(roles.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(roles.status().message().rfind("--role: ", 0), 0u)
        << roles.status();
  }
  absl::StatusOr<common::Roles> service =
      ParseRoleList("coordinator,service", "--role");
  ASSERT_FALSE(service.ok());
  EXPECT_NE(service.status().message().find("certificates"), std::string::npos)
      << service.status();
}

TEST(ParseConfig, KnowsTheSecurityKeys) {
  auto values = ParseConfig(
      "pki = /p\nca = /p/ca.crt\ntoken_file = /t\nas = therapist\n", "c");
  ASSERT_TRUE(values.ok()) << values.status();
  EXPECT_EQ(values->size(), 4u);
  EXPECT_TRUE(ParseConfig("token = a.b.c\n", "c").ok());
}

TEST(SettingsFromEnvironment, MapsTheSecurityVariables) {
  auto values = SettingsFromEnvironment(FakeEnv({{"TANDEM_PKI", "/p"},
                                                 {"TANDEM_CA", "/ca"},
                                                 {"TANDEM_TOKEN", "a.b.c"},
                                                 {"TANDEM_TOKEN_FILE", "/t"},
                                                 {"TANDEM_DATA", "/d"}}));
  EXPECT_EQ(values, (SettingValues{{"pki", "/p"},
                                   {"ca", "/ca"},
                                   {"token", "a.b.c"},
                                   {"token_file", "/t"}}));
}

TEST(DataDir, VariableOrData) {
  EXPECT_EQ(DataDir(FakeEnv({{"TANDEM_DATA", "/srv/t"}})), "/srv/t");
  EXPECT_EQ(DataDir(FakeEnv({{"TANDEM_DATA", ""}})), "data");
  EXPECT_EQ(DataDir(FakeEnv({})), "data");
}

}  // namespace
}  // namespace tandem::cli
