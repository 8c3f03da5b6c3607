// ReceiverMetrics: the loupe_receiver_* counters of one protocol ("http" or
// "grpc"), so both receivers count requests, items and refusals the same
// way. Names are listed in ingest/README.md. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "metrics/registry.h"

namespace loupe::ingest {

enum class Signal { kTraces = 0, kLogs = 1, kMetrics = 2 };
// "traces", "logs", "metrics".
std::string_view SignalName(Signal signal);

class ReceiverMetrics {
 public:
  ReceiverMetrics(metrics::Registry& registry, std::string protocol);

  // A request was answered; outcome is "success", "partial_success" or
  // "refused" (then `reason` says why, e.g. "decode_error", "queue_full").
  void Request(Signal signal, std::string_view outcome, std::string_view reason = {});
  // Items (spans, log records, metric data points) accepted downstream.
  void Accepted(Signal signal, int64_t items);
  // Items refused, e.g. reason "invalid_span", "queue_full", "unavailable".
  void Refused(Signal signal, std::string_view reason, int64_t items);
  // Strings whose invalid UTF-8 was repaired.
  void Sanitized(int64_t strings);

 private:
  metrics::Registry& registry_;
  const std::string protocol_;
  // Hot-path series, looked up once.
  std::array<metrics::Counter*, 3> success_{};
  std::array<metrics::Counter*, 3> accepted_{};
  metrics::Counter* sanitized_;
};

}  // namespace loupe::ingest
