// The follow-up service binary: flags, storage, the booking follower,
// wiring. No logic here.
#include <atomic>
#include <filesystem>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "services/common/backup/admin_service.h"
#include "services/common/health_switch.h"
#include "services/common/housekeeping.h"
#include "services/common/logging.h"
#include "services/common/metrics.h"
#include "services/common/periodic_task.h"
#include "services/common/server_flags.h"
#include "services/common/server_runtime.h"
#include "services/common/service_security.h"
#include "services/followup/followup_access_policy.h"
#include "services/followup/booking_client.h"
#include "services/followup/booking_follower.h"
#include "services/followup/followup_handler.h"
#include "services/followup/followup_service.h"
#include "services/followup/reminder_delivery.h"
#include "services/followup/reminder_metrics.h"
#include "services/followup/reminder_settings.h"
#include "services/followup/reminder_worker.h"

ABSL_FLAG(std::string, booking, "127.0.0.1:7002",
          "address of the booking service whose changes this service follows "
          "and where it books follow-up appointments");
ABSL_FLAG(std::string, directory, "127.0.0.1:7001",
          "address of the directory service (clinic hours, therapists' hours "
          "and rooms, read when a contact is booked)");
ABSL_FLAG(std::string, outbox_dir, "",
          "where reminders are written as files (the file channel, and e-mail "
          "and SMS when no SMTP server or SMS webhook is configured); default: "
          "'outbox' beside the database");
ABSL_FLAG(std::string, smtp_url, "",
          "smtp://host:port or smtps://host:port of the mail server for "
          "e-mail reminders; empty: write them to --outbox_dir");
ABSL_FLAG(std::string, smtp_from, "", "sender address of e-mail reminders");
ABSL_FLAG(std::string, smtp_username, "",
          "SMTP login, if the server needs one");
ABSL_FLAG(std::string, smtp_password_file, "",
          "file holding the SMTP password");
ABSL_FLAG(bool, smtp_starttls, false, "require STARTTLS on an smtp:// server");
ABSL_FLAG(std::string, sms_webhook_url, "",
          "http(s) URL of the SMS provider's webhook; empty: write SMS "
          "reminders to --outbox_dir");
ABSL_FLAG(std::string, sms_token_file, "",
          "file holding the SMS provider's bearer token");
ABSL_FLAG(absl::Duration, clock_offset, absl::ZeroDuration(),
          "for tests and demonstrations only: run this service's clock this "
          "far ahead of the system's (e.g. 72h to see reminders fall due)");
ABSL_FLAG(absl::Duration, reminder_poll_interval, absl::Seconds(5),
          "how often due reminders are looked for (also woken at once when "
          "one is queued)");
ABSL_FLAG(int, max_reminders_per_caller_per_day, 200,
          "reminders one account may cause in any 24 hours (by creating "
          "plans, rescheduling and rebooking contacts); a call that would "
          "cause more is refused with RESOURCE_EXHAUSTED; the service's own "
          "work is not limited; 0: no limit");

