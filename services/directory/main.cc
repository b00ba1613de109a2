// The directory service binary: flags, storage, wiring. No logic here.
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/clock.h"
#include "services/common/backup/admin_service.h"
#include "services/common/housekeeping.h"
#include "services/common/logging.h"
#include "services/common/server_flags.h"
#include "services/common/server_runtime.h"
#include "services/common/service_security.h"
#include "services/directory/directory_access_policy.h"
#include "services/directory/directory_handler.h"
#include "services/directory/directory_service.h"

namespace {

int Run() {
  using namespace tandem;
  auto db_options = common::DatabaseOptionsFromFlags("data/directory.db");
  if (!db_options.ok()) {
    return common::LogFailure("bad_flags", db_options.status(), 2);
  }
  // Before anything else derives files from --db: a URL stops here.
  auto store = directory::OpenDirectoryStore(*db_options);
  if (!store.ok()) {
    return common::LogFailure("storage_open_failed", store.status(), 1);
  }
  auto security = common::ServiceSecurityFromFlags(
      {.service_name = "directory",
       .listen_address = absl::GetFlag(FLAGS_listen),
       .default_peers = {"booking", "followup", "roster"},
       .policy = &directory::DirectoryAccessPolicy(),
       .default_audit_db = common::DefaultAuditDb(*db_options, "directory")});
  if (!security.ok()) {
    return common::LogFailure("bad_security_flags", security.status(), 2);
  }
  directory::DirectoryHandler handler(std::move(*store), absl::Now);
  auto housekeeping = common::StartHousekeeping(
      handler.store(), common::RetentionOptionsFromFlags());
  auto admin = common::backup::AdminServiceFromFlags(
      "directory", *db_options, handler.store().Lock()->backend(), **security);
  directory::DirectoryService service(&handler, (*security)->gate.get());
  absl::Status served = common::ServeUntilSignalled(
      common::ServerOptionsFromFlags("directory", **security),
      {&service, (*security)->audit_service.get(), admin.get()});
  if (!served.ok()) return common::LogFailure("serve_failed", served, 1);
  return 0;  // the handler (and its database) closes on return
}

}  // namespace

int main(int argc, char** argv) {
  tandem::common::BlockTerminationSignals();
  absl::SetProgramUsageMessage(
      "Tandem directory service: staff, rooms and the clinic calendar.\n"
      "Usage: directory --db=data/directory.db --listen=127.0.0.1:7001");
  absl::ParseCommandLine(argc, argv);
  tandem::common::InitLogging("directory", absl::GetFlag(FLAGS_log_level));
  return Run();
}
