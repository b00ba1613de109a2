#include "bench/roster/service_stack.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/booking/process_stats.h"
#include "tandem/directory/v1/directory_service.grpc.pb.h"
#include "tandem/followup/v1/followup_service.grpc.pb.h"
#include "tests/integration/health_check.h"

namespace tandem::bench {
namespace {

namespace fu = ::tandem::followup::v1;
using ::tandem::testing::ServiceProcess;

constexpr absl::Duration kServingTimeout = absl::Seconds(300);

// Starts `binary` and finds its pid by the harness's unique --db argument.
absl::Status StartOne(const std::string& binary, std::vector<std::string> args,
                      std::unique_ptr<ServiceProcess>& process, pid_t& pid) {
  auto started = ServiceProcess::Start(binary, std::move(args));
  if (!started.ok()) return started.status();
  process = std::move(*started);
  absl::StatusOr<pid_t> found =
      FindChildByArgument(absl::StrCat("--db=", process->db_path()));
  if (!found.ok()) return found.status();
  pid = *found;
  return absl::OkStatus();
}

absl::Status WaitForServing(const ServiceProcess& process,
                            const std::string& service) {
  const absl::Time give_up = absl::Now() + kServingTimeout;
  std::string reply;
  while (!testing::CheckHealth(process.channel(), service, &reply).ok() ||
         reply != testing::kServingReply) {
    if (absl::Now() > give_up) {
      return absl::DeadlineExceededError(absl::StrCat(
          service, " never reported SERVING; its log:\n", process.ReadLog()));
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::OkStatus();
}

// How many items a follow-up List method returns over all its pages;
// `size` counts one response's items.
template <typename Request, typename Response, typename Method, typename Size>
absl::StatusOr<int> CountAll(fu::FollowUpService::Stub& stub, Method method,
                             Request request, Size size) {
  request.set_page_size(1000);
  int count = 0;
  do {
    Response response;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    const grpc::Status status = (stub.*method)(&context, request, &response);
    if (!status.ok()) {
      return absl::Status(
          static_cast<absl::StatusCode>(status.error_code()),
          absl::StrCat("follow-up list: ", status.error_message()));
    }
    count += size(response);
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return count;
}

absl::StatusOr<int> CountPlans(fu::FollowUpService::Stub& stub) {
  return CountAll<fu::ListFollowUpPlansRequest, fu::ListFollowUpPlansResponse>(
      stub, &fu::FollowUpService::Stub::ListFollowUpPlans, {},
      [](const auto& r) { return r.follow_up_plans_size(); });
}

absl::StatusOr<int> CountScheduledContacts(fu::FollowUpService::Stub& stub) {
  fu::ListFollowUpContactsRequest request;
  request.add_statuses(fu::CONTACT_STATUS_SCHEDULED);
  return CountAll<fu::ListFollowUpContactsRequest,
                  fu::ListFollowUpContactsResponse>(
      stub, &fu::FollowUpService::Stub::ListFollowUpContacts, request,
      [](const auto& r) { return r.follow_up_contacts_size(); });
}

}  // namespace

absl::Status StartDirectoryAndBooking(const ServiceBinaries& binaries,
                                      const scheduler::Snapshot& snapshot,
                                      int day_shift,
                                      const std::string& time_zone,
                                      ServiceStack& stack) {
  absl::Status status =
      StartOne(binaries.directory, {}, stack.directory, stack.directory_pid);
  if (!status.ok()) return status;
  auto directory =
      directory::v1::DirectoryService::NewStub(stack.directory->channel());
  const absl::Time t0 = absl::Now();
  absl::StatusOr<SeededClinic> seeded =
      SeedDirectory(*directory, snapshot, day_shift, time_zone);
  if (!seeded.ok()) return seeded.status();
  stack.seed_time = absl::Now() - t0;
  stack.seeded = std::move(*seeded);
  status = StartOne(binaries.booking,
                    {absl::StrCat("--directory=", stack.directory->target()),
                     absl::StrCat("--synchronous=", binaries.synchronous)},
                    stack.booking, stack.booking_pid);
  if (!status.ok()) return status;
  return WaitForServing(*stack.booking, "tandem.booking.v1.BookingService");
}

absl::Status StartFollowUpAndRoster(const ServiceBinaries& binaries,
                                    ServiceStack& stack) {
  absl::Status status =
      StartOne(binaries.followup,
               {absl::StrCat("--booking=", stack.booking->target()),
                absl::StrCat("--directory=", stack.directory->target()),
                absl::StrCat("--synchronous=", binaries.synchronous)},
               stack.followup, stack.followup_pid);
  if (!status.ok()) return status;
  status = StartOne(
      binaries.roster,
      {absl::StrCat("--directory=", stack.directory->target()),
       absl::StrCat("--booking=", stack.booking->target()),
       absl::StrCat("--followup=", stack.followup->target()),
       absl::StrCat("--downstream_timeout=", binaries.downstream_timeout)},
      stack.roster, stack.roster_pid);
  if (!status.ok()) return status;
  status =
      WaitForServing(*stack.followup, "tandem.followup.v1.FollowUpService");
  if (!status.ok()) return status;
  return WaitForServing(*stack.roster, "tandem.roster.v1.RosterService");
}

absl::StatusOr<int> WaitForFollowUpPlans(ServiceStack& stack, int want,
                                         absl::Duration timeout) {
  auto stub = fu::FollowUpService::NewStub(stack.followup->channel());
  const absl::Time give_up = absl::Now() + timeout;
  while (true) {
    absl::StatusOr<int> count = CountPlans(*stub);
    if (!count.ok() || *count >= want) return count;
    if (absl::Now() > give_up) {
      return absl::DeadlineExceededError(
          absl::StrCat("follow-up lists ", *count, " plans, want ", want));
    }
    absl::SleepFor(absl::Milliseconds(500));
  }
}

absl::StatusOr<int> WaitForScheduledContacts(ServiceStack& stack,
                                             absl::Duration settle,
                                             absl::Duration timeout) {
  auto stub = fu::FollowUpService::NewStub(stack.followup->channel());
  const absl::Time give_up = absl::Now() + timeout;
  int last = -1;
  absl::Time since = absl::Now();
  while (true) {
    absl::StatusOr<int> count = CountScheduledContacts(*stub);
    if (!count.ok()) return count;
    if (*count != last) {
      last = *count;
      since = absl::Now();
    } else if (absl::Now() - since >= settle) {
      return last;
    }
    if (absl::Now() > give_up) {
      return absl::DeadlineExceededError(absl::StrCat(
          "follow-up still scheduling contacts (", last, " so far)"));
    }
    absl::SleepFor(absl::Milliseconds(500));
  }
}

}  // namespace tandem::bench
