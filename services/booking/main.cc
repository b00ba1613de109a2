// The booking service binary: flags, storage, the directory replica, wiring.
// No logic here.
#include <atomic>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/clock.h"
#include "services/booking/booking_access_policy.h"
#include "services/booking/booking_handler.h"
#include "services/booking/booking_service.h"
#include "services/booking/directory_replica.h"
#include "services/common/grpc_client.h"
#include "services/common/backup/admin_service.h"
#include "services/common/health_switch.h"
#include "services/common/housekeeping.h"
#include "services/common/logging.h"
#include "services/common/periodic_task.h"
#include "services/common/server_flags.h"
#include "services/common/server_runtime.h"
#include "services/common/service_security.h"

ABSL_FLAG(std::string, directory, "127.0.0.1:7001",
          "address of the directory service this service replicates");
ABSL_FLAG(absl::Duration, hold_duration, absl::Minutes(30),
          "how long HoldIntensive reserves a plan when the request does not "
          "say (also the fresh hold after rescheduling a held intensive)");
ABSL_FLAG(absl::Duration, min_hold_duration, absl::Minutes(1),
          "shortest hold a request may ask for (tests and demos lower it)");
ABSL_FLAG(int, max_holds_per_caller, 20,
          "live holds (held, not expired) one account may have at once; "
          "HoldIntensive refuses more with RESOURCE_EXHAUSTED (at least 1)");
ABSL_FLAG(absl::Duration, sweep_interval, absl::Seconds(5),
          "how often expired holds are released and intensives move to in "
          "progress or completed");

namespace {

constexpr char kServiceName[] = "tandem.booking.v1.BookingService";

int Run() {
  using namespace tandem;
  auto db_options = common::DatabaseOptionsFromFlags("data/booking.db");
  if (!db_options.ok())
    return common::LogFailure("bad_flags", db_options.status(), 2);
  // Before anything else derives files from --db: a URL stops here.
  auto store = booking::OpenBookingStore(*db_options, absl::Now());
  if (!store.ok())
    return common::LogFailure("storage_open_failed", store.status(), 1);
  auto security = common::ServiceSecurityFromFlags(
      {.service_name = "booking",
       .listen_address = absl::GetFlag(FLAGS_listen),
       .default_peers = {"followup", "roster"},
       .policy = &booking::BookingAccessPolicy(),
       .default_audit_db = common::DefaultAuditDb(*db_options, "booking")});
  if (!security.ok()) {
    return common::LogFailure("bad_security_flags", security.status(), 2);
  }
  // Planning needs the directory: NOT_SERVING until the replica holds a
  // snapshot; the clients' records stay readable meanwhile.
  common::HealthSwitch health(kServiceName);
  // The replica calls the handler on directory changes and the handler
  // reads the replica's state: the pointer closes the loop.
  std::atomic<booking::DirectoryReplica*> replica_ptr{nullptr};
  booking::BookingOptions options;
  options.default_hold = absl::GetFlag(FLAGS_hold_duration);
  options.min_hold = absl::GetFlag(FLAGS_min_hold_duration);
  options.max_holds_per_caller = absl::GetFlag(FLAGS_max_holds_per_caller);
  if (options.max_holds_per_caller < 1) {
    return common::LogFailure(
        "bad_flags",
        absl::InvalidArgumentError("--max_holds_per_caller: at least 1"), 2);
  }
  booking::BookingHandler handler(
      std::move(*store), absl::Now,
      [&replica_ptr]() -> std::shared_ptr<const booking::DirectoryState> {
        booking::DirectoryReplica* replica = replica_ptr.load();
        return replica ? replica->state() : nullptr;
      },
      options);

  booking::DirectoryReplica::Options replica_options;
  replica_options.on_ready = [&health] { health.SetReady(); };
  replica_options.on_change = [&](const directory::v1::Change& change) {
    absl::Status reviewed = handler.OnDirectoryChange(change);
    if (!reviewed.ok()) {
      common::LogFailure("directory_change_review_failed", reviewed, 0);
    }
  };
  booking::DirectoryReplica replica(
      common::MakeChannel(absl::GetFlag(FLAGS_directory),
                          (*security)->peer_credentials),
      std::move(replica_options));
  replica_ptr.store(&replica);

  auto housekeeping = common::StartHousekeeping(
      handler.store(), common::RetentionOptionsFromFlags());
  common::PeriodicTask sweeper(absl::GetFlag(FLAGS_sweep_interval), [&] {
    absl::Status swept = handler.Sweep();
    if (!swept.ok()) common::LogFailure("sweep_failed", swept, 0);
  });
  auto admin = common::backup::AdminServiceFromFlags(
      "booking", *db_options, handler.store().Lock()->backend(), **security);
  booking::BookingService service(&handler, (*security)->gate.get());
  absl::Status served = common::ServeUntilSignalled(
      common::ServerOptionsFromFlags("booking", **security),
      {&service, (*security)->audit_service.get(), admin.get()},
      health.OnStarted(), health.OnStopping());
  replica.Stop();
  if (!served.ok()) return common::LogFailure("serve_failed", served, 1);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  tandem::common::BlockTerminationSignals();
  absl::SetProgramUsageMessage(
      "Tandem booking service: couples, referrals and intensives.\n"
      "Usage: booking --db=data/booking.db --listen=127.0.0.1:7002 "
      "--directory=127.0.0.1:7001");
  absl::ParseCommandLine(argc, argv);
  tandem::common::InitLogging("booking", absl::GetFlag(FLAGS_log_level));
  return Run();
}
