// booking_load: a load client for the booking service, through the real
// directory and booking binaries over gRPC on loopback.
//
//  1. Starts the directory (port 0, temp dir) and seeds it, through its API,
//     with a generated clinic of size S, M or L (loaded_clinic.h), moved to
//     start on the first matching weekday after today.
//  2. Starts the booking service (default --synchronous=FULL) and waits until
//     its health says SERVING and ProposeIntensive returns plans.
//  3. Books --bookings intensives with 1 client, then --bookings more with
//     --clients concurrent clients: per booking one Propose, then Hold and
//     Confirm of the best plan (ABORTED: propose again). Couples are created
//     before the timed part, without referrals (nothing unsettled).
//  4. Optionally books --preload more intensives, untimed.
//  5. Measures ProposeIntensive (read-only) for fresh couples: --proposals
//     calls with one client, then the same requests with --propose_clients.
//  6. Reads the booking process's VmRSS after each step.
// Prints a Markdown report (and writes it to --report when given).
//
//   booking_load --size=L --proposals=300 --bookings=200 --clients=4
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <latch>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/test_security.h"
#include "absl/container/flat_hash_map.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/booking/clinic_seeder.h"
#include "bench/booking/latency.h"
#include "bench/booking/process_stats.h"
#include "scheduler/testing/loaded_clinic.h"
#include "services/common/proto_time.h"
#include "tandem/booking/v1/booking_service.grpc.pb.h"
#include "tandem/directory/v1/directory_service.grpc.pb.h"
#include "tests/integration/health_check.h"
#include "tests/integration/service_process.h"

ABSL_FLAG(std::string, directory_binary, TANDEM_DIRECTORY_BINARY,
          "the directory service binary");
ABSL_FLAG(std::string, booking_binary, TANDEM_BOOKING_BINARY,
          "the booking service binary");
ABSL_FLAG(std::string, size, "L", "generated clinic: S, M or L");
ABSL_FLAG(int, proposals, 200,
          "ProposeIntensive calls per latency run (after 10 warm-up calls)");
ABSL_FLAG(int, bookings, 200, "intensives to book in each Hold+Confirm run");
ABSL_FLAG(int, clients, 4, "concurrent clients of the second booking run");
ABSL_FLAG(int, propose_clients, 2,
          "concurrent clients of the second ProposeIntensive run");
ABSL_FLAG(int, preload, 0,
          "more intensives to book (untimed, --clients clients) before the "
          "ProposeIntensive runs");
ABSL_FLAG(uint64_t, seed, 42, "seed of the clinic and of the requests");
ABSL_FLAG(std::string, time_zone, "Europe/London", "the clinic's time zone");
ABSL_FLAG(std::string, synchronous, "FULL",
          "the booking service's --synchronous (FULL is its default)");
ABSL_FLAG(std::string, report, "",
          "also write the Markdown report to this file");

namespace tandem::bench {
namespace {

namespace v1 = ::tandem::booking::v1;
namespace dir = ::tandem::directory::v1;
using ::tandem::testing::ServiceProcess;
using Stub = v1::BookingService::Stub;

constexpr char kTemplate[] = "pt-1";  // the shipped ten-day intensive
constexpr int kWarmUpCalls = 10;
constexpr int kWindowsPerBooking = 4;  // windows tried before giving up
constexpr int kAbortRetries = 3;       // proposals per window after ABORTED
constexpr absl::Duration kCallTimeout = absl::Seconds(60);
constexpr absl::Duration kReadyTimeout = absl::Seconds(120);

template <typename Method, typename Request, typename Response>
grpc::Status Call(Stub& stub, Method method, const Request& request,
                  Response* response) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kCallTimeout));
  return (stub.*method)(&context, request, response);
}

// A channel with its own connection, as a separate client would have.
std::unique_ptr<Stub> NewClientStub(const std::string& target) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return v1::BookingService::NewStub(grpc::CreateCustomChannel(
      target, ::tandem::testing::UserCredentials(::tandem::testing::OperatorToken()), args));
}

// Collects the first few unexpected errors for the report.
class ErrorLog {
 public:
  void Add(const std::string& what, const grpc::Status& status) {
    absl::MutexLock lock(&mu_);
    ++count_;
    if (samples_.size() < 5) {
      samples_.push_back(absl::StrCat(what, ": code ", status.error_code(),
                                      " \"", status.error_message(), "\""));
    }
  }
  int count() const {
    absl::MutexLock lock(&mu_);
    return count_;
  }
  std::vector<std::string> samples() const {
    absl::MutexLock lock(&mu_);
    return samples_;
  }

