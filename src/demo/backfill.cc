#include "demo/backfill.h"

#include <algorithm>
#include <cmath>

#include "demo/rng.h"

namespace loupe::demo {

namespace {
constexpr uint64_t kNanosPerSecond = 1'000'000'000;
constexpr double kPi = 3.14159265358979323846;
}  // namespace

double TrafficWeight(uint64_t unix_nanos) {
  const uint64_t seconds = unix_nanos / kNanosPerSecond;
  const double hour = static_cast<double>(seconds % 86400) / 3600.0;
  // 1970-01-01 was a Thursday: day 0 -> weekday 3 (Monday = 0).
  const uint64_t weekday = (seconds / 86400 + 3) % 7;
  // A cosine peaking at 14:00 and bottoming out at 02:00, kept above 0.15.
  double daily = 0.15 + 0.85 * (0.5 + 0.5 * std::cos((hour - 14.0) / 24.0 * 2 * kPi));
  return weekday >= 5 ? daily * 0.55 : daily;
}

std::vector<uint64_t> BackfillTimes(uint64_t seed, uint64_t now_unix_nanos, uint64_t range_nanos, size_t count) {
  std::vector<uint64_t> times;
  const uint64_t margin = 60 * kNanosPerSecond;
  if (count == 0 || range_nanos <= margin || now_unix_nanos < range_nanos) return times;
  Rng rng(Mix64(seed ^ 0xbacf111ull));
  const uint64_t from = now_unix_nanos - range_nanos;
  const double span = static_cast<double>(range_nanos - margin);
  times.reserve(count);
  // Rejection sampling against the daily cycle; its maximum is 1.
  while (times.size() < count) {
    uint64_t t = from + static_cast<uint64_t>(rng.Uniform() * span);
    if (rng.Uniform() < TrafficWeight(t)) times.push_back(t);
  }
  std::sort(times.begin(), times.end());
  return times;
}

size_t DefaultBackfillCount(double range_seconds) {
  double n = range_seconds / 3600.0 * 18.0;
  return static_cast<size_t>(std::clamp(n, 100.0, 20000.0));
}

}  // namespace loupe::demo
