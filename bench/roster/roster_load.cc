// roster_load: a load client for the roster service, through the real
// directory, booking, follow-up and roster binaries over gRPC on loopback.
//
//  1. Starts the directory (port 0, temp dir), seeds it through its API with
//     a generated clinic of size S, M or L (bench/booking/clinic_seeder.h)
//     moved to start on the first matching weekday after today, and starts
//     booking.
//  2. Books --bookings ten-day intensives spread over the next 365 days with
//     --book_clients clients (year_booker.h).
//  3. Starts follow-up and the roster, waits until follow-up has caught up:
//     SERVING, one follow-up plan per booked intensive, and its count of
//     scheduled contacts steady for a few seconds (its own booking work
//     done), so nothing but the reads runs while they are timed.
//  4. With one client: GetTherapistRoster over 1 and 7 days and GetClinicDay
//     (--reads calls each), ExportTherapistCalendar over 366 days (--exports
//     calls); random therapists and days of the booked year, after warm-up.
//  5. --clients clients calling GetTherapistRoster (7 days) back to back for
//     --seconds: reads per second and latency under load.
//  6. VmRSS / VmHWM of the roster (and, for comparison, the others).
// Prints a Markdown report (and writes it to --report when given).
//
//   roster_load --size=L --bookings=2600 --reads=500 --clients=4 --seconds=30
#include <algorithm>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/booking/clinic_seeder.h"
#include "bench/booking/process_stats.h"
#include "bench/roster/read_runner.h"
#include "bench/roster/report.h"
#include "bench/roster/roster_calls.h"
#include "bench/roster/service_stack.h"
#include "bench/roster/year_booker.h"
#include "scheduler/testing/loaded_clinic.h"

ABSL_FLAG(std::string, directory_binary, TANDEM_DIRECTORY_BINARY,
          "the directory service binary");
ABSL_FLAG(std::string, booking_binary, TANDEM_BOOKING_BINARY,
          "the booking service binary");
ABSL_FLAG(std::string, followup_binary, TANDEM_FOLLOWUP_BINARY,
          "the follow-up service binary");
ABSL_FLAG(std::string, roster_binary, TANDEM_ROSTER_BINARY,
          "the roster service binary");
ABSL_FLAG(std::string, size, "L", "generated clinic: S, M or L");
// 2,600 = L's 100 standing teams x 26 fortnights: every team running one
// ten-day intensive (two weeks of weekdays) after another all year.
ABSL_FLAG(int, bookings, 2600,
          "intensives to book over the year (default: a year for L's 100 "
          "teams, one intensive per team per fortnight)");
ABSL_FLAG(int, book_clients, 4, "concurrent clients booking the year");
ABSL_FLAG(int, reads, 500, "timed calls per single-client read run");
ABSL_FLAG(int, exports, 30, "timed ExportTherapistCalendar calls (366 days)");
ABSL_FLAG(int, clients, 4, "concurrent clients of the sustained run");
ABSL_FLAG(int, seconds, 30, "length of the sustained run");
ABSL_FLAG(uint64_t, seed, 42, "seed of the clinic, bookings and requests");
ABSL_FLAG(std::string, time_zone, "Europe/London", "the clinic's time zone");
ABSL_FLAG(std::string, synchronous, "FULL",
          "booking's and follow-up's --synchronous (FULL is their default)");
ABSL_FLAG(std::string, downstream_timeout, "2s",
          "the roster's --downstream_timeout (2s is its default)");
ABSL_FLAG(std::string, report, "",
          "also write the Markdown report to this file");

