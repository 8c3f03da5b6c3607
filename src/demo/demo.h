// `loupe demo`: realistic LLM traffic into a running Loupe over OTLP/HTTP,
// optionally with a week of history first and a stand-in judge, so that a
// newcomer sees every page filled within a minute. See docs/demo.md.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/status.h"
#include "demo/sender.h"

namespace loupe::demo {

struct DemoOptions {
  std::string otlp_endpoint = "http://127.0.0.1:4318";  // --otlp-endpoint (OTLP/HTTP base URL)
  double duration_seconds = 60;  // --duration: live phase; 0 = until SIGINT / Stop()
  double rate = 5;               // --rate: live traces per second
  double backfill_seconds = 0;   // --backfill: history written first; 0 = none
  size_t backfill_traces = 0;    // --backfill-traces: 0 = about 18 per hour (DefaultBackfillCount)
  uint64_t seed = 1;             // --seed: same seed, same traffic
  std::string judge_stand_in;    // --judge-stand-in host:port; "" = no stand-in judge
  // After a finite live phase the stand-in judge stays up this long, for
  // evaluations Loupe still has queued.
  double judge_linger_seconds = 10;  // --judge-linger

  // Names the offending flag, e.g. "--rate: must be > 0 (got -1)".
  Status Validate() const;
};

// "60s", "7d", "1h30m", "90m", "2w", "500ms", "0", "45" (seconds).
// InvalidArgument naming the text otherwise.
Result<double> ParseDurationFlag(std::string_view text);

// One demo run. Run() blocks; Stop() may be called from any thread.
class Demo {
 public:
  // `out` receives progress lines; must outlive Run().
  Demo(DemoOptions options, std::ostream* out);
  ~Demo();

  // Starts the stand-in judge (if asked), writes the backfill, then streams
  // live traffic. OK when it ran to the end or was stopped; otherwise why
  // it could not send (Loupe unreachable, spans refused, judge port busy).
  // REQUIRES: options.Validate() is OK; called once.
  Status Run();
  void Stop() { stop_.store(true); }

  const SenderStats& stats() const { return stats_; }
  // The stand-in judge's port while Run() is running (0: none yet).
  uint16_t judge_port() const { return judge_port_.load(); }

 private:
  Status Backfill(Generator& gen, Sender& sender, uint64_t now);
  Status Live(Generator& gen, Sender& sender);
  void Print(const std::string& line);

  DemoOptions options_;
  std::ostream* out_;
  std::atomic<bool> stop_{false};
  std::atomic<uint16_t> judge_port_{0};
  SenderStats stats_;
  int64_t failed_traces_ = 0;
};

// The `loupe demo` command: validates, runs until the end or SIGINT /
// SIGTERM, prints progress to stdout and errors to stderr. Returns the
// process exit code: 0 done, 1 failed, 2 bad options.
int RunDemo(const DemoOptions& options);

}  // namespace loupe::demo
