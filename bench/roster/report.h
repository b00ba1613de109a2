// The roster load client's Markdown report: what was run where, the year
// booked, follow-up's catch-up, one latency row per read run, memory, and
// the services' log lines at warning level or worse.
#ifndef TANDEM_BENCH_ROSTER_REPORT_H_
#define TANDEM_BENCH_ROSTER_REPORT_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "bench/booking/process_stats.h"
#include "bench/roster/read_runner.h"
#include "bench/roster/year_booker.h"

namespace tandem::bench {

struct NamedRun {
  std::string name;
  ReadRun run;
};

// A process's memory at one moment; `error` set if /proc could not be read.
struct MemoryFact {
  std::string label;
  ProcessMemory memory;
  std::string error;
};
MemoryFact Memory(const std::string& label, pid_t pid);

// Lines of a service's log at warning level or worse.
struct LogFact {
  std::string service;
  int count = 0;
  std::vector<std::string> samples;  // the first few, cut to 300 characters
};
LogFact LogProblems(const std::string& service, const std::string& log);

struct RunFacts {
  std::string command;
  MachineFacts machine;
  std::string load_after;
  std::string clinic;  // one line about the generated clinic
  int seed_calls = 0;
  absl::Duration seed_time;
  YearBooking booking;
  absl::Duration followup_serving;  // start -> SERVING
  int followup_plans = 0;
  absl::Duration followup_plans_time;  // start -> every plan listed
  int scheduled_contacts = 0;
  absl::Duration followup_settled;  // start -> contacts stopped changing
  std::vector<NamedRun> runs;
  std::vector<MemoryFact> memory;
  std::vector<LogFact> logs;
};

std::string FormatReport(const RunFacts& facts);

}  // namespace tandem::bench

#endif  // TANDEM_BENCH_ROSTER_REPORT_H_
