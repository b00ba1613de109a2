#include "services/followup/delivery/webhook_sms_channel.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/followup/delivery/internal/curl.h"

namespace tandem::followup::delivery {
namespace {

// The provider's reply body is not needed (and may quote the message).
size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }

bool IsTemporaryStatus(long status) {
  return status == 408 || status == 429 || (status >= 500 && status < 600);
}

}  // namespace

absl::StatusOr<std::unique_ptr<WebhookSmsChannel>> WebhookSmsChannel::Create(
    WebhookSmsOptions options) {
  if (!absl::StartsWith(options.url, "http://") &&
      !absl::StartsWith(options.url, "https://")) {
    return absl::InvalidArgumentError(
        "sms webhook url: must start with http:// or https://");
  }
  return std::unique_ptr<WebhookSmsChannel>(
      new WebhookSmsChannel(std::move(options)));
}

std::string WebhookSmsChannel::BuildBody(const OutgoingMessage& message) {
  const nlohmann::json body = {
      {"to", message.to},
      {"text", message.body},
      {"idempotency_key", message.idempotency_key},
  };
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

SendResult WebhookSmsChannel::Send(const OutgoingMessage& message) {
  internal::CurlEasy curl =
      internal::NewEasy(options_.connect_timeout, options_.timeout);
  if (curl == nullptr) return SendResult::Temporary("sms-curl-init");
  const std::string body = BuildBody(message);
  internal::CurlList headers;
  internal::AppendHeader(headers, "Content-Type: application/json");
  internal::AppendHeader(
      headers, absl::StrCat("Idempotency-Key: ", message.idempotency_key));
  if (!options_.bearer_token.empty()) {
    internal::AppendHeader(
        headers, absl::StrCat("Authorization: Bearer ", options_.bearer_token));
  }
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                   static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Discard);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) return internal::TransportFailure("sms", rc);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) return SendResult::Sent();
  std::string code = absl::StrCat("sms-http-", status);
  return IsTemporaryStatus(status) ? SendResult::Temporary(std::move(code))
                                   : SendResult::Permanent(std::move(code));
}

}  // namespace tandem::followup::delivery
