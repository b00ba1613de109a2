// Test helper: one of the loopback servers in testdata/ (smtp_sink.py,
// webhook_sink.py) as a child process. The server binds port 0 itself and
// writes its port to a file, so there is no race for a port.
//
//   auto smtp = PythonServer::Start("smtp_sink.py", dir, {"--fail-first=1"});
//   ASSERT_TRUE(smtp.ok()) << smtp.status();
//   std::string url = absl::StrCat("smtp://127.0.0.1:", (*smtp)->port());
//   ... (*smtp)->out_dir() holds what it received.
#ifndef TANDEM_SERVICES_FOLLOWUP_DELIVERY_TESTING_PYTHON_SERVER_H_
#define TANDEM_SERVICES_FOLLOWUP_DELIVERY_TESTING_PYTHON_SERVER_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tandem::followup::delivery::testing {

class PythonServer {
 public:
  // Runs TANDEM_PYTHON3 testdata/`script` --port-file=<dir>/<script>.port
  // --out=<dir>/<script>.out plus `args`, with its output in
  // <dir>/<script>.log; returns once the port file exists (10 s at most).
  static absl::StatusOr<std::unique_ptr<PythonServer>> Start(
      const std::string& script, const std::string& dir,
      const std::vector<std::string>& args = {});

  PythonServer(const PythonServer&) = delete;
  PythonServer& operator=(const PythonServer&) = delete;
  // SIGTERM, and SIGKILL if it has not ended within a second.
  ~PythonServer();

  int port() const { return port_; }
  const std::string& out_dir() const { return out_dir_; }

 private:
  PythonServer(pid_t pid, int port, std::string out_dir)
      : pid_(pid), port_(port), out_dir_(std::move(out_dir)) {}

  pid_t pid_;
  int port_;
  std::string out_dir_;
};

// The whole content of a file ("" if it cannot be read).
std::string ReadWholeFile(const std::string& path);

}  // namespace tandem::followup::delivery::testing

#endif  // TANDEM_SERVICES_FOLLOWUP_DELIVERY_TESTING_PYTHON_SERVER_H_
