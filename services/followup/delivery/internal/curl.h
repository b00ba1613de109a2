// What SmtpChannel and WebhookSmsChannel share of libcurl: one-time global
// initialisation, RAII handles, and the mapping of transport errors to the
// short codes channels report. Not for use outside this library.
#ifndef TANDEM_SERVICES_FOLLOWUP_DELIVERY_INTERNAL_CURL_H_
#define TANDEM_SERVICES_FOLLOWUP_DELIVERY_INTERNAL_CURL_H_

#include <curl/curl.h>

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/followup/delivery/channel.h"

namespace tandem::followup::delivery::internal {

struct CurlEasyDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct CurlListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlList = std::unique_ptr<curl_slist, CurlListDeleter>;

// A new easy handle (curl_global_init runs once, thread-safely, first) with
// the options every channel wants: no signals, the given connect and total
// timeouts, no proxy for loopback addresses.
CurlEasy NewEasy(absl::Duration connect_timeout, absl::Duration timeout);

// Appends a header line; the list is created on first use.
void AppendHeader(CurlList& list, const std::string& line);

// A failed transfer (rc != CURLE_OK) that produced no protocol reply, as a
// result with "<prefix>-timeout", "<prefix>-connect", "<prefix>-tls",
// "<prefix>-io" (temporary) or "<prefix>-curl-<rc>" (temporary).
SendResult TransportFailure(absl::string_view prefix, CURLcode rc);

}  // namespace tandem::followup::delivery::internal

#endif  // TANDEM_SERVICES_FOLLOWUP_DELIVERY_INTERNAL_CURL_H_
