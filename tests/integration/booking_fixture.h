// What the booking integration tests share: a seeded directory (a London
// clinic, two Finnish-speaking therapists, a joint and two individual
// rooms), a booking binary beside it, and one-line helpers for calls.
#ifndef TANDEM_TESTS_INTEGRATION_BOOKING_FIXTURE_H_
#define TANDEM_TESTS_INTEGRATION_BOOKING_FIXTURE_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "tandem/booking/v1/booking_service.grpc.pb.h"
#include "tandem/directory/v1/directory_service.grpc.pb.h"
#include "tests/integration/service_process.h"

namespace tandem::testing {

// A deadline so that no test waits forever on a call.
void SetDeadline(grpc::ClientContext& context,
                 absl::Duration timeout = absl::Seconds(10));

// One unary call with a deadline: Call(stub, &Stub::HoldIntensive, req, &resp).
template <typename Stub, typename Method, typename Request, typename Response>
grpc::Status Call(Stub& stub, Method method, const Request& request,
                  Response* response) {
  grpc::ClientContext context;
  SetDeadline(context);
  return (stub.*method)(&context, request, response);
}

// Seeds the directory through its own API (see above). Therapists are th-1
// (male) and th-2 (female), rooms rm-1 (joint), rm-2 and rm-3 (individual).
void SeedClinic(const std::shared_ptr<grpc::Channel>& channel);

tandem::common::v1::Date DateProto(absl::CivilDay day);

// Polls the booking service's health until it answers `want` (bounded).
bool WaitForBookingHealth(const std::shared_ptr<grpc::Channel>& channel,
                          const std::string& want);

// A seeded directory and a booking binary replicating it (with
// `booking_flags` added), booking SERVING. Fails the test on error.
struct BookingServices {
  std::unique_ptr<ServiceProcess> directory;
  std::unique_ptr<ServiceProcess> booking;
};
void StartBookingServices(const std::vector<std::string>& booking_flags,
                          BookingServices* out);

// One integer that `sql` selects from the SQLite file at `db_path`, read
// directly (not through the service).
int64_t QueryInt64(const std::string& db_path, const std::string& sql);

// Creates `couple` and books (proposes, holds the best plan, confirms) the
// ten-day intensive for it starting within a month from a week ahead; the
// request ids derive from `tag`. Returns the BOOKED intensive (test
// failures are recorded on error).
tandem::booking::v1::Intensive BookTenDayIntensive(
    tandem::booking::v1::BookingService::Stub& stub,
    const tandem::booking::v1::Couple& couple, const std::string& tag);

// A couple (Finnish-speaking, two partners with their sex recorded).
tandem::booking::v1::Couple TestCouple(const std::string& family_name);

}  // namespace tandem::testing

#endif  // TANDEM_TESTS_INTEGRATION_BOOKING_FIXTURE_H_
