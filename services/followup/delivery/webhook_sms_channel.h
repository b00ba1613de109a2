// SMS through a provider's HTTP webhook, with libcurl: one POST per message
// of the JSON body
//   {"to": "+4930...", "text": "...", "idempotency_key": "rk-..."}
// with the headers `Authorization: Bearer <token>` and
// `Idempotency-Key: <key>`. Redirects are not followed.
//
// Results: 2xx -> sent; 408, 429 and 5xx -> temporary ("sms-http-503");
// other statuses -> permanent ("sms-http-400"); no reply -> temporary
// ("sms-timeout", "sms-connect", "sms-tls", "sms-io").
//
// Example:
//   WebhookSmsOptions options;
//   options.url = "https://sms.example.net/v1/messages";
//   options.bearer_token = token_from_config;
//   ASSIGN_OR_RETURN(auto sms, WebhookSmsChannel::Create(options));
#ifndef TANDEM_SERVICES_FOLLOWUP_DELIVERY_WEBHOOK_SMS_CHANNEL_H_
#define TANDEM_SERVICES_FOLLOWUP_DELIVERY_WEBHOOK_SMS_CHANNEL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/followup/delivery/channel.h"

namespace tandem::followup::delivery {

struct WebhookSmsOptions {
  std::string url;           // http:// or https://
  std::string bearer_token;  // may be empty: no Authorization header
  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration timeout = absl::Seconds(15);
};

class WebhookSmsChannel final : public Channel {
 public:
  // INVALID_ARGUMENT naming the option unless the URL is http(s)://.
  static absl::StatusOr<std::unique_ptr<WebhookSmsChannel>> Create(
      WebhookSmsOptions options);

  SendResult Send(const OutgoingMessage& message) override;

  // The JSON body Send() posts, for tests. Invalid UTF-8 is replaced.
  static std::string BuildBody(const OutgoingMessage& message);

 private:
  explicit WebhookSmsChannel(WebhookSmsOptions options)
      : options_(std::move(options)) {}

  const WebhookSmsOptions options_;
};

}  // namespace tandem::followup::delivery

#endif  // TANDEM_SERVICES_FOLLOWUP_DELIVERY_WEBHOOK_SMS_CHANNEL_H_
