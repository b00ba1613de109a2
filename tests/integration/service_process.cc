#include "tests/integration/service_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "tests/integration/test_security.h"

extern char** environ;

namespace tandem::testing {

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr auto kPollInterval = std::chrono::milliseconds(2);
constexpr size_t kLogTailBytes = 4000;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string Tail(const std::string& text) {
  return text.size() <= kLogTailBytes
             ? text
             : text.substr(text.size() - kLogTailBytes);
}

absl::StatusOr<std::string> MakeTempDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string pattern =
      absl::StrCat(base != nullptr && *base != '\0'
                       ? std::string(base)
                       : std::filesystem::temp_directory_path().string(),
                   "/tandem-it-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(
        absl::StrCat("mkdtemp ", pattern, ": ", std::strerror(errno)));
  }
  return pattern;
}

ExitInfo Describe(int wait_status, SteadyClock::duration took) {
  ExitInfo info;
  if (WIFEXITED(wait_status)) info.exit_code = WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) info.term_signal = WTERMSIG(wait_status);
  info.took = absl::FromChrono(took);
  return info;
}

}  // namespace

absl::StatusOr<int> PickUnusedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const int error = errno;
    ::close(fd);
    return absl::InternalError(
        absl::StrCat("bind 127.0.0.1:0: ", std::strerror(error)));
  }
  ::close(fd);
  return static_cast<int>(ntohs(address.sin_port));
}

absl::StatusOr<pid_t> SpawnLogged(const std::vector<std::string>& argv_in,
                                  const std::string& log_path) {
  std::vector<std::string> storage = argv_in;
  std::vector<char*> argv;
  for (std::string& arg : storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                   O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t empty, defaults;
  sigemptyset(&empty);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  posix_spawnattr_setsigmask(&attributes, &empty);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, storage[0].c_str(), &actions,
                                  &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    return absl::InternalError(absl::StrCat("cannot start ", storage[0], ": ",
                                            std::strerror(spawned)));
  }
  return pid;
}

absl::StatusOr<std::unique_ptr<ServiceProcess>> ServiceProcess::Start(
    std::string binary, std::vector<std::string> args) {
  absl::StatusOr<std::string> dir = MakeTempDir();
  if (!dir.ok()) return dir.status();
  std::unique_ptr<ServiceProcess> process(
      new ServiceProcess(std::move(binary), std::move(args), *std::move(dir)));
  if (absl::Status launched = process->Launch(); !launched.ok()) {
    return launched;
  }
  return process;
}

ServiceProcess::ServiceProcess(std::string binary,
                               std::vector<std::string> args, std::string dir)
    : binary_(std::move(binary)),
      args_(std::move(args)),
      dir_(std::move(dir)) {}

ServiceProcess::~ServiceProcess() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    WaitForExit(kStopTimeout);
  }
  if (std::getenv("TANDEM_KEEP_TEST_DIRS") == nullptr) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

std::string ServiceProcess::target() const {
  return absl::StrCat("127.0.0.1:", port_);
}

bool ServiceProcess::secure() const {
  // A test that passes its own --tls_cert (even empty) sets up TLS itself.
  return std::none_of(args_.begin(), args_.end(), [](const std::string& arg) {
    return absl::StartsWith(arg, "--tls_cert");
  });
}

std::string ServiceProcess::service_name() const {
  return std::filesystem::path(binary_).filename().string();
}

std::vector<std::string> ServiceProcess::SecurityArgs() const {
  if (!secure()) return {};
  return ServiceSecurityFlags(service_name());
}

std::string ServiceProcess::ReadLog() const { return ReadFile(log_path()); }

