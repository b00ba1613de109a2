// What a load report says about the machine and the processes under test,
// read from /proc (Linux only).
#ifndef TANDEM_BENCH_BOOKING_PROCESS_STATS_H_
#define TANDEM_BENCH_BOOKING_PROCESS_STATS_H_

#include <sys/types.h>

#include <string>

#include "absl/status/statusor.h"

namespace tandem::bench {

struct MachineFacts {
  int cpus = 0;              // online CPUs (what nproc prints)
  std::string cpu_model;     // /proc/cpuinfo "model name" of the first CPU
  std::string load_average;  // the first three fields of /proc/loadavg
};

MachineFacts ReadMachineFacts();

// The first three fields of /proc/loadavg, e.g. "0.52 0.61 0.70".
std::string LoadAverage();

// Resident memory of a process, from /proc/<pid>/status.
struct ProcessMemory {
  long rss_kib = 0;  // VmRSS
  long hwm_kib = 0;  // VmHWM: the peak resident size so far
};

absl::StatusOr<ProcessMemory> ReadProcessMemory(pid_t pid);

// The child of this process whose command line has `argument` as one of its
// arguments (e.g. the unique "--db=/tmp/x/service.db" the test harness
// passes). NOT_FOUND if there is none.
absl::StatusOr<pid_t> FindChildByArgument(const std::string& argument);

}  // namespace tandem::bench

#endif  // TANDEM_BENCH_BOOKING_PROCESS_STATS_H_