 private:
  mutable absl::Mutex mu_;
  int count_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::string> samples_ ABSL_GUARDED_BY(mu_);
};

// Counts the reasons of proposals that came back without a plan.
class NoPlanLog {
 public:
  void Add(const v1::ProposeIntensiveRequest& request,
           const v1::Explanation& explanation) {
    absl::MutexLock lock(&mu_);
    {
      const int code =
          explanation.reasons_size() > 0 ? explanation.reasons(0).code() : 0;
      last_window_[code] = absl::StrFormat(
          "%s: %s, %d-%02d-%02d..%d-%02d-%02d, day part %s",
          explanation.reasons_size() > 0
              ? v1::ProposalReasonCode_Name(explanation.reasons(0).code())
              : "no reason",
          request.couple_id(), request.earliest_start().year(),
          request.earliest_start().month(), request.earliest_start().day(),
          request.latest_start().year(), request.latest_start().month(),
          request.latest_start().day(),
          v1::DayPart_Name(request.preferences().day_part()));
    }
    if (explanation.reasons_size() == 0) {
      ++counts_["(no reason given)"];
      return;
    }
    const v1::ProposalReason& first = explanation.reasons(0);
    std::string& sample = samples_[first.code()];
    if (sample.empty()) sample = first.message();
    ++counts_[v1::ProposalReasonCode_Name(first.code())];
  }
  // Markdown list items: counts per first reason, a sample message per
  // reason and the latest request per reason; empty if nothing was added.
  std::string Describe() const {
    absl::MutexLock lock(&mu_);
    std::string out;
    for (const auto& [code, count] : counts_) {
      absl::StrAppend(&out, "  - first reason ", code, ": ", count, "\n");
    }
    for (const auto& [code, message] : samples_) {
      absl::StrAppend(&out, "  - e.g. ", v1::ProposalReasonCode_Name(code),
                      ": \"", message, "\"\n");
    }
    for (const auto& [code, window] : last_window_) {
      absl::StrAppend(&out, "  - latest request without a plan, ", window,
                      "\n");
    }
    return out;
  }

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, int> counts_ ABSL_GUARDED_BY(mu_);
  std::map<v1::ProposalReasonCode, std::string> samples_ ABSL_GUARDED_BY(mu_);
  // The latest request without a plan, per first reason code.
  std::map<int, std::string> last_window_ ABSL_GUARDED_BY(mu_);
};

v1::DayPart ToDayPart(scheduler::TimeOfDay time_of_day) {
  switch (time_of_day) {
    case scheduler::TimeOfDay::kMorning:
      return v1::DAY_PART_MORNING;
    case scheduler::TimeOfDay::kAfternoon:
      return v1::DAY_PART_AFTERNOON;
    default:  // kAny, and kEvening, which the API has no word for
      return v1::DAY_PART_ANY;
  }
}

// Propose requests in the API's terms: the generated requests' windows moved
// by the seeder's day shift, languages as tags.
struct ProposeSpec {
  v1::ProposeIntensiveRequest request;  // couple_id left empty
  std::string language;
};

std::vector<ProposeSpec> MakeSpecs(const scheduler::Snapshot& snapshot,
                                   int count, uint64_t seed, int day_shift) {
  std::vector<ProposeSpec> out;
  for (const scheduler::Request& r :
       scheduler::testing::RandomRequests(snapshot, count, seed, "load")) {
    ProposeSpec& spec = out.emplace_back();
    spec.language = LanguageTag(r.language);
    spec.request.set_template_id(kTemplate);
    *spec.request.mutable_earliest_start() =
        common::DayToProto(r.earliest_start + day_shift);
    *spec.request.mutable_latest_start() =
        common::DayToProto(r.latest_start + day_shift);
    spec.request.mutable_preferences()->set_day_part(
        ToDayPart(r.preferences.time_of_day));
  }
  return out;
}

