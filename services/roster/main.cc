// The roster service binary: flags and wiring. It keeps no state: every
// answer is read from the directory, booking and follow-up services.
#include <optional>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/clock.h"
#include "services/common/health_switch.h"
#include "services/common/logging.h"
#include "services/common/server_flags.h"
#include "services/common/server_runtime.h"
#include "services/common/service_security.h"
#include "services/roster/roster_access_policy.h"
#include "services/roster/roster_handler.h"
#include "services/roster/roster_service.h"
#include "services/roster/roster_sources.h"

ABSL_FLAG(std::string, directory, "127.0.0.1:7001",
          "address of the directory service (names, rooms, hours, absences, "
          "closures)");
ABSL_FLAG(std::string, booking, "127.0.0.1:7002",
          "address of the booking service (sessions, appointments, couples)");
ABSL_FLAG(std::string, followup, "127.0.0.1:7003",
          "address of the follow-up service (contacts and calls due)");
ABSL_FLAG(absl::Duration, downstream_timeout, absl::Seconds(2),
          "deadline of each call to another service; past it the roster "
          "answers UNAVAILABLE naming the service");
ABSL_FLAG(std::string, calendar_feed_key_file, "",
          "file holding the secret (at least 32 random bytes) that signs "
          "calendar subscription addresses; every replica needs the same "
          "one, and replacing it revokes every address. Empty: no "
          "subscriptions, calendars are downloads only");
ABSL_FLAG(absl::Duration, clock_offset, absl::ZeroDuration(),
          "for tests and demonstrations only: run this service's clock this "
          "far ahead of the system's (moves 'today' and the calls due)");

namespace {

constexpr char kServiceName[] = "tandem.roster.v1.RosterService";

int Run() {
  using namespace tandem;
  auto security = common::ServiceSecurityFromFlags(
      {.service_name = "roster",
       .listen_address = absl::GetFlag(FLAGS_listen),
       .default_peers = {},
       .policy = &roster::RosterAccessPolicy(),
       // The only file this stateless service writes.
       .default_audit_db = "data/roster.audit.db"});
  if (!security.ok()) {
    return common::LogFailure("bad_security_flags", security.status(), 2);
  }
  roster::SourceAddresses addresses;
  addresses.credentials = (*security)->peer_credentials;
  addresses.directory = absl::GetFlag(FLAGS_directory);
  addresses.booking = absl::GetFlag(FLAGS_booking);
  addresses.followup = absl::GetFlag(FLAGS_followup);
  roster::RosterSources sources(addresses,
                                absl::GetFlag(FLAGS_downstream_timeout));
  std::optional<roster::FeedTokenSigner> feeds;
  if (const std::string key_file = absl::GetFlag(FLAGS_calendar_feed_key_file);
      !key_file.empty()) {
    absl::StatusOr<roster::FeedTokenSigner> signer =
        roster::FeedTokenSigner::FromKeyFile(key_file);
    if (!signer.ok()) {
      return common::LogFailure("bad_calendar_feed_key", signer.status(), 2);
    }
    feeds.emplace(*std::move(signer));
  }
  const absl::Duration offset = absl::GetFlag(FLAGS_clock_offset);
  roster::RosterHandler handler(
      &sources, [offset] { return absl::Now() + offset; },
      feeds.has_value() ? &*feeds : nullptr);
  roster::RosterService service(&handler, (*security)->gate.get());
  // Ready at once: it keeps nothing to catch up on.
  common::HealthSwitch health(kServiceName);
  health.SetReady();
  absl::Status served = common::ServeUntilSignalled(
      common::ServerOptionsFromFlags("roster", **security),
      {&service, (*security)->audit_service.get()},
      health.OnStarted(), health.OnStopping());
  if (!served.ok()) return common::LogFailure("serve_failed", served, 1);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  tandem::common::BlockTerminationSignals();
  absl::SetProgramUsageMessage(
      "Tandem roster service: therapists' and rooms' rosters, the clinic-day "
      "overview and calendar feeds, assembled from the other services.\n"
      "Usage: roster --listen=127.0.0.1:7004 --directory=127.0.0.1:7001 "
      "--booking=127.0.0.1:7002 --followup=127.0.0.1:7003");
  absl::ParseCommandLine(argc, argv);
  tandem::common::InitLogging("roster", absl::GetFlag(FLAGS_log_level));
  return Run();
}
