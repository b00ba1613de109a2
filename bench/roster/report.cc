#include "bench/roster/report.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "bench/booking/latency.h"

namespace tandem::bench {
namespace {

std::string Seconds(absl::Duration d) {
  return absl::StrFormat("%.1f s", absl::ToDoubleSeconds(d));
}

std::string RunRow(const NamedRun& named) {
  const ReadRun& run = named.run;
  const LatencySummary s = Summarize(run.latency);
  const int ok = s.count - run.errors;
  return absl::StrFormat(
      "| %s | %d | %d | %s | %s | %s | %s | %.1f | %d | %.0f | %.1f |\n",
      named.name, run.clients, s.count, Millis(s.p50), Millis(s.p90),
      Millis(s.p99), Millis(s.max), ReadsPerSecond(run), run.errors,
      ok > 0 ? static_cast<double>(run.bytes) / ok : 0.0,
      ok > 0 ? static_cast<double>(run.items) / ok : 0.0);
}

std::string MemoryRow(const MemoryFact& fact) {
  if (!fact.error.empty()) {
    return absl::StrCat("| ", fact.label, " | ", fact.error, " | |\n");
  }
  return absl::StrFormat("| %s | %.1f MiB | %.1f MiB |\n", fact.label,
                         fact.memory.rss_kib / 1024.0,
                         fact.memory.hwm_kib / 1024.0);
}

}  // namespace

MemoryFact Memory(const std::string& label, pid_t pid) {
  MemoryFact fact;
  fact.label = label;
  absl::StatusOr<ProcessMemory> memory = ReadProcessMemory(pid);
  if (memory.ok()) {
    fact.memory = *memory;
  } else {
    fact.error = memory.status().ToString();
  }
  return fact;
}

LogFact LogProblems(const std::string& service, const std::string& log) {
  LogFact fact;
  fact.service = service;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    for (const char* level : {R"("level":"warning")", R"("level":"error")",
                              R"("level":"critical")"}) {
      if (!absl::StrContains(line, level)) continue;
      ++fact.count;
      if (fact.samples.size() < 5) {
        fact.samples.emplace_back(line.substr(0, 300));
      }
      break;
    }
  }
  return fact;
}

std::string FormatReport(const RunFacts& f) {
  const YearBooking& b = f.booking;
  std::string out = absl::StrCat(
      "### Run of ",
      absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::Now(), absl::UTCTimeZone()),
      "\n\n```sh\n", f.command, "\n```\n\n- Machine: ", f.machine.cpus,
      " CPUs (nproc), ", f.machine.cpu_model, "; load average (1/5/15 min) ",
      f.machine.load_average, " at start, ", f.load_after, " at the end.\n",
      "- Clinic: ", f.clinic, ". Directory seeded with ", f.seed_calls,
      " calls in ", Seconds(f.seed_time), ".\n");
  absl::StrAppend(
      &out,
      absl::StrFormat(
          "- Year booked: %d intensives in %s (%.0f/s; Propose+Hold+Confirm, "
          "%d holds ABORTED and proposed again, %d windows without a plan, "
          "%d given up), last start %s.\n",
          b.booked, Seconds(b.wall),
          b.booked / std::max(1e-9, absl::ToDoubleSeconds(b.wall)), b.aborted,
          b.windows_full, b.gave_up, absl::FormatCivilTime(b.last_start)),
      "- Follow-up, started after the bookings: SERVING after ",
      Seconds(f.followup_serving), ", ", f.followup_plans, " plans after ",
      Seconds(f.followup_plans_time), ", ", f.scheduled_contacts,
      " scheduled contacts steady after ", Seconds(f.followup_settled),
      "; the reads started then.\n\n");
  absl::StrAppend(&out,
                  "| roster call | clients | calls | p50 | p90 | p99 | max | "
                  "calls/s | errors | bytes/call | items/call |\n"
                  "|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const NamedRun& run : f.runs) absl::StrAppend(&out, RunRow(run));
  absl::StrAppend(&out,
                  "\nItems: roster items (sessions, contacts) in a therapist "
                  "roster, the therapists' items of a clinic day, events of "
                  "a calendar. Bytes: the serialized response; for the "
                  "calendar, the file.\n\n| memory | VmRSS | VmHWM |\n"
                  "|---|---|---|\n");
  for (const MemoryFact& m : f.memory) absl::StrAppend(&out, MemoryRow(m));
  absl::StrAppend(&out, "\n- Booking errors: ", b.errors, "\n");
  for (const std::string& s : b.error_samples) {
    absl::StrAppend(&out, "  - `", s, "`\n");
  }
  for (const NamedRun& run : f.runs) {
    if (run.run.errors == 0) continue;
    absl::StrAppend(&out, "- ", run.name, " errors: ", run.run.errors, "\n");
    for (const std::string& s : run.run.error_samples) {
      absl::StrAppend(&out, "  - `", s, "`\n");
    }
  }
  for (const LogFact& log : f.logs) {
    absl::StrAppend(&out, "- ", log.service, " log: ", log.count,
                    " line(s) at warning level or worse\n");
    for (const std::string& s : log.samples) {
      absl::StrAppend(&out, "  - `", s, "`\n");
    }
  }
  return out;
}

}  // namespace tandem::bench
