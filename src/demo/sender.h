// Sender: posts generated traces to Loupe as OTLP/HTTP protobuf, through
// the fan-out's transport (libcurl, keep-alive) so there is one OTLP client
// in the code base. Retries what OTLP calls retryable (429, 502, 503, 504,
// no answer), waiting as long as Retry-After asks, else backing off.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "demo/generator.h"

namespace loupe::fanout {
class Transport;
}

namespace loupe::demo {

struct SenderStats {
  int64_t requests = 0;  // successful POSTs
  int64_t retries = 0;   // attempts answered with a retryable failure
  int64_t traces = 0, spans = 0, bytes = 0;
};

// Not thread-safe.
class Sender {
 public:
  // `endpoint` is the OTLP/HTTP base ("http://127.0.0.1:4318"; /v1/traces is
  // appended when it has no path). `stop` (may be null) interrupts waits.
  static Result<std::unique_ptr<Sender>> Create(const std::string& endpoint, const std::atomic<bool>* stop);
  ~Sender();

  // Sends every span of `traces` in one request. Unavailable when Loupe
  // never answered (first request) or retries ran out; InvalidArgument
  // when Loupe refused the data (a bug: the demo's data is valid);
  // Unavailable("stopped") when `stop` was raised while waiting.
  Status Send(const std::vector<GeneratedTrace>& traces);

  const SenderStats& stats() const { return stats_; }

  // Attempts per request before giving up; 3 until Loupe answered once,
  // so a wrong --otlp-endpoint fails fast.
  static constexpr int kMaxAttempts = 30;
  static constexpr int kMaxAttemptsUnreachable = 3;
  static constexpr double kMaxWaitSeconds = 30;

 private:
  Sender(std::unique_ptr<fanout::Transport> transport, std::string url, const std::atomic<bool>* stop);
  // Sleeps, waking early when stop is raised; false if stopped.
  bool Wait(double seconds) const;

  std::unique_ptr<fanout::Transport> transport_;
  std::string url_;
  const std::atomic<bool>* stop_;
  bool answered_once_ = false;
  SenderStats stats_;
};

}  // namespace loupe::demo
