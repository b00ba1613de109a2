#include "services/gateway/static_files.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace tandem::gateway {
namespace {

namespace fs = std::filesystem;

TEST(SanitizePathTest, KeepsOrdinaryPaths) {
  EXPECT_EQ(SanitizePath("/"), "");
  EXPECT_EQ(SanitizePath("/index.html"), "index.html");
  EXPECT_EQ(SanitizePath("/assets/index-3f2a.js"), "assets/index-3f2a.js");
  EXPECT_EQ(SanitizePath("/rosters/th-1"), "rosters/th-1");
}

TEST(SanitizePathTest, RefusesEveryWayOut) {
  // httplib hands over decoded paths: "%2e%2e" arrives as "..", and a
  // double-encoded "%252e" as "%2e".
  for (const char* path :
       {"", "assets/a.js", "/..", "/../etc/passwd", "/assets/../../x",
        "/assets/./a.js", "/.env", "/assets/.hidden", "//etc/passwd",
        "/a//b", "/%2e%2e/x", "/a\\..\\b", "/a\x01"}) {
    EXPECT_EQ(SanitizePath(path), std::nullopt) << path;
  }
}

TEST(ContentTypeForTest, ByExtension) {
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("assets/a.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("assets/a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("a.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("a.bin"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("README"), "application/octet-stream");
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (fs::temp_directory_path() / "gateway-static-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    root_ = dir_ / "dist";
    fs::create_directories(root_ / "assets");
    Write(root_ / "index.html", "<html>console</html>");
    Write(root_ / "assets" / "app-1a2b.js", "console.log(1)");
    Write(root_ / "favicon.svg", "<svg/>");
    Write(dir_ / "secret.txt", "outside");
    fs::create_symlink(dir_ / "secret.txt", root_ / "link.txt");
  }
  void TearDown() override { fs::remove_all(dir_); }

  static void Write(const fs::path& path, const std::string& content) {
    std::ofstream(path) << content;
  }

  fs::path dir_, root_;
};

TEST_F(StaticFilesTest, IndexIsNeverCached) {
  StaticFiles files(root_.string());
  for (const char* path : {"/", "/index.html"}) {
    StaticResponse response = files.Get(path);
    EXPECT_EQ(response.status, 200) << path;
    EXPECT_EQ(response.body, "<html>console</html>");
    EXPECT_EQ(response.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(response.cache_control, "no-cache");
  }
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutable) {
  StaticResponse response = StaticFiles(root_.string()).Get("/assets/app-1a2b.js");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "console.log(1)");
  EXPECT_EQ(response.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(response.cache_control, "public, max-age=31536000, immutable");
  EXPECT_EQ(response.log_path, "/assets/app-1a2b.js");
}

TEST_F(StaticFilesTest, OtherFilesAreRevalidated) {
  StaticResponse response = StaticFiles(root_.string()).Get("/favicon.svg");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "image/svg+xml");
  EXPECT_EQ(response.cache_control, "no-cache");
}

TEST_F(StaticFilesTest, RoutesWithoutExtensionFallBackToIndex) {
  StaticResponse response = StaticFiles(root_.string()).Get("/rosters/th-1");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "<html>console</html>");
  EXPECT_EQ(response.cache_control, "no-cache");
  // The client-chosen path is not what the log shows.
  EXPECT_EQ(response.log_path, "(spa)");
}

TEST_F(StaticFilesTest, MissingFilesAndTraversalAre404) {
  StaticFiles files(root_.string());
  for (const char* path :
       {"/missing.js", "/assets/missing", "/assets/gone.css", "/../secret.txt",
        "/assets/../../secret.txt", "/link.txt"}) {
    StaticResponse response = files.Get(path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.body, "") << path;
    EXPECT_EQ(response.log_path, "(unknown)") << path;
  }
}

TEST_F(StaticFilesTest, NotBuiltAnswers503SayingSo) {
  StaticFiles files((dir_ / "nothing-here").string());
  for (const char* path : {"/", "/rosters/today"}) {
    StaticResponse response = files.Get(path);
    EXPECT_EQ(response.status, 503) << path;
    EXPECT_NE(response.body.find("scripts/build"), std::string::npos);
  }
  EXPECT_EQ(files.Get("/assets/app.js").status, 404);
}

}  // namespace
}  // namespace tandem::gateway