// Creates a couple without referrals: two partners with their sex recorded.
absl::StatusOr<std::string> CreateCouple(Stub& stub, const std::string& key,
                                         const std::string& language) {
  v1::CreateCoupleRequest request;
  request.set_request_id(absl::StrCat("couple-", key));
  v1::Couple& couple = *request.mutable_couple();
  couple.set_language(language);
  v1::Partner& a = *couple.mutable_partner_a();
  a.set_given_name("Alex");
  a.set_family_name(absl::StrCat("Load", key));
  a.set_sex(v1::SEX_MALE);
  a.set_phone("+441632960001");
  a.set_preferred_channel(v1::CONTACT_CHANNEL_SMS);
  a.set_sms_consent(true);
  v1::Partner& b = *couple.mutable_partner_b();
  b.set_given_name("Sam");
  b.set_family_name(absl::StrCat("Load", key));
  b.set_sex(v1::SEX_FEMALE);
  b.set_preferred_channel(v1::CONTACT_CHANNEL_NONE);
  v1::CreateCoupleResponse response;
  grpc::Status status = Call(stub, &Stub::CreateCouple, request, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        absl::StrCat("CreateCouple: ", status.error_message()));
  }
  return response.couple().id();
}

// ---------------------------------------------------------------------------
// Startup
// ---------------------------------------------------------------------------

struct Services {
  std::unique_ptr<ServiceProcess> directory;
  std::unique_ptr<ServiceProcess> booking;
  pid_t booking_pid = 0;
  pid_t directory_pid = 0;
  absl::Duration seed_time;
  absl::Duration ready_time;  // booking start -> first plan
  int seed_calls = 0;
  std::vector<std::string> languages;
};

absl::Status WaitUntilPlanning(Stub& stub, const std::string& target,
                               const std::string& couple_id,
                               absl::CivilDay first_day) {
  const absl::Time give_up = absl::Now() + kReadyTimeout;
  std::string reply;
  auto channel =
      grpc::CreateChannel(target, ::tandem::testing::UserCredentials(::tandem::testing::OperatorToken()));
  while (
      !testing::CheckHealth(channel, "tandem.booking.v1.BookingService", &reply)
           .ok() ||
      reply != testing::kServingReply) {
    if (absl::Now() > give_up) {
      return absl::DeadlineExceededError("booking never reported SERVING");
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  v1::ProposeIntensiveRequest request;
  request.set_couple_id(couple_id);
  request.set_template_id(kTemplate);
  *request.mutable_earliest_start() = common::DayToProto(first_day);
  *request.mutable_latest_start() = common::DayToProto(first_day + 30);
  grpc::Status last;
  while (absl::Now() < give_up) {
    v1::ProposeIntensiveResponse response;
    last = Call(stub, &Stub::ProposeIntensive, request, &response);
    if (last.ok() && response.plans_size() > 0) return absl::OkStatus();
    absl::SleepFor(absl::Milliseconds(100));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("ProposeIntensive returned no plans in time; last status ",
                   last.error_code(), " ", last.error_message()));
}

// ---------------------------------------------------------------------------
// Hold + Confirm
// ---------------------------------------------------------------------------

struct BookingRun {
  std::string label;  // empty for the measured runs
  int clients = 0;
  int wanted = 0;
  int booked = 0;
  int aborted = 0;       // holds refused with ABORTED (time taken meanwhile)
  int windows_full = 0;  // proposals with no plan (next window tried)
  int gave_up = 0;       // bookings with no plan in any window
  absl::Duration wall;   // all clients, Propose + Hold + Confirm
  std::vector<absl::Duration> propose, hold, confirm;
};

// Books `specs.size() / kWindowsPerBooking` intensives; booking k is for
// couples[k] and tries the windows of specs[k], specs[n + k], ...
BookingRun RunBookings(const std::string& target,
                       const std::vector<std::string>& couples,
                       const std::vector<ProposeSpec>& specs, int clients,
                       const std::string& tag, ErrorLog& errors,
                       NoPlanLog& no_plans) {
  const int n = static_cast<int>(couples.size());
  BookingRun run;
  run.clients = clients;
  run.wanted = n;
  absl::Mutex mu;
  std::atomic<int> next{0};
  std::latch start(clients + 1);
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      std::unique_ptr<Stub> stub = NewClientStub(target);
      std::vector<absl::Duration> propose, hold, confirm;
      int booked = 0, aborted = 0, windows_full = 0, gave_up = 0;
      start.arrive_and_wait();
      for (int k = next++; k < n; k = next++) {
        bool done = false;
        for (int w = 0; w < kWindowsPerBooking && !done; ++w) {
          v1::ProposeIntensiveRequest request = specs[w * n + k].request;
          request.set_couple_id(couples[k]);
          for (int attempt = 0; attempt <= kAbortRetries && !done; ++attempt) {
            v1::ProposeIntensiveResponse proposed;
            absl::Time t0 = absl::Now();
            grpc::Status status =
                Call(*stub, &Stub::ProposeIntensive, request, &proposed);
            propose.push_back(absl::Now() - t0);
            if (!status.ok()) {
              errors.Add("ProposeIntensive", status);
              break;
            }
            if (proposed.plans_size() == 0) {
              ++windows_full;
              no_plans.Add(request, proposed.explanation());
              break;
            }
            v1::HoldIntensiveRequest hold_request;
            hold_request.set_request_id(
                absl::StrCat(tag, "-hold-", k, "-", w, "-", attempt));
            hold_request.set_couple_id(couples[k]);
            *hold_request.mutable_plan() = proposed.plans(0);
            v1::HoldIntensiveResponse held;
            t0 = absl::Now();
            status = Call(*stub, &Stub::HoldIntensive, hold_request, &held);
            const absl::Duration hold_time = absl::Now() - t0;
            if (status.error_code() == grpc::StatusCode::ABORTED) {
              ++aborted;
              continue;
            }
            if (!status.ok()) {
              errors.Add("HoldIntensive", status);
              break;
            }
            hold.push_back(hold_time);
            v1::ConfirmIntensiveRequest confirm_request;
            confirm_request.set_request_id(absl::StrCat(tag, "-confirm-", k));
            confirm_request.set_id(held.intensive().id());
            v1::ConfirmIntensiveResponse confirmed;
            t0 = absl::Now();
            status = Call(*stub, &Stub::ConfirmIntensive, confirm_request,
                          &confirmed);
            confirm.push_back(absl::Now() - t0);
            if (!status.ok()) {
              errors.Add("ConfirmIntensive", status);
            } else if (confirmed.intensive().status() !=
                       v1::INTENSIVE_STATUS_BOOKED) {
              errors.Add("ConfirmIntensive (status not BOOKED)", status);
            } else {
              ++booked;
            }
            done = true;
          }
        }
        if (!done) ++gave_up;
      }
      absl::MutexLock lock(&mu);
      run.propose.insert(run.propose.end(), propose.begin(), propose.end());
      run.hold.insert(run.hold.end(), hold.begin(), hold.end());
      run.confirm.insert(run.confirm.end(), confirm.begin(), confirm.end());
      run.booked += booked;
      run.aborted += aborted;
      run.windows_full += windows_full;
      run.gave_up += gave_up;
    });
  }
  start.arrive_and_wait();
  const absl::Time began = absl::Now();
  for (std::thread& t : threads) t.join();
  run.wall = absl::Now() - began;
  return run;
}

