#include "fanout/retry.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace loupe::fanout {

Outcome ClassifyHttp(int http_status) {
  if (http_status >= 200 && http_status < 300) return Outcome::kSent;
  switch (http_status) {
    case 0:  // no answer: the endpoint is down or unreachable
    case 429:
    case 502:
    case 503:
    case 504:
      return Outcome::kRetryable;
    default:
      return Outcome::kPermanent;
  }
}

Outcome ClassifyGrpc(int grpc_code, bool has_retry_info) {
  switch (grpc_code) {
    case 0: return Outcome::kSent;
    case 1:   // CANCELLED
    case 4:   // DEADLINE_EXCEEDED
    case 10:  // ABORTED
    case 11:  // OUT_OF_RANGE
    case 14:  // UNAVAILABLE
    case 15:  // DATA_LOSS
      return Outcome::kRetryable;
    case 8:  // RESOURCE_EXHAUSTED: throttling only when the server says when to retry
      return has_retry_info ? Outcome::kRetryable : Outcome::kPermanent;
    default:
      return Outcome::kPermanent;
  }
}

std::optional<double> ParseRetryAfter(std::string_view value, int64_t now_unix_seconds) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  int64_t seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && end == value.data() + value.size()) {
    if (seconds < 0) return std::nullopt;
    return static_cast<double>(seconds);
  }
  std::string date(value);
  time_t when = curl_getdate(date.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  return std::max<double>(0, static_cast<double>(when - now_unix_seconds));
}

Backoff::Backoff(double initial_seconds, double max_seconds, uint64_t seed)
    : initial_(initial_seconds), max_(max_seconds), rng_(seed) {}

double Backoff::Next() {
  double d = std::min(max_, initial_ * std::ldexp(1.0, std::min(attempt_, 30)));
  ++attempt_;
  std::uniform_real_distribution<double> jitter(d / 2, d);
  return jitter(rng_);
}

}  // namespace loupe::fanout
