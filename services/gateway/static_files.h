// The web console's files (the Vite build output, clients/web/dist): what a
// GET of a non-API path answers.
//
//   /                 -> index.html, Cache-Control: no-cache
//   /assets/<file>    -> the file; its name carries a content hash, so it
//                        may be cached for a year (immutable)
//   /<other file>     -> the file (favicon, robots.txt), no-cache
//   /<route>          -> index.html when the last segment has no extension
//                        and no such file exists (client-side routing)
//   anything else     -> 404, as are paths with "..", ".", hidden segments,
//                        '%' (double encoding) or a backslash
//
// When index.html is missing, the console was not built: every page that
// would show it answers 503 with a page that says so.
#ifndef TANDEM_SERVICES_GATEWAY_STATIC_FILES_H_
#define TANDEM_SERVICES_GATEWAY_STATIC_FILES_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace tandem::gateway {

struct StaticResponse {
  int status = 404;
  std::string body;
  std::string content_type = "text/plain; charset=utf-8";
  std::string cache_control = "no-cache";
  // What the access log may show: a file of the web root's, or a fixed
  // placeholder ("(spa)", "(unknown)"); never the requested text when it
  // names nothing we serve.
  std::string log_path = "(unknown)";
};

// The path relative to the web root of a decoded URL path ("/assets/a.js"
// -> "assets/a.js", "/" -> ""), or nullopt when a segment is empty, starts
// with '.', or holds '%', '\\' or a control character: never a way out of
// the root, whatever the encoding.
std::optional<std::string> SanitizePath(absl::string_view url_path);

// The Content-Type for a file name by its extension
// ("application/octet-stream" when unknown).
std::string ContentTypeFor(absl::string_view file_name);

// Whether the last segment of `path` has an extension ("a/b.js": yes).
bool HasExtension(absl::string_view path);

class StaticFiles {
 public:
  // `web_root` need not exist (yet): each request looks again, so a console
  // built while the gateway runs is served without a restart.
  explicit StaticFiles(std::string web_root);

  // The answer to GET `url_path` (already percent-decoded, no query).
  StaticResponse Get(absl::string_view url_path) const;

 private:
  // The file's bytes if `relative` is a regular file inside the root
  // (symbolic links that leave it are refused).
  std::optional<std::string> Read(const std::string& relative) const;
  StaticResponse Index(std::string log_path) const;

  const std::string web_root_;
};

}  // namespace tandem::gateway

#endif  // TANDEM_SERVICES_GATEWAY_STATIC_FILES_H_