// ---------------------------------------------------------------------------
// ProposeIntensive latency
// ---------------------------------------------------------------------------

struct ProposeRun {
  int clients = 0;
  int with_plans = 0;
  int plans = 0;
  absl::Duration wall;
  std::vector<absl::Duration> latency;
  // The same calls split by outcome: plans found, or only an explanation
  // (which also searches for the earliest later start).
  std::vector<absl::Duration> with_plans_latency, without_plans_latency;
};

ProposeRun RunProposals(const std::string& target,
                        const std::vector<ProposeSpec>& specs,
                        const std::vector<std::string>& couple_ids, int clients,
                        ErrorLog& errors) {
  ProposeRun run;
  run.clients = clients;
  absl::Mutex mu;
  std::atomic<int> next{0};
  const int n = static_cast<int>(specs.size());
  std::latch start(clients + 1);
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      std::unique_ptr<Stub> stub = NewClientStub(target);
      std::vector<absl::Duration> latency, with, without;
      int with_plans = 0, plans = 0;
      start.arrive_and_wait();
      for (int k = next++; k < n; k = next++) {
        v1::ProposeIntensiveRequest request = specs[k].request;
        request.set_couple_id(couple_ids[k]);
        v1::ProposeIntensiveResponse response;
        const absl::Time t0 = absl::Now();
        grpc::Status status =
            Call(*stub, &Stub::ProposeIntensive, request, &response);
        latency.push_back(absl::Now() - t0);
        if (!status.ok()) {
          errors.Add("ProposeIntensive", status);
          continue;
        }
        with_plans += response.plans_size() > 0;
        plans += response.plans_size();
        (response.plans_size() > 0 ? with : without).push_back(latency.back());
      }
      absl::MutexLock lock(&mu);
      run.latency.insert(run.latency.end(), latency.begin(), latency.end());
      run.with_plans_latency.insert(run.with_plans_latency.end(), with.begin(),
                                    with.end());
      run.without_plans_latency.insert(run.without_plans_latency.end(),
                                       without.begin(), without.end());
      run.with_plans += with_plans;
      run.plans += plans;
    });
  }
  start.arrive_and_wait();
  const absl::Time began = absl::Now();
  for (std::thread& t : threads) t.join();
  run.wall = absl::Now() - began;
  return run;
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

