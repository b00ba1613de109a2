#include "services/followup/reminder_delivery.h"

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/followup/delivery/file_channel.h"
#include "services/followup/delivery/smtp_channel.h"
#include "services/followup/delivery/webhook_sms_channel.h"

namespace tandem::followup {

namespace {

// Secrets come from files (mode 0600, a Kubernetes Secret, a systemd
// credential), never from the command line, where `ps` shows them.
absl::StatusOr<std::string> ReadSecret(const std::string& path,
                                       absl::string_view flag) {
  if (path.empty()) return std::string();
  std::ifstream in(path);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": cannot read the file"));
  }
  std::stringstream text;
  text << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(text.str()));
}

}  // namespace

absl::StatusOr<delivery::Dispatcher::Channels> MakeChannels(
    const DeliveryConfig& config, common::Clock clock) {
  namespace v1 = ::tandem::followup::v1;
  delivery::Dispatcher::Channels channels;
  ASSIGN_OR_RETURN(channels[v1::REMINDER_CHANNEL_FILE],
                   delivery::FileChannel::Create(config.outbox_dir));
  if (config.smtp_url.empty()) {
    ASSIGN_OR_RETURN(channels[v1::REMINDER_CHANNEL_EMAIL],
                     delivery::FileChannel::Create(config.outbox_dir));
  } else {
    if (config.smtp_from.empty()) {
      return absl::InvalidArgumentError(
          "--smtp_from: required with --smtp_url");
    }
    delivery::SmtpOptions smtp;
    smtp.url = config.smtp_url;
    smtp.from = config.smtp_from;
    smtp.username = config.smtp_username;
    ASSIGN_OR_RETURN(smtp.password,
                     ReadSecret(config.smtp_password_file,
                                "--smtp_password_file"));
    smtp.starttls = config.smtp_starttls;
    ASSIGN_OR_RETURN(channels[v1::REMINDER_CHANNEL_EMAIL],
                     delivery::SmtpChannel::Create(std::move(smtp), clock));
  }
  if (config.sms_webhook_url.empty()) {
    ASSIGN_OR_RETURN(channels[v1::REMINDER_CHANNEL_SMS],
                     delivery::FileChannel::Create(config.outbox_dir));
  } else {
    delivery::WebhookSmsOptions sms;
    sms.url = config.sms_webhook_url;
    ASSIGN_OR_RETURN(sms.bearer_token,
                     ReadSecret(config.sms_token_file, "--sms_token_file"));
    ASSIGN_OR_RETURN(channels[v1::REMINDER_CHANNEL_SMS],
                     delivery::WebhookSmsChannel::Create(std::move(sms)));
  }
  return channels;
}

}  // namespace tandem::followup