absl::Status ServiceProcess::Launch() {
  const std::string port_file = dir_ + "/port";
  std::filesystem::remove(port_file);

  std::vector<std::string> argv_storage = {binary_};
  argv_storage.insert(argv_storage.end(), args_.begin(), args_.end());
  argv_storage.push_back(absl::StrCat("--db=", db_path()));
  // A caller that needs a fixed address (a client that must find the service
  // again after a restart) passes its own --listen.
  const bool has_listen =
      std::any_of(args_.begin(), args_.end(), [](const std::string& arg) {
        return absl::StartsWith(arg, "--listen=");
      });
  if (!has_listen) argv_storage.push_back("--listen=127.0.0.1:0");
  for (std::string& flag : SecurityArgs()) argv_storage.push_back(flag);
  argv_storage.push_back(absl::StrCat("--audit_db=", audit_db_path()));
  argv_storage.push_back(absl::StrCat("--port_file=", port_file));
  // The log of every run of this process survives a Restart().
  absl::StatusOr<pid_t> pid = SpawnLogged(argv_storage, log_path());
  if (!pid.ok()) return pid.status();
  pid_ = *pid;

  const auto deadline =
      SteadyClock::now() + absl::ToChronoMilliseconds(kStartTimeout);
  while (SteadyClock::now() < deadline) {
    int port = 0;
    // The service renames the port file into place, so it is complete.
    if (std::filesystem::exists(port_file) &&
        absl::SimpleAtoi(absl::StripAsciiWhitespace(ReadFile(port_file)),
                         &port) &&
        port > 0) {
      port_ = port;
      channel_ = secure() ? SecureChannel(target(),
                                          UserCredentials(OperatorToken()))
                          : grpc::CreateChannel(
                                target(), grpc::InsecureChannelCredentials());
      return absl::OkStatus();
    }
    int wait_status = 0;
    if (waitpid(pid_, &wait_status, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::UnavailableError(
          absl::StrCat(binary_, " exited (status ", wait_status,
                       ") before listening; log:\n", Tail(ReadLog())));
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  ::kill(pid_, SIGKILL);
  WaitForExit(kStopTimeout);
  pid_ = -1;
  return absl::DeadlineExceededError(absl::StrCat(
      binary_, " wrote no port file within ",
      absl::FormatDuration(kStartTimeout), "; log:\n", Tail(ReadLog())));
}

std::optional<int> ServiceProcess::WaitForExit(absl::Duration timeout) {
  const auto deadline =
      SteadyClock::now() + absl::ToChronoMilliseconds(timeout);
  while (true) {
    int wait_status = 0;
    const pid_t reaped = waitpid(pid_, &wait_status, WNOHANG);
    if (reaped == pid_) {
      pid_ = -1;
      port_ = 0;
      return wait_status;
    }
    if (reaped < 0 && errno != EINTR) {  // not our child any more
      pid_ = -1;
      port_ = 0;
      return std::nullopt;
    }
    if (SteadyClock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kPollInterval);
  }
}

absl::StatusOr<ExitInfo> ServiceProcess::Signal(int signal_number) {
  if (!running()) return absl::FailedPreconditionError("service not running");
  channel_.reset();
  const auto start = SteadyClock::now();
  if (::kill(pid_, signal_number) != 0) {
    return absl::InternalError(absl::StrCat("kill: ", std::strerror(errno)));
  }
  std::optional<int> wait_status = WaitForExit(kStopTimeout);
  const auto took = SteadyClock::now() - start;
  if (!wait_status.has_value()) {
    if (running()) {
      ::kill(pid_, SIGKILL);
      WaitForExit(kStopTimeout);
    }
    return absl::DeadlineExceededError(absl::StrCat(
        "service did not exit within ", absl::FormatDuration(kStopTimeout),
        " of signal ", signal_number, "; killed it"));
  }
  return Describe(*wait_status, took);
}

absl::StatusOr<ExitInfo> ServiceProcess::Stop() { return Signal(SIGTERM); }

absl::StatusOr<ExitInfo> ServiceProcess::Kill() { return Signal(SIGKILL); }

absl::Status ServiceProcess::Restart(
    std::optional<std::vector<std::string>> args) {
  if (running()) return absl::FailedPreconditionError("service still running");
  if (args.has_value()) args_ = *std::move(args);
  return Launch();
}

}  // namespace tandem::testing
