#include "services/gateway/calendar_feeds.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace tandem::gateway {
namespace {

constexpr absl::string_view kSuffix = ".ics";
// Roster tokens are well under this (about 90 characters).
constexpr size_t kMaxTokenLength = 512;
constexpr char kText[] = "text/plain; charset=utf-8";

bool IsTokenChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '_' || c == '.';
}

CalendarAnswer Text(int http_status, int grpc_status, const char* text) {
  return {.http_status = http_status,
          .content_type = kText,
          .body = std::string(text) + "\n",
          .grpc_status = grpc_status};
}

}  // namespace

std::optional<std::string> CalendarFeedToken(absl::string_view path) {
  if (!absl::ConsumePrefix(&path, kCalendarPathPrefix) ||
      !absl::ConsumeSuffix(&path, kSuffix) || path.empty() ||
      path.size() > kMaxTokenLength) {
    return std::nullopt;
  }
  for (char c : path) {
    if (!IsTokenChar(c)) return std::nullopt;
  }
  return std::string(path);
}

CalendarFeeds::CalendarFeeds(std::shared_ptr<grpc::Channel> roster,
                             absl::Duration timeout)
    : roster_(roster::v1::RosterService::NewStub(std::move(roster))),
      timeout_(timeout) {}

CalendarAnswer CalendarFeeds::Fetch(const std::string& token) const {
  roster::v1::GetCalendarFeedRequest request;
  request.set_feed_token(token);
  roster::v1::GetCalendarFeedResponse response;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
  const grpc::Status status =
      roster_->GetCalendarFeed(&context, request, &response);
  const int code = static_cast<int>(status.error_code());
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return {.http_status = 200,
              .content_type = response.feed().content_type(),
              .body = std::move(*response.mutable_feed()->mutable_content()),
              .grpc_status = code};
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::INVALID_ARGUMENT:
      return Text(404, code, "no such calendar feed");
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return Text(503, code, "the calendar cannot be read now; try again later");
    default:
      // The roster's own words may name what it could not read; the
      // calendar app needs only to know it failed.
      return Text(502, code, "the calendar could not be made");
  }
}

}  // namespace tandem::gateway
