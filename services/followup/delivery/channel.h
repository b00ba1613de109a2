// A way to deliver one reminder message (e-mail, SMS, file), behind one
// interface so the dispatcher need not know which.
//
// Contract of Send(): it makes one delivery attempt and reports how it went.
// It never throws and never returns an address, a name or provider text in
// the result: error codes are short fixed words ("smtp-421",
// "sms-http-503", "sms-timeout") that may go into logs and the API.
// The idempotency key goes to the provider with every attempt, so a retry of
// a message the provider already took (the process crashed before it
// recorded the send) is not delivered twice.
//
// Implementations: SmtpChannel (smtp_channel.h), WebhookSmsChannel
// (webhook_sms_channel.h), FileChannel (file_channel.h). A Channel is used by
// one dispatcher thread at a time; implementations need not be thread-safe.
//
// Example:
//   SendResult result = channel.Send({.reminder_id = "rn-7",
//                                     .idempotency_key = key,
//                                     .to = "anna@example.org",
//                                     .subject = text.subject,
//                                     .body = text.body});
//   if (result.outcome == SendOutcome::kTemporaryFailure) { /* retry */ }
#ifndef TANDEM_SERVICES_FOLLOWUP_DELIVERY_CHANNEL_H_
#define TANDEM_SERVICES_FOLLOWUP_DELIVERY_CHANNEL_H_

#include <string>
#include <utility>

namespace tandem::followup::delivery {

// One message to one address.
struct OutgoingMessage {
  std::string reminder_id;      // "rn-7", for the channel's own logs
  std::string idempotency_key;  // passed to the provider
  std::string to;               // e-mail address or phone number
  std::string subject;          // e-mail subject; unused by SMS
  std::string body;             // UTF-8 plain text
};

enum class SendOutcome {
  kSent,              // the provider accepted the message
  kTemporaryFailure,  // try again later (timeouts, 4xx SMTP, 429/5xx HTTP)
  kPermanentFailure,  // retrying will not help (rejected recipient, 4xx HTTP)
};

struct SendResult {
  SendOutcome outcome = SendOutcome::kSent;
  std::string error_code;  // empty when sent

  static SendResult Sent() { return {SendOutcome::kSent, ""}; }
  static SendResult Temporary(std::string code) {
    return {SendOutcome::kTemporaryFailure, std::move(code)};
  }
  static SendResult Permanent(std::string code) {
    return {SendOutcome::kPermanentFailure, std::move(code)};
  }
  bool ok() const { return outcome == SendOutcome::kSent; }
};

class Channel {
 public:
  virtual ~Channel() = default;
  virtual SendResult Send(const OutgoingMessage& message) = 0;
};

}  // namespace tandem::followup::delivery

#endif  // TANDEM_SERVICES_FOLLOWUP_DELIVERY_CHANNEL_H_
