// GET /calendar/<token>.ics: a therapist's calendar subscription. Calendar
// apps fetch a URL on their own schedule and can neither sign in nor speak
// gRPC-Web, so this is the one route that knows a method: it asks
// RosterService.GetCalendarFeed (the token in the path is the credential,
// checked by the roster) and answers plain HTTP with the iCalendar body.
//
// The token is a secret: it never reaches the access log, a metric label
// or an error body; answers are never cached by anything in between.
#ifndef TANDEM_SERVICES_GATEWAY_CALENDAR_FEEDS_H_
#define TANDEM_SERVICES_GATEWAY_CALENDAR_FEEDS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tandem/roster/v1/roster_service.grpc.pb.h"

namespace tandem::gateway {

inline constexpr absl::string_view kCalendarPathPrefix = "/calendar/";

// The token of "/calendar/<token>.ics", if the path has that shape and the
// token only the characters a roster token is made of.
std::optional<std::string> CalendarFeedToken(absl::string_view path);

struct CalendarAnswer {
  int http_status = 200;
  std::string content_type;
  std::string body;
  int grpc_status = 0;  // the roster's answer, for the log and metrics
};

class CalendarFeeds {
 public:
  CalendarFeeds(std::shared_ptr<grpc::Channel> roster, absl::Duration timeout);

  // 200 with the calendar; 404 for a token the roster does not know (or
  // no longer honours); 503 when the roster cannot answer now.
  CalendarAnswer Fetch(const std::string& token) const;

 private:
  std::unique_ptr<roster::v1::RosterService::Stub> roster_;
  absl::Duration timeout_;
};

}  // namespace tandem::gateway

#endif  // TANDEM_SERVICES_GATEWAY_CALENDAR_FEEDS_H_
