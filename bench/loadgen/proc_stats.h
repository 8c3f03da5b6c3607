// ProcStats: CPU time and memory of another process (the server under
// test), read from /proc/<pid>/stat and /proc/<pid>/status.
#pragma once

#include <cstdint>
#include <optional>

namespace loupe::bench {

struct ProcSample {
  double cpu_seconds = 0;  // user + system, since the process started
  uint64_t rss_bytes = 0;  // VmRSS now
  uint64_t hwm_bytes = 0;  // VmHWM: the peak RSS over the process's life
};

// Nothing when the process is gone or /proc is unreadable.
std::optional<ProcSample> ReadProc(int pid);

}  // namespace loupe::bench
