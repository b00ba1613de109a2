#include "services/followup/delivery/testing/python_server.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

extern char** environ;

namespace tandem::followup::delivery::testing {
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(10);

// Reaps `pid` if it has ended within `timeout`.
bool WaitFor(pid_t pid, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  do {
    if (::waitpid(pid, nullptr, WNOHANG) == pid) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  } while (absl::Now() < deadline);
  return false;
}

}  // namespace

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

absl::StatusOr<std::unique_ptr<PythonServer>> PythonServer::Start(
    const std::string& script, const std::string& dir,
    const std::vector<std::string>& args) {
  const std::string port_file = absl::StrCat(dir, "/", script, ".port");
  const std::string out_dir = absl::StrCat(dir, "/", script, ".out");
  const std::string log = absl::StrCat(dir, "/", script, ".log");
  std::vector<std::string> argv_storage = {
      TANDEM_PYTHON3, absl::StrCat(TANDEM_DELIVERY_TESTDATA, "/", script),
      absl::StrCat("--port-file=", port_file), absl::StrCat("--out=", out_dir)};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::filesystem::remove(port_file);  // from an earlier server
  std::vector<char*> argv;
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                   O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, TANDEM_PYTHON3, &actions, nullptr,
                                  argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    return absl::InternalError(absl::StrCat("cannot start ", TANDEM_PYTHON3,
                                            ": ", std::strerror(spawned)));
  }
  const absl::Time deadline = absl::Now() + kStartTimeout;
  while (absl::Now() < deadline) {
    int port = 0;
    if (absl::SimpleAtoi(absl::StripAsciiWhitespace(ReadWholeFile(port_file)),
                         &port) &&
        port > 0) {
      return std::unique_ptr<PythonServer>(
          new PythonServer(pid, port, out_dir));
    }
    if (::waitpid(pid, nullptr, WNOHANG) == pid) {
      return absl::InternalError(
          absl::StrCat(script, " exited: ", ReadWholeFile(log)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid, SIGKILL);
  WaitFor(pid, absl::Seconds(1));
  return absl::DeadlineExceededError(
      absl::StrCat(script, " did not start: ", ReadWholeFile(log)));
}

PythonServer::~PythonServer() {
  ::kill(pid_, SIGTERM);
  if (!WaitFor(pid_, absl::Seconds(1))) {
    ::kill(pid_, SIGKILL);
    WaitFor(pid_, absl::Seconds(5));
  }
}

}  // namespace tandem::followup::delivery::testing