namespace tandem::bench {
namespace {

constexpr int kWarmUpCalls = 10;
constexpr int kYearDays = 365;
constexpr int kExportDays = 366;  // the API's maximum
constexpr absl::Duration kCatchUpTimeout = absl::Minutes(10);
constexpr absl::Duration kSettle = absl::Seconds(3);

absl::StatusOr<scheduler::testing::ClinicSize> ParseSize(
    const std::string& size) {
  if (size == "S") return scheduler::testing::ClinicSize::kS;
  if (size == "M") return scheduler::testing::ClinicSize::kM;
  if (size == "L") return scheduler::testing::ClinicSize::kL;
  return absl::InvalidArgumentError("--size must be S, M or L");
}

// The first day after today on `weekday`'s weekday (whole weeks from the
// generated clinic's own start, so its weekdays stay put).
absl::CivilDay FirstDayAfterToday(absl::CivilDay generated_start,
                                  absl::TimeZone zone) {
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), zone) + 1;
  while (absl::GetWeekday(day) != absl::GetWeekday(generated_start)) ++day;
  return day;
}

absl::Status Run(const std::string& command) {
  RunFacts facts;
  facts.command = command;
  facts.machine = ReadMachineFacts();
  absl::StatusOr<scheduler::testing::ClinicSize> size =
      ParseSize(absl::GetFlag(FLAGS_size));
  if (!size.ok()) return size.status();
  const uint64_t seed = absl::GetFlag(FLAGS_seed);
  const int reads = absl::GetFlag(FLAGS_reads);
  const int exports = absl::GetFlag(FLAGS_exports);
  const int clients = absl::GetFlag(FLAGS_clients);
  const int seconds = absl::GetFlag(FLAGS_seconds);
  YearBookingSpec year;
  year.count = absl::GetFlag(FLAGS_bookings);
  year.clients = absl::GetFlag(FLAGS_book_clients);
  year.days = kYearDays;
  year.seed = seed;
  if (reads < 1 || exports < 1 || clients < 1 || seconds < 1 ||
      year.count < 1 || year.clients < 1) {
    return absl::InvalidArgumentError(
        "--reads, --exports, --clients, --seconds, --bookings and "
        "--book_clients must be positive");
  }
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(absl::GetFlag(FLAGS_time_zone), &zone)) {
    return absl::InvalidArgumentError("--time_zone is not a known zone");
  }

  const scheduler::testing::LoadedClinic clinic =
      scheduler::testing::GenerateLoadedClinic(*size, seed);
  const scheduler::Snapshot& snapshot = clinic.snapshot;
  year.first_day = FirstDayAfterToday(snapshot.today, zone);
  facts.clinic =
      absl::StrCat("size ", absl::GetFlag(FLAGS_size), ", seed ", seed, ": ",
                   snapshot.therapists.size(), " therapists, ",
                   snapshot.teams.size(), " teams, ", snapshot.rooms.size(),
                   " rooms, ", snapshot.clinic.closures.size(), " closures, ",
                   absl::GetFlag(FLAGS_time_zone), ", first day ",
                   absl::FormatCivilTime(year.first_day));

  ServiceBinaries binaries;
  binaries.directory = absl::GetFlag(FLAGS_directory_binary);
  binaries.booking = absl::GetFlag(FLAGS_booking_binary);
  binaries.followup = absl::GetFlag(FLAGS_followup_binary);
  binaries.roster = absl::GetFlag(FLAGS_roster_binary);
  binaries.synchronous = absl::GetFlag(FLAGS_synchronous);
  binaries.downstream_timeout = absl::GetFlag(FLAGS_downstream_timeout);
  ServiceStack stack;
  absl::Status status = StartDirectoryAndBooking(
      binaries, snapshot, static_cast<int>(year.first_day - snapshot.today),
      absl::GetFlag(FLAGS_time_zone), stack);
  if (!status.ok()) return status;
  facts.seed_calls = stack.seeded.calls;
  facts.seed_time = stack.seed_time;
  // Couples speak what the generator's requests speak (mostly the clinic's
  // main language), not the seeded languages in equal shares.
  for (const scheduler::Request& r : scheduler::testing::RandomRequests(
           snapshot, year.count, seed + 1, "yb")) {
    year.languages.push_back(LanguageTag(r.language));
  }
  std::cerr << "seeded; booking " << year.count << " intensives from "
            << year.first_day << " with " << year.clients << " clients\n";
  facts.booking = BookYear(stack.booking->target(), year);
  std::cerr << "booked " << facts.booking.booked << " in " << facts.booking.wall
            << "\n";

  const absl::Time followup_start = absl::Now();
  status = StartFollowUpAndRoster(binaries, stack);
  if (!status.ok()) return status;
  facts.followup_serving = absl::Now() - followup_start;
  absl::StatusOr<int> plans =
      WaitForFollowUpPlans(stack, facts.booking.booked, kCatchUpTimeout);
  if (!plans.ok()) return plans.status();
  facts.followup_plans = *plans;
  facts.followup_plans_time = absl::Now() - followup_start;
  absl::StatusOr<int> contacts =
      WaitForScheduledContacts(stack, kSettle, kCatchUpTimeout);
  if (!contacts.ok()) return contacts.status();
  facts.scheduled_contacts = *contacts;
  facts.followup_settled = absl::Now() - followup_start - kSettle;
  std::cerr << "follow-up caught up: " << *plans << " plans, " << *contacts
            << " scheduled contacts\n";

  facts.memory.push_back(Memory("roster, before the reads", stack.roster_pid));
  ReadSpace space;
  for (const auto& [generated, id] : stack.seeded.therapist_ids) {
    space.therapist_ids.push_back(id);
  }
  std::sort(space.therapist_ids.begin(), space.therapist_ids.end());
  space.first_day = year.first_day;
  space.days = kYearDays;
  space.seed = seed;
  const std::string target = stack.roster->target();
  std::cerr << "measuring reads\n";
  facts.runs.push_back({"GetTherapistRoster, 1 day",
                        MeasureReads(target, reads, kWarmUpCalls,
                                     TherapistRosterCall(space, 1))});
  facts.runs.push_back({"GetTherapistRoster, 7 days",
                        MeasureReads(target, reads, kWarmUpCalls,
                                     TherapistRosterCall(space, 7))});
  facts.runs.push_back(
      {"GetClinicDay",
       MeasureReads(target, reads, kWarmUpCalls, ClinicDayCall(space))});
  facts.runs.push_back({"ExportTherapistCalendar, 366 days",
                        MeasureReads(target, exports, 2,
                                     ExportCalendarCall(space, kExportDays))});
  std::cerr << "sustained run: " << clients << " clients, " << seconds
            << " s\n";
  facts.runs.push_back({"GetTherapistRoster, 7 days, sustained",
                        SustainReads(target, clients, absl::Seconds(seconds),
                                     TherapistRosterCall(space, 7))});
  facts.memory.push_back(Memory("roster, after the reads", stack.roster_pid));
  facts.memory.push_back(Memory("directory", stack.directory_pid));
  facts.memory.push_back(Memory("booking", stack.booking_pid));
  facts.memory.push_back(Memory("follow-up", stack.followup_pid));
  facts.load_after = LoadAverage();

  facts.logs = {LogProblems("roster", stack.roster->ReadLog()),
                LogProblems("follow-up", stack.followup->ReadLog()),
                LogProblems("booking", stack.booking->ReadLog()),
                LogProblems("directory", stack.directory->ReadLog())};
  const std::string report = FormatReport(facts);
  std::cout << report << std::flush;
  const std::string path = absl::GetFlag(FLAGS_report);
  if (!path.empty()) {
    std::ofstream out(path);
    out << report;
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  }
  int errors = facts.booking.errors;
  for (const NamedRun& run : facts.runs) errors += run.run.errors;
  if (errors > 0 || facts.booking.booked == 0) {
    return absl::InternalError(absl::StrCat(
        errors, " call errors, ", facts.booking.booked, " intensives booked"));
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace tandem::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Load client for the roster service: starts directory, booking, "
      "follow-up and roster, books a year of intensives, measures roster "
      "read latency and sustained reads per second.\n"
      "Usage: roster_load --size=L --bookings=2600 --reads=500 --clients=4 "
      "--seconds=30");
  const std::string command = absl::StrJoin(argv, argv + argc, " ");
  absl::ParseCommandLine(argc, argv);
  const absl::Status status = tandem::bench::Run(command);
  if (!status.ok()) {
    std::cerr << "roster_load: " << status << "\n";
    return 1;
  }
  return 0;
}
