#include "services/followup/delivery/smtp_channel.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "services/followup/delivery/internal/curl.h"

namespace tandem::followup::delivery {
namespace {

// Header values must not break out of their line.
std::string OneLine(absl::string_view text) {
  std::string out(text);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n'; },
      ' ');
  return out;
}

bool IsAscii(absl::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x80;
  });
}

// RFC 2047 encoded word for non-ASCII header text.
std::string HeaderText(absl::string_view text) {
  if (IsAscii(text)) return OneLine(text);
  return absl::StrCat("=?UTF-8?B?", absl::Base64Escape(OneLine(text)), "?=");
}

// Base64 in lines of 76 characters.
std::string Base64Lines(absl::string_view bytes) {
  const std::string encoded = absl::Base64Escape(bytes);
  std::string out;
  for (size_t i = 0; i < encoded.size(); i += 76) {
    absl::StrAppend(&out, encoded.substr(i, 76), "\r\n");
  }
  return out;
}

// Upload source for curl: hands out `text` in pieces.
struct Reader {
  absl::string_view text;
  static size_t Read(char* buffer, size_t size, size_t count, void* self) {
    auto* reader = static_cast<Reader*>(self);
    const size_t n = std::min(size * count, reader->text.size());
    std::memcpy(buffer, reader->text.data(), n);
    reader->text.remove_prefix(n);
    return n;
  }
};

}  // namespace

absl::StatusOr<std::unique_ptr<SmtpChannel>> SmtpChannel::Create(
    SmtpOptions options, common::Clock clock) {
  if (!absl::StartsWith(options.url, "smtp://") &&
      !absl::StartsWith(options.url, "smtps://")) {
    return absl::InvalidArgumentError(
        "smtp url: must start with smtp:// or smtps://");
  }
  const std::vector<absl::string_view> parts =
      absl::StrSplit(options.from, '@');
  if (parts.size() != 2 || parts[0].empty() || parts[1].empty() ||
      options.from != OneLine(options.from)) {
    return absl::InvalidArgumentError("smtp from: not an e-mail address");
  }
  return std::unique_ptr<SmtpChannel>(
      new SmtpChannel(std::move(options), std::move(clock)));
}

std::string SmtpChannel::BuildMessage(const OutgoingMessage& message,
                                      absl::Time now) const {
  const absl::string_view domain =
      absl::string_view(options_.from).substr(options_.from.find('@') + 1);
  const std::string from = options_.from_name.empty()
                               ? options_.from
                               : absl::StrCat(HeaderText(options_.from_name),
                                              " <", options_.from, ">");
  const std::string body = absl::StrReplaceAll(
      absl::StrReplaceAll(message.body, {{"\r\n", "\n"}}), {{"\n", "\r\n"}});
  const bool ascii = IsAscii(body);
  return absl::StrCat(
      "Date: ",
      absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", now, absl::UTCTimeZone()),
      "\r\n", "From: ", from, "\r\n", "To: ", OneLine(message.to), "\r\n",
      "Subject: ", HeaderText(message.subject), "\r\n", "Message-ID: <",
      OneLine(message.idempotency_key), "@", domain, ">\r\n",
      "X-Tandem-Idempotency-Key: ", OneLine(message.idempotency_key), "\r\n",
      "MIME-Version: 1.0\r\n", "Content-Type: text/plain; charset=UTF-8\r\n",
      "Content-Transfer-Encoding: ", ascii ? "7bit" : "base64", "\r\n", "\r\n",
      ascii ? body : Base64Lines(message.body));
}

SendResult SmtpChannel::Send(const OutgoingMessage& message) {
  internal::CurlEasy curl =
      internal::NewEasy(options_.connect_timeout, options_.timeout);
  if (curl == nullptr) return SendResult::Temporary("smtp-curl-init");
  const std::string text = BuildMessage(message, clock_());
  Reader reader{text};
  internal::CurlList recipients;
  internal::AppendHeader(recipients,
                         absl::StrCat("<", OneLine(message.to), ">"));
  const std::string mail_from = absl::StrCat("<", options_.from, ">");
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, &Reader::Read);
  curl_easy_setopt(c, CURLOPT_READDATA, &reader);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE,
                   static_cast<curl_off_t>(text.size()));
  if (options_.starttls) curl_easy_setopt(c, CURLOPT_USE_SSL, CURLUSESSL_ALL);
  if (!options_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
  }
  const CURLcode rc = curl_easy_perform(c);
  long reply = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
  if (rc == CURLE_OK) return SendResult::Sent();
  if (rc == CURLE_LOGIN_DENIED) return SendResult::Temporary("smtp-auth");
  if (reply >= 500 && reply < 600) {
    return SendResult::Permanent(absl::StrCat("smtp-", reply));
  }
  if (reply >= 400 && reply < 500) {
    return SendResult::Temporary(absl::StrCat("smtp-", reply));
  }
  return internal::TransportFailure("smtp", rc);
}

}  // namespace tandem::followup::delivery