namespace {

constexpr char kServiceName[] = "tandem.followup.v1.FollowUpService";

int Run() {
  using namespace tandem;
  auto db_options = common::DatabaseOptionsFromFlags("data/followup.db");
  if (!db_options.ok())
    return common::LogFailure("bad_flags", db_options.status(), 2);
  const auto parent = std::filesystem::path(db_options->path).parent_path();
  const absl::Duration offset = absl::GetFlag(FLAGS_clock_offset);
  const common::Clock clock = [offset] { return absl::Now() + offset; };
  if (offset != absl::ZeroDuration()) {
    spdlog::warn(R"("event":"clock_offset","seconds":{})",
                 absl::ToInt64Seconds(offset));
  }
  // Before anything else derives files from --db: a URL stops here.
  auto store = followup::OpenFollowUpStore(*db_options, clock());
  if (!store.ok())
    return common::LogFailure("storage_open_failed", store.status(), 1);
  auto security = common::ServiceSecurityFromFlags(
      {.service_name = "followup",
       .listen_address = absl::GetFlag(FLAGS_listen),
       .default_peers = {"roster"},
       .policy = &followup::FollowUpAccessPolicy(),
       .default_audit_db = common::DefaultAuditDb(*db_options, "followup")});
  if (!security.ok()) {
    return common::LogFailure("bad_security_flags", security.status(), 2);
  }

  const auto& peer_credentials = (*security)->peer_credentials;
  auto booking_channel = common::MakeChannel(absl::GetFlag(FLAGS_booking),
                                             peer_credentials);
  followup::BookingClient client(
      booking_channel,
      common::MakeChannel(absl::GetFlag(FLAGS_directory), peer_credentials));
  followup::FollowUpOptions handler_options;
  handler_options.max_reminders_per_caller_per_day =
      absl::GetFlag(FLAGS_max_reminders_per_caller_per_day);
  if (handler_options.max_reminders_per_caller_per_day < 0) {
    return common::LogFailure(
        "bad_flags",
        absl::InvalidArgumentError(
            "--max_reminders_per_caller_per_day: 0 or more"),
        2);
  }
  followup::FollowUpHandler handler(std::move(*store), clock, &client,
                                    handler_options);

  // NOT_SERVING until the follower has caught up with booking once.
  common::HealthSwitch health(kServiceName);
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
  hooks.on_ready = [&health] { health.SetReady(); };
  followup::BookingFollower follower(booking_channel, &client, std::move(hooks),
                                     {});

  // Reminders: jobs become outbox entries (worker), due entries are sent
  // (dispatcher), each on its own thread.
  followup::DeliveryConfig delivery_config;
  delivery_config.outbox_dir = absl::GetFlag(FLAGS_outbox_dir);
  if (delivery_config.outbox_dir.empty()) {
    delivery_config.outbox_dir = (parent / "outbox").string();
  }
  std::filesystem::create_directories(delivery_config.outbox_dir);
  delivery_config.smtp_url = absl::GetFlag(FLAGS_smtp_url);
  delivery_config.smtp_from = absl::GetFlag(FLAGS_smtp_from);
  delivery_config.smtp_username = absl::GetFlag(FLAGS_smtp_username);
  delivery_config.smtp_password_file = absl::GetFlag(FLAGS_smtp_password_file);
  delivery_config.smtp_starttls = absl::GetFlag(FLAGS_smtp_starttls);
  delivery_config.sms_webhook_url = absl::GetFlag(FLAGS_sms_webhook_url);
  delivery_config.sms_token_file = absl::GetFlag(FLAGS_sms_token_file);
  auto channels = followup::MakeChannels(delivery_config, clock);
  if (!channels.ok())
    return common::LogFailure("bad_flags", channels.status(), 2);
  std::atomic<followup::delivery::Dispatcher*> dispatcher_ptr{nullptr};
  followup::ReminderWorker worker(&handler.store(), &client, [&] {
    if (auto* d = dispatcher_ptr.load()) d->Wake();
  });
  followup::delivery::DispatcherOptions dispatcher_options;
  dispatcher_options.poll_interval =
      absl::GetFlag(FLAGS_reminder_poll_interval);
  // Served on --metrics_listen with the RPC metrics.
  common::MetricsRegistry metrics;
  auto count_outcome = followup::RegisterReminderMetrics(
      metrics, [&handler]() -> absl::StatusOr<int64_t> {
        auto store = handler.store().Lock();
        return store->outbox().Depth();
      });
  if (!count_outcome.ok()) {
    return common::LogFailure("metrics_setup_failed", count_outcome.status(),
                              1);
  }
  dispatcher_options.on_outcome = *std::move(count_outcome);
  dispatcher_options.send_window_source = [&handler] {
    return followup::CurrentSendWindow(handler.store());
  };
  // A couple's same-day reminders go as one message per partner.
  dispatcher_options.merge_renderer =
      [&worker](absl::Span<const followup::delivery::ReminderRecord> merged) {
        return worker.RenderMerged(merged);
      };
  followup::delivery::Dispatcher dispatcher(
      [&handler](
          absl::FunctionRef<absl::Status(followup::delivery::Outbox&)> body) {
        auto store = handler.store().Lock();
        return followup::delivery::RunInOutboxTransaction(
            store->backend(), store->outbox(), body);
      },
      std::move(*channels),
      [&worker](const followup::delivery::ReminderRecord& reminder) {
        return worker.AddressFor(reminder);
      },
      clock, dispatcher_options);
  dispatcher_ptr.store(&dispatcher);
  std::thread dispatching([&dispatcher] { dispatcher.Run(); });
  common::PeriodicTask planning(absl::Seconds(1), [&worker] {
    absl::Status planned = worker.RunOnce();
    if (!planned.ok())
      common::LogFailure("reminder_planning_failed", planned, 0);
  });

  auto housekeeping = common::StartHousekeeping(
      handler.store(), common::RetentionOptionsFromFlags());
  auto admin = common::backup::AdminServiceFromFlags(
      "followup", *db_options, handler.store().Lock()->backend(), **security);
  followup::FollowUpService service(&handler, (*security)->gate.get());
  common::ServerOptions server_options =
      common::ServerOptionsFromFlags("followup", **security);
  server_options.metrics = &metrics;
  absl::Status served = common::ServeUntilSignalled(
      server_options,
      {&service, (*security)->audit_service.get(), admin.get()},
      health.OnStarted(), health.OnStopping());
  follower.Stop();
  dispatcher.Stop();
  dispatching.join();
  if (!served.ok()) return common::LogFailure("serve_failed", served, 1);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  tandem::common::BlockTerminationSignals();
  absl::SetProgramUsageMessage(
      "Tandem follow-up service: follow-up plans and contacts after a "
      "programme, and neutral reminders to clients.\n"
      "Usage: followup --db=data/followup.db --listen=127.0.0.1:7003 "
      "--booking=127.0.0.1:7002 --directory=127.0.0.1:7001");
  absl::ParseCommandLine(argc, argv);
  tandem::common::InitLogging("followup", absl::GetFlag(FLAGS_log_level));
  return Run();
}
