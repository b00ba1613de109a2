// Runs a real Tandem service binary as a child process for integration
// tests: a fresh temporary directory per process (its SQLite file, the port
// file and the captured log live there), port 0, bounded waits everywhere.
//
// Typical use:
//   auto service = ServiceProcess::Start(TANDEM_DIRECTORY_BINARY, {});
//   ASSERT_TRUE(service.ok()) << service.status();
//   auto stub = v1::DirectoryService::NewStub((*service)->channel());
//   ...
//   absl::StatusOr<ExitInfo> exit = (*service)->Stop();
//   EXPECT_EQ(exit->exit_code, 0);
//
// The harness adds `--db=<dir>/service.db --listen=127.0.0.1:0
// --port_file=<dir>/port --audit_db=<dir>/audit.db` and the security flags
// (TLS certificate of the service, CA, token key: see test_security.h) to
// the given arguments; channel() then calls with the operator's token. After Restart() the
// service listens on a new port: take channel() again. A test whose client
// must find the service again after a restart passes its own
// `--listen=127.0.0.1:PORT` (see PickUnusedPort()); the harness then leaves
// --listen out.
//
// Not thread-safe: one test thread drives one ServiceProcess.
#ifndef TANDEM_TESTS_INTEGRATION_SERVICE_PROCESS_H_
#define TANDEM_TESTS_INTEGRATION_SERVICE_PROCESS_H_

#include <grpcpp/grpcpp.h>
#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tandem::testing {

// How a stopped child ended.
struct ExitInfo {
  int exit_code = -1;   // the child's exit status, or -1 if it was signalled
  int term_signal = 0;  // the signal that ended it, or 0 if it exited
  absl::Duration took;  // from sending the signal to reaping the child
};

// A loopback TCP port that was free a moment ago (bound to port 0, then
// released), for a service that must keep its address across restarts.
// Another process may take it in between: rare, and Start() then fails.
absl::StatusOr<int> PickUnusedPort();

// Starts `argv` (argv[0] is the binary) as a child with stdin from
// /dev/null and stdout and stderr appended to `log_path`, no blocked
// signals and default SIGTERM/SIGINT handling, whatever the test process
// did. Returns its pid; INTERNAL when it cannot be started.
absl::StatusOr<pid_t> SpawnLogged(const std::vector<std::string>& argv,
                                  const std::string& log_path);

class ServiceProcess {
 public:
  // How long Start() and Restart() wait for the port file.
  static constexpr absl::Duration kStartTimeout = absl::Seconds(10);
  // How long Stop() waits for the child before it kills it.
  static constexpr absl::Duration kStopTimeout = absl::Seconds(10);

  // Creates a temp dir and starts `binary` with `args` plus the harness's
  // flags; returns once the port file exists (at most kStartTimeout), or an
  // error that quotes the child's log if it exited or never listened.
  static absl::StatusOr<std::unique_ptr<ServiceProcess>> Start(
      std::string binary, std::vector<std::string> args);

  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;
  // Kills a still-running child (SIGKILL) and removes the temp dir (kept if
  // the environment sets TANDEM_KEEP_TEST_DIRS).
  ~ServiceProcess();

  // The port the running child listens on; 0 when stopped.
  int port() const { return port_; }
  // "127.0.0.1:PORT".
  std::string target() const;
  // A channel to the running child (a new one after each Restart(); null
  // once stopped).
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  bool running() const { return pid_ > 0; }

  // SIGTERM, then waits (at most kStopTimeout; after that SIGKILL and
  // DEADLINE_EXCEEDED). FAILED_PRECONDITION if not running. Drops the
  // harness's channel first; a connection the test still holds (a stub) is
  // drained by the server's shutdown grace period (1 s for Tandem's).
  absl::StatusOr<ExitInfo> Stop();
  // SIGKILL and reap. FAILED_PRECONDITION if not running.
  absl::StatusOr<ExitInfo> Kill();
  // Starts the binary again on the same database file with the same
  // arguments, or with `args` instead when given. FAILED_PRECONDITION if
  // still running.
  absl::Status Restart(std::optional<std::vector<std::string>> args = {});

  // Everything the child (and earlier runs) wrote to stdout and stderr.
  std::string ReadLog() const;
  const std::string& dir() const { return dir_; }
  std::string db_path() const { return dir_ + "/service.db"; }
  std::string log_path() const { return dir_ + "/service.log"; }
  std::string audit_db_path() const { return dir_ + "/audit.db"; }
  // "booking": the binary's name, which is also its certificate's CN.
  std::string service_name() const;
  // Whether the harness gave the child its TLS and token flags (the
  // default; a test that passes its own --tls_cert... opts out).
  bool secure() const;

 private:
  ServiceProcess(std::string binary, std::vector<std::string> args,
                 std::string dir);

  absl::Status Launch();
  std::vector<std::string> SecurityArgs() const;
  // Waits for the child to exit, at most `timeout`; nullopt if it did not.
  std::optional<int> WaitForExit(absl::Duration timeout);
  absl::StatusOr<ExitInfo> Signal(int signal_number);

  const std::string binary_;
  std::vector<std::string> args_;
  const std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace tandem::testing

#endif  // TANDEM_TESTS_INTEGRATION_SERVICE_PROCESS_H_
