// E-mail over SMTP with libcurl: one connection per message, plain-text
// UTF-8 body, a Message-ID and an X-Tandem-Idempotency-Key header derived
// from the reminder's idempotency key (so a re-send after a crash carries
// the same ids and mail systems can drop the duplicate).
//
// Results: 2xx accepted -> sent; a 4xx reply ("smtp-421") or a transport
// problem ("smtp-timeout", "smtp-connect", "smtp-tls", "smtp-io", "smtp-auth")
// -> temporary; a 5xx reply ("smtp-550") -> permanent.
//
// Example:
//   SmtpOptions options;
//   options.url = "smtp://mail.example.org:587";
//   options.starttls = true;
//   options.from = "reminders@example.org";
//   options.from_name = "Praxis am Lindenhof";
//   options.username = "reminders";
//   options.password = password_from_config;
//   ASSIGN_OR_RETURN(std::unique_ptr<SmtpChannel> smtp,
//                    SmtpChannel::Create(options, clock));
#ifndef TANDEM_SERVICES_FOLLOWUP_DELIVERY_SMTP_CHANNEL_H_
#define TANDEM_SERVICES_FOLLOWUP_DELIVERY_SMTP_CHANNEL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/guarded_store.h"
#include "services/followup/delivery/channel.h"

namespace tandem::followup::delivery {

struct SmtpOptions {
  // "smtp://host:port" (plain, or STARTTLS when `starttls`) or
  // "smtps://host:port" (TLS from the start).
  std::string url;
  // Envelope and header sender, e.g. "reminders@example.org".
  std::string from;
  // Optional display name of the sender (the clinic's display name).
  std::string from_name;
  // Optional login; both empty for none.
  std::string username;
  std::string password;
  // Require STARTTLS on an smtp:// URL (the message is not sent without it).
  bool starttls = false;
  absl::Duration connect_timeout = absl::Seconds(10);
  // For the whole transfer.
  absl::Duration timeout = absl::Seconds(30);
};

class SmtpChannel final : public Channel {
 public:
  // INVALID_ARGUMENT naming the option if the URL is not smtp:// or
  // smtps://, or `from` is not an address. `clock` gives the Date header.
  static absl::StatusOr<std::unique_ptr<SmtpChannel>> Create(
      SmtpOptions options, common::Clock clock);

  SendResult Send(const OutgoingMessage& message) override;

  // The RFC 5322 message Send() transmits (CRLF line ends), for tests.
  std::string BuildMessage(const OutgoingMessage& message,
                           absl::Time now) const;

 private:
  SmtpChannel(SmtpOptions options, common::Clock clock)
      : options_(std::move(options)), clock_(std::move(clock)) {}

  const SmtpOptions options_;
  const common::Clock clock_;
};

}  // namespace tandem::followup::delivery

#endif  // TANDEM_SERVICES_FOLLOWUP_DELIVERY_SMTP_CHANNEL_H_
