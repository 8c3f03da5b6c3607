// Which export failures are retried, and how long to wait: the one place
// the fan-out applies the OTLP rules (../shared/reference/protocols.md).
//   HTTP: only 429, 502, 503, 504 (and transport errors: no answer at all)
//   gRPC: CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE,
//         DATA_LOSS; RESOURCE_EXHAUSTED only with google.rpc.RetryInfo.
// Everything else is permanent: the batch is dropped and counted.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace loupe::fanout {

enum class Outcome { kSent, kRetryable, kPermanent };

// What one export attempt came to.
struct SendResult {
  Outcome outcome = Outcome::kSent;
  std::string detail;                 // "HTTP 503: ...", "connection refused"
  std::optional<double> retry_after;  // seconds the server asked us to wait
};

// http_status 0 means no answer (connection refused, timeout, TLS error).
Outcome ClassifyHttp(int http_status);
Outcome ClassifyGrpc(int grpc_code, bool has_retry_info);

// Retry-After: delta-seconds, or an HTTP-date compared with `now_unix_seconds`.
// nullopt when unparsable; a date in the past gives 0.
std::optional<double> ParseRetryAfter(std::string_view value, int64_t now_unix_seconds);

// Exponential backoff with jitter: the n-th wait is drawn from
// [d/2, d] with d = min(initial * 2^n, max). Not thread-safe.
class Backoff {
 public:
  Backoff(double initial_seconds, double max_seconds, uint64_t seed = std::random_device{}());

  double Next();
  void Reset() { attempt_ = 0; }

 private:
  double initial_;
  double max_;
  int attempt_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace loupe::fanout
