// How this installation sends reminders: the channels from the service's
// flags. E-mail goes over SMTP when --smtp_url is given, SMS to the HTTP
// webhook when --sms_webhook_url is given; without them (local runs, a
// clinic trying Tandem out) those messages are written as files into
// --outbox_dir instead, like the file channel, so nothing leaves the machine.
#ifndef TANDEM_SERVICES_FOLLOWUP_REMINDER_DELIVERY_H_
#define TANDEM_SERVICES_FOLLOWUP_REMINDER_DELIVERY_H_

#include <string>

#include "absl/status/statusor.h"
#include "services/common/guarded_store.h"
#include "services/followup/delivery/dispatcher.h"

namespace tandem::followup {

struct DeliveryConfig {
  std::string outbox_dir;  // required
  std::string smtp_url, smtp_from, smtp_username, smtp_password_file;
  bool smtp_starttls = false;
  std::string sms_webhook_url, sms_token_file;
};

// INVALID_ARGUMENT naming the flag (e.g. --smtp_from missing) or an
// unreadable secret file.
absl::StatusOr<delivery::Dispatcher::Channels> MakeChannels(
    const DeliveryConfig& config, common::Clock clock);

}  // namespace tandem::followup

#endif  // TANDEM_SERVICES_FOLLOWUP_REMINDER_DELIVERY_H_
