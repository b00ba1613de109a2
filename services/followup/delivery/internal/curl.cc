#include "services/followup/delivery/internal/curl.h"

#include <mutex>

#include "absl/strings/str_cat.h"

namespace tandem::followup::delivery::internal {

CurlEasy NewEasy(absl::Duration connect_timeout, absl::Duration timeout) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CurlEasy curl(curl_easy_init());
  if (curl == nullptr) return curl;
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(
      curl.get(), CURLOPT_CONNECTTIMEOUT_MS,
      static_cast<long>(absl::ToInt64Milliseconds(connect_timeout)));
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(timeout)));
  // Proxies from the environment apply, but never to loopback.
  curl_easy_setopt(curl.get(), CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
  return curl;
}

void AppendHeader(CurlList& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (grown != nullptr) {
    (void)list.release();
    list.reset(grown);
  }
}

SendResult TransportFailure(absl::string_view prefix, CURLcode rc) {
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      return SendResult::Temporary(absl::StrCat(prefix, "-timeout"));
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
      return SendResult::Temporary(absl::StrCat(prefix, "-connect"));
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_USE_SSL_FAILED:
      return SendResult::Temporary(absl::StrCat(prefix, "-tls"));
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
      return SendResult::Temporary(absl::StrCat(prefix, "-io"));
    default:
      return SendResult::Temporary(
          absl::StrCat(prefix, "-curl-", static_cast<int>(rc)));
  }
}

}  // namespace tandem::followup::delivery::internal