std::string LatencyRow(const std::string& what, int clients,
                       const std::vector<absl::Duration>& samples,
                       const std::string& note) {
  const LatencySummary s = Summarize(samples);
  return absl::StrCat("| ", what, " | ", clients, " | ", s.count, " | ",
                      Millis(s.p50), " | ", Millis(s.p90), " | ", Millis(s.p99),
                      " | ", Millis(s.max), " | ", note, " |\n");
}

std::string BookingRows(const BookingRun& run) {
  const double rate = run.booked / absl::ToDoubleSeconds(run.wall);
  absl::Duration hold_confirm;
  for (absl::Duration d : run.hold) hold_confirm += d;
  for (absl::Duration d : run.confirm) hold_confirm += d;
  // Bookings per second if the clients did nothing but Hold and Confirm at
  // the latencies measured here (Propose excluded).
  const double hc_rate =
      hold_confirm > absl::ZeroDuration()
          ? run.booked / (absl::ToDoubleSeconds(hold_confirm) / run.clients)
          : 0;
  std::string out = absl::StrFormat(
      "| Propose+Hold+Confirm, %d client(s)%s | %d / %d booked | %.2f s | "
      "**%.1f bookings/s** | %.1f bookings/s | %d | %d | %d |\n",
      run.clients, run.label.empty() ? "" : absl::StrCat(", ", run.label),
      run.booked, run.wanted, absl::ToDoubleSeconds(run.wall), rate, hc_rate,
      run.aborted, run.windows_full, run.gave_up);
  return out;
}

std::string MemoryRow(const std::string& when, pid_t pid) {
  absl::StatusOr<ProcessMemory> memory = ReadProcessMemory(pid);
  if (!memory.ok()) {
    return absl::StrCat("| ", when, " | ", memory.status().ToString(),
                        " | |\n");
  }
  return absl::StrFormat("| %s | %.1f MiB | %.1f MiB |\n", when,
                         memory->rss_kib / 1024.0, memory->hwm_kib / 1024.0);
}

// Lines of the service's log at warning level or worse: count and samples.
std::string LogFindings(const std::string& name, const std::string& log) {
  int count = 0;
  std::vector<std::string> samples;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (!absl::StrContains(line, R"("level":"error")") &&
        !absl::StrContains(line, R"("level":"warning")") &&
        !absl::StrContains(line, R"("level":"critical")")) {
      continue;
    }
    ++count;
    if (samples.size() < 5) samples.emplace_back(line.substr(0, 400));
  }
  std::string out = absl::StrCat("- ", name, " log: ", count,
                                 " line(s) at warning level or worse",
                                 count ? ":" : "", "\n");
  for (const std::string& line : samples) {
    absl::StrAppend(&out, "  `", line, "`\n");
  }
  return out;
}

absl::StatusOr<scheduler::testing::ClinicSize> ParseSize(
    const std::string& size) {
  if (size == "S") return scheduler::testing::ClinicSize::kS;
  if (size == "M") return scheduler::testing::ClinicSize::kM;
  if (size == "L") return scheduler::testing::ClinicSize::kL;
  return absl::InvalidArgumentError("--size must be S, M or L");
}

