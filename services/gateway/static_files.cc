#include "services/gateway/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace tandem::gateway {

namespace {

namespace fs = std::filesystem;

constexpr char kIndexFile[] = "index.html";
constexpr char kAssetsPrefix[] = "assets/";
// Vite puts a content hash in every asset's name: a changed file is a new
// URL, so the old one may be kept for good.
constexpr char kImmutable[] = "public, max-age=31536000, immutable";

constexpr char kNotBuiltPage[] =
    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<title>Tandem console not built</title></head>\n<body>"
    "<h1>The Tandem web console is not built</h1>\n"
    "<p>Run <code>scripts/build</code> (it builds clients/web into "
    "clients/web/dist), then reload this page. The gateway forwards API "
    "calls meanwhile.</p>\n</body></html>\n";

struct TypeByExtension {
  const char* extension;
  const char* type;
};

constexpr TypeByExtension kTypes[] = {
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"webmanifest", "application/manifest+json"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"ttf", "font/ttf"},
    {"otf", "font/otf"},
    {"txt", "text/plain; charset=utf-8"},
    {"wasm", "application/wasm"},
};

absl::string_view LastSegment(absl::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == absl::string_view::npos ? path : path.substr(slash + 1);
}

bool IsSafeSegment(absl::string_view segment) {
  if (segment.empty() || segment[0] == '.') return false;
  for (char c : segment) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (c == '%' || c == '\\' || byte < 0x20 || byte == 0x7f) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> SanitizePath(absl::string_view url_path) {
  if (!absl::ConsumePrefix(&url_path, "/")) return std::nullopt;
  if (url_path.empty()) return std::string();
  std::vector<absl::string_view> segments = absl::StrSplit(url_path, '/');
  for (absl::string_view segment : segments) {
    if (!IsSafeSegment(segment)) return std::nullopt;
  }
  return absl::StrJoin(segments, "/");
}

std::string ContentTypeFor(absl::string_view file_name) {
  const absl::string_view last = LastSegment(file_name);
  const size_t dot = last.rfind('.');
  if (dot != absl::string_view::npos) {
    const std::string extension = absl::AsciiStrToLower(last.substr(dot + 1));
    for (const TypeByExtension& entry : kTypes) {
      if (extension == entry.extension) return entry.type;
    }
  }
  return "application/octet-stream";
}

bool HasExtension(absl::string_view path) {
  return absl::StrContains(LastSegment(path), '.');
}

StaticFiles::StaticFiles(std::string web_root)
    : web_root_(std::move(web_root)) {}

std::optional<std::string> StaticFiles::Read(
    const std::string& relative) const {
  std::error_code error;
  const fs::path root = fs::canonical(web_root_, error);
  if (error) return std::nullopt;
  const fs::path file = fs::canonical(root / relative, error);
  if (error || !fs::is_regular_file(file, error)) return std::nullopt;
  // canonical() resolved every symbolic link: the file must still be
  // inside the root.
  const std::string root_text = root.string() + "/";
  if (!absl::StartsWith(file.string(), root_text)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

StaticResponse StaticFiles::Index(std::string log_path) const {
  StaticResponse response;
  response.log_path = std::move(log_path);
  response.content_type = "text/html; charset=utf-8";
  std::optional<std::string> index = Read(kIndexFile);
  if (!index.has_value()) {
    response.status = 503;
    response.body = kNotBuiltPage;
    return response;
  }
  response.status = 200;
  response.body = *std::move(index);
  return response;
}

StaticResponse StaticFiles::Get(absl::string_view url_path) const {
  const std::optional<std::string> relative = SanitizePath(url_path);
  if (!relative.has_value()) return StaticResponse();
  if (relative->empty() || *relative == kIndexFile) {
    return Index(absl::StrCat("/", *relative));
  }
  std::optional<std::string> content = Read(*relative);
  if (content.has_value()) {
    StaticResponse response;
    response.status = 200;
    response.body = *std::move(content);
    response.content_type = ContentTypeFor(*relative);
    if (absl::StartsWith(*relative, kAssetsPrefix)) {
      response.cache_control = kImmutable;
    }
    response.log_path = absl::StrCat("/", *relative);
    return response;
  }
  // A missing asset is a stale page or a typo, not a route of the app.
  if (HasExtension(*relative) || absl::StartsWith(*relative, kAssetsPrefix)) {
    return StaticResponse();
  }
  return Index("(spa)");
}

}  // namespace tandem::gateway
