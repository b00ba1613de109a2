// The follow-up service binary: flags, storage, the booking follower,
// wiring. No logic here.
#include <filesystem>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "services/common/housekeeping.h"
#include "services/common/logging.h"
#include "services/common/server_flags.h"
#include "services/common/server_runtime.h"
#include "services/followup/booking_client.h"
#include "services/followup/booking_follower.h"
#include "services/followup/followup_handler.h"
#include "services/followup/followup_service.h"

ABSL_FLAG(std::string, booking, "127.0.0.1:7002",
          "address of the booking service whose changes this service follows "
          "and where it books follow-up appointments");
ABSL_FLAG(std::string, directory, "127.0.0.1:7001",
          "address of the directory service (clinic hours, therapists' hours "
          "and rooms, read when a contact is booked)");

namespace {

constexpr char kServiceName[] = "tandem.followup.v1.FollowUpService";

int Fail(const char* event, const absl::Status& status, int code) {
  spdlog::error(R"("event":"{}","error":"{}")", event,
                tandem::common::JsonEscape(status.message()));
  return code;
}

int Run() {
  using namespace tandem;
  auto db_options = common::DatabaseOptionsFromFlags("data/followup.db");
  if (!db_options.ok()) return Fail("bad_flags", db_options.status(), 2);
  const auto parent = std::filesystem::path(db_options->path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  auto store = followup::FollowUpStore::Open(*db_options, absl::Now());
  if (!store.ok()) return Fail("storage_open_failed", store.status(), 1);

  auto booking_channel = followup::MakeChannel(absl::GetFlag(FLAGS_booking));
  followup::BookingClient client(
      booking_channel, followup::MakeChannel(absl::GetFlag(FLAGS_directory)));
  followup::FollowUpHandler handler(std::move(*store), absl::Now, &client);

  // NOT_SERVING until the follower has caught up with booking once.
  grpc::Server* server = nullptr;
  absl::Mutex server_mu;
  followup::BookingFollower::Hooks hooks;
  hooks.stored_revision = [&] { return handler.BookingRevision(); };
  hooks.apply = [&](const booking::v1::Change& change) {
    return handler.ApplyBookingChange(change);
  };
  hooks.relist = [&](const std::vector<booking::v1::Intensive>& intensives,
                     int64_t revision) {
    return handler.ReconcileIntensives(intensives, revision);
  };
  hooks.work = [&] { return handler.RunPendingWork(); };
  hooks.on_ready = [&] {
    absl::MutexLock lock(&server_mu);
    if (server != nullptr) {
      server->GetHealthCheckService()->SetServingStatus(kServiceName, true);
      server->GetHealthCheckService()->SetServingStatus("", true);
    }
  };
  followup::BookingFollower follower(booking_channel, &client, std::move(hooks),
                                     {});

  auto housekeeping = common::StartHousekeeping(
      handler.store(), common::RetentionOptionsFromFlags());
  common::LocalDevAuthenticator authenticator;
  followup::FollowUpService service(&handler, &authenticator);
  absl::Status served = common::ServeUntilSignalled(
      common::ServerOptionsFromFlags("followup"), {&service},
      [&](grpc::Server& started, int /*port*/) {
        absl::MutexLock lock(&server_mu);
        server = &started;
        const bool ready = follower.ready();
        started.GetHealthCheckService()->SetServingStatus(kServiceName, ready);
        started.GetHealthCheckService()->SetServingStatus("", ready);
      },
      [&] {
        absl::MutexLock lock(&server_mu);
        server = nullptr;
      });
  follower.Stop();
  if (!served.ok()) return Fail("serve_failed", served, 1);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  tandem::common::BlockTerminationSignals();
  absl::SetProgramUsageMessage(
      "Tandem follow-up service: follow-up plans and contacts after a "
      "programme.\n"
      "Usage: followup --db=data/followup.db --listen=127.0.0.1:7003 "
      "--booking=127.0.0.1:7002 --directory=127.0.0.1:7001");
  absl::ParseCommandLine(argc, argv);
  tandem::common::InitLogging("followup", absl::GetFlag(FLAGS_log_level));
  return Run();
}