absl::Status Run(const std::string& command) {
  const MachineFacts machine = ReadMachineFacts();
  absl::StatusOr<scheduler::testing::ClinicSize> size =
      ParseSize(absl::GetFlag(FLAGS_size));
  if (!size.ok()) return size.status();
  const uint64_t seed = absl::GetFlag(FLAGS_seed);
  const int proposals = absl::GetFlag(FLAGS_proposals);
  const int bookings = absl::GetFlag(FLAGS_bookings);
  const int clients = absl::GetFlag(FLAGS_clients);
  const int propose_clients = absl::GetFlag(FLAGS_propose_clients);
  const int preload = absl::GetFlag(FLAGS_preload);
  if (proposals < 1 || bookings < 1 || clients < 1 || propose_clients < 1 ||
      preload < 0) {
    return absl::InvalidArgumentError(
        "--proposals, --bookings, --clients and --propose_clients must be "
        "positive, --preload not negative");
  }
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(absl::GetFlag(FLAGS_time_zone), &zone)) {
    return absl::InvalidArgumentError("--time_zone is not a known zone");
  }

  const absl::Time generate_start = absl::Now();
  const scheduler::testing::LoadedClinic clinic =
      scheduler::testing::GenerateLoadedClinic(*size, seed);
  const scheduler::Snapshot& snapshot = clinic.snapshot;
  const absl::Duration generate_time = absl::Now() - generate_start;
  // The first day after today on the generated start's weekday.
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), zone);
  absl::CivilDay first_day = today + 1;
  while (absl::GetWeekday(first_day) != absl::GetWeekday(snapshot.today)) {
    ++first_day;
  }
  const int day_shift = static_cast<int>(first_day - snapshot.today);
  std::cerr << "generated clinic in " << generate_time << "; starts "
            << absl::FormatCivilTime(first_day) << "\n";

  Services services;
  {
    auto directory =
        ServiceProcess::Start(absl::GetFlag(FLAGS_directory_binary), {});
    if (!directory.ok()) return directory.status();
    services.directory = std::move(*directory);
  }
  {
    auto stub = dir::DirectoryService::NewStub(services.directory->channel());
    const absl::Time t0 = absl::Now();
    absl::StatusOr<SeededClinic> seeded = SeedDirectory(
        *stub, snapshot, day_shift, absl::GetFlag(FLAGS_time_zone));
    if (!seeded.ok()) return seeded.status();
    services.seed_time = absl::Now() - t0;
    services.seed_calls = seeded->calls;
    services.languages = seeded->languages;
  }
  std::cerr << "seeded directory: " << services.seed_calls << " calls in "
            << services.seed_time << "\n";
  const absl::Time booking_start = absl::Now();
  {
    auto booking = ServiceProcess::Start(
        absl::GetFlag(FLAGS_booking_binary),
        {absl::StrCat("--directory=", services.directory->target()),
         absl::StrCat("--synchronous=", absl::GetFlag(FLAGS_synchronous))});
    if (!booking.ok()) return booking.status();
    services.booking = std::move(*booking);
  }
  const std::string target = services.booking->target();
  {
    auto pid =
        FindChildByArgument(absl::StrCat("--db=", services.booking->db_path()));
    if (!pid.ok()) return pid.status();
    services.booking_pid = *pid;
    pid = FindChildByArgument(
        absl::StrCat("--db=", services.directory->db_path()));
    if (!pid.ok()) return pid.status();
    services.directory_pid = *pid;
  }
  std::unique_ptr<Stub> stub = NewClientStub(target);
  {
    absl::StatusOr<std::string> probe = CreateCouple(*stub, "probe", "en");
    if (!probe.ok()) return probe.status();
    absl::Status ready = WaitUntilPlanning(*stub, target, *probe, first_day);
    if (!ready.ok()) {
      return absl::Status(ready.code(),
                          absl::StrCat(ready.message(), "\nbooking log:\n",
                                       services.booking->ReadLog()));
    }
  }
  services.ready_time = absl::Now() - booking_start;
  std::cerr << "booking planning after " << services.ready_time << "\n";

  std::string memory_rows;
  absl::StrAppend(&memory_rows, MemoryRow("clinic loaded, no bookings",
                                          services.booking_pid));
  ErrorLog errors;
  NoPlanLog no_plans;

  // Hold + Confirm: couples first (untimed), then the timed runs.
  auto make_couples = [&](const std::string& tag,
                          const std::vector<ProposeSpec>& specs,
                          int n) -> absl::StatusOr<std::vector<std::string>> {
    std::vector<std::string> ids;
    for (int k = 0; k < n; ++k) {
      absl::StatusOr<std::string> id =
          CreateCouple(*stub, absl::StrCat(tag, k), specs[k].language);
      if (!id.ok()) return id.status();
      ids.push_back(*id);
    }
    return ids;
  };
  std::vector<BookingRun> booking_runs;
  int run_index = 0;
  for (const int run_clients : {1, clients}) {
    const std::string tag = absl::StrCat("b", run_index);
    const std::vector<ProposeSpec> specs =
        MakeSpecs(snapshot, bookings * kWindowsPerBooking, seed + 1 + run_index,
                  day_shift);
    auto couples = make_couples(tag, specs, bookings);
    if (!couples.ok()) return couples.status();
    std::cerr << "booking " << bookings << " intensives with " << run_clients
              << " client(s)\n";
    booking_runs.push_back(RunBookings(target, *couples, specs, run_clients,
                                       tag, errors, no_plans));
    ++run_index;
  }
  int total_booked = 0;
  for (const BookingRun& run : booking_runs) total_booked += run.booked;
  if (preload > 0) {
    const std::vector<ProposeSpec> specs =
        MakeSpecs(snapshot, preload * kWindowsPerBooking, seed + 10, day_shift);
    auto couples = make_couples("pre", specs, preload);
    if (!couples.ok()) return couples.status();
    std::cerr << "preloading " << preload << " intensives\n";
    BookingRun run =
        RunBookings(target, *couples, specs, clients, "pre", errors, no_plans);
    run.label = "preload (untimed in the brief's sense)";
    total_booked += run.booked;
    booking_runs.push_back(std::move(run));
  }
  absl::StrAppend(&memory_rows,
                  MemoryRow(absl::StrCat("after ", total_booked, " bookings"),
                            services.booking_pid));

  // ProposeIntensive on the loaded clinic, for fresh couples.
  const std::vector<ProposeSpec> specs =
      MakeSpecs(snapshot, kWarmUpCalls + proposals, seed + 100, day_shift);
  std::vector<std::string> couple_ids;
  {
    constexpr int kCouplesPerLanguage = 8;
    absl::flat_hash_map<std::string, std::vector<std::string>> pool;
    for (const ProposeSpec& spec : specs) {
      std::vector<std::string>& ids = pool[spec.language];
      if (ids.size() < kCouplesPerLanguage) {
        absl::StatusOr<std::string> id =
            CreateCouple(*stub, absl::StrCat("p-", spec.language, ids.size()),
                         spec.language);
        if (!id.ok()) return id.status();
        ids.push_back(*id);
      }
      couple_ids.push_back(ids[couple_ids.size() % ids.size()]);
    }
  }
  RunProposals(
      target,
      std::vector<ProposeSpec>(specs.begin(), specs.begin() + kWarmUpCalls),
      couple_ids, 1, errors);
  const std::vector<ProposeSpec> measured(specs.begin() + kWarmUpCalls,
                                          specs.end());
  const std::vector<std::string> measured_couples(
      couple_ids.begin() + kWarmUpCalls, couple_ids.end());
  std::vector<ProposeRun> propose_runs;
  for (const int run_clients : {1, propose_clients}) {
    std::cerr << "proposing " << proposals << " times with " << run_clients
              << " client(s)\n";
    propose_runs.push_back(
        RunProposals(target, measured, measured_couples, run_clients, errors));
  }
  absl::StrAppend(&memory_rows,
                  MemoryRow("after the Propose runs", services.booking_pid));
  const std::string directory_memory =
      MemoryRow("directory (for comparison)", services.directory_pid);
  const std::string load_after = LoadAverage();
  const std::string booking_log = services.booking->ReadLog();
  const std::string directory_log = services.directory->ReadLog();
  absl::StatusOr<testing::ExitInfo> booking_exit = services.booking->Stop();
  absl::StatusOr<testing::ExitInfo> directory_exit = services.directory->Stop();

  // The report.
  std::string report = absl::StrCat(
      "### Run of ",
      absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::Now(), absl::UTCTimeZone()),
      "\n\n```sh\n", command, "\n```\n\n", "- Machine: ", machine.cpus,
      " CPUs (nproc), ", machine.cpu_model, "; load average (1/5/15 min) ",
      machine.load_average, " at start, ", load_after, " at the end.\n");
  absl::StrAppend(
      &report, "- Clinic: size ", absl::GetFlag(FLAGS_size), ", seed ", seed,
      ": ", snapshot.therapists.size(), " therapists, ", snapshot.teams.size(),
      " teams, ", snapshot.rooms.size(), " rooms, ",
      snapshot.clinic.closures.size(), " closures, time zone ",
      absl::GetFlag(FLAGS_time_zone), ", first day ",
      absl::FormatCivilTime(first_day), ", languages ",
      absl::StrJoin(services.languages, "/"), ". Directory seeded with ",
      services.seed_calls, " calls in ",
      absl::StrFormat("%.1f s", absl::ToDoubleSeconds(services.seed_time)),
      "; booking started and planning after ",
      absl::StrFormat("%.2f s", absl::ToDoubleSeconds(services.ready_time)),
      ".\n- Booking service: --synchronous=", absl::GetFlag(FLAGS_synchronous),
      ", ", total_booked, " intensives booked (", preload,
      " of them untimed preload) before the Propose runs.\n\n");
  absl::StrAppend(
      &report,
      "| Hold+Confirm run | booked | wall | bookings/s (wall, incl. Propose) "
      "| bookings/s (Hold+Confirm time only) | holds ABORTED | windows "
      "without a plan | gave up |\n|---|---|---|---|---|---|---|---|\n");
  for (const BookingRun& run : booking_runs) {
    absl::StrAppend(&report, BookingRows(run));
  }
  absl::StrAppend(&report,
                  "\n| call | clients | calls | p50 | p90 | p99 | max | note "
                  "|\n|---|---|---|---|---|---|---|---|\n");
  for (const BookingRun& run : booking_runs) {
    const std::string suffix = run.label.empty() ? "" : " (preload)";
    absl::StrAppend(
        &report,
        LatencyRow("ProposeIntensive, booking run" + suffix, run.clients,
                   run.propose, "all calls, as the clinic fills"),
        LatencyRow("HoldIntensive" + suffix, run.clients, run.hold,
                   "successful holds"),
        LatencyRow("ConfirmIntensive" + suffix, run.clients, run.confirm, ""));
  }
  for (const ProposeRun& run : propose_runs) {
    absl::StrAppend(
        &report,
        LatencyRow("**ProposeIntensive**, loaded clinic", run.clients,
                   run.latency,
                   absl::StrFormat(
                       "%.1f calls/s; %d/%d with plans, %.1f "
                       "plans/call",
                       run.latency.size() / absl::ToDoubleSeconds(run.wall),
                       run.with_plans, static_cast<int>(run.latency.size()),
                       run.plans / static_cast<double>(run.latency.size()))),
        LatencyRow("ProposeIntensive, calls with plans", run.clients,
                   run.with_plans_latency, ""),
        LatencyRow("ProposeIntensive, calls without a plan", run.clients,
                   run.without_plans_latency, "explanation only"));
  }
  absl::StrAppend(&report,
                  "\n| booking service memory | VmRSS | VmHWM |\n|---|---|---|"
                  "\n",
                  memory_rows, directory_memory, "\n");
  absl::StrAppend(&report, "- Proposals without a plan (booking runs):\n",
                  no_plans.Describe());
  absl::StrAppend(&report, "- Unexpected call errors: ", errors.count(), "\n");
  for (const std::string& sample : errors.samples()) {
    absl::StrAppend(&report, "  - `", sample, "`\n");
  }
  absl::StrAppend(&report, LogFindings("booking", booking_log),
                  LogFindings("directory", directory_log));
  if (!booking_exit.ok() || booking_exit->exit_code != 0) {
    absl::StrAppend(&report, "- booking did not exit cleanly: ",
                    booking_exit.ok()
                        ? absl::StrCat("exit code ", booking_exit->exit_code,
                                       ", signal ", booking_exit->term_signal)
                        : booking_exit.status().ToString(),
                    "\n");
  }
  if (!directory_exit.ok() || directory_exit->exit_code != 0) {
    absl::StrAppend(&report, "- directory did not exit cleanly\n");
  }
  std::cout << report << std::flush;
  const std::string path = absl::GetFlag(FLAGS_report);
  if (!path.empty()) {
    std::ofstream out(path);
    out << report;
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  }
  if (errors.count() > 0 || total_booked == 0) {
    return absl::InternalError(
        absl::StrCat(errors.count(), " unexpected call errors, ", total_booked,
                     " intensives booked"));
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace tandem::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Load client for the booking service: starts the directory and booking "
      "binaries, seeds a generated clinic, measures ProposeIntensive latency "
      "and Hold+Confirm throughput.\n"
      "Usage: booking_load --size=L --proposals=200 --bookings=200 "
      "--clients=4");
  std::string command = absl::StrJoin(argv, argv + argc, " ");
  absl::ParseCommandLine(argc, argv);
  absl::Status status = tandem::bench::Run(command);
  if (!status.ok()) {
    std::cerr << "booking_load: " << status << "\n";
    return 1;
  }
  return 0;
}
