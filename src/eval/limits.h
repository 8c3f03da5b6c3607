// The judge's limits: requests and tokens per minute (token buckets that
// refill continuously), a shared hold after a 429, and the daily budget in
// USD, persisted per UTC day so that a restart keeps the day's spend.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "common/status.h"

namespace loupe::store {
class Store;
}

namespace loupe::eval {

// Sleeps up to `seconds`, waking early when *cancel turns true; returns
// false when cancelled.
bool SleepUnlessCancelled(double seconds, const std::atomic<bool>* cancel);

// Thread-safe.
class RateLimiter {
 public:
  RateLimiter(int requests_per_minute, int64_t tokens_per_minute);

  // Takes one request and `tokens` when both buckets allow at `now`
  // (seconds, any monotonic origin) and returns 0; else returns how long
  // to wait and takes nothing. A request above the whole minute's token
  // allowance goes when the bucket is full.
  double TryTake(int64_t tokens, double now);
  // Every caller waits until `until` (after a 429 with retry-after).
  void HoldUntil(double until);
  // Blocking TryTake on the steady clock; false when cancelled.
  bool Take(int64_t tokens, const std::atomic<bool>* cancel);
  // Gives back (or takes more) once the real token count is known.
  void Settle(int64_t estimated, int64_t actual);

  static double SteadyNow();

 private:
  void RefillLocked(double now);

  const double rpm_, tpm_;
  std::mutex mu_;
  double requests_, tokens_;  // GUARDED_BY(mu_)
  double last_ = -1;           // GUARDED_BY(mu_)
  double hold_until_ = 0;      // GUARDED_BY(mu_)
};

// The Store::GetValue/PutValue namespace of judge spend: key "YYYY-MM-DD"
// (UTC), value nano-dollars as decimal text.
inline constexpr char kSpendNamespace[] = "eval.spend";

// Daily judge budget. Thread-safe.
class Budget {
 public:
  // `store` may be null (spend then lives in memory only).
  Budget(double daily_usd, store::Store* store, const Clock* clock);

  // Reads today's spend from the store.
  Status Load();
  // True while today's spend has reached the budget (the day rolls over
  // by itself at UTC midnight).
  bool Exhausted();
  // Adds a judge call's cost and persists the day's total.
  Status Add(int64_t nanos);
  int64_t SpentTodayNanos();
  int64_t limit_nanos() const { return limit_nanos_; }
  // Start of the next UTC day, when a paused judge resumes.
  uint64_t NextDayStartNs() const;
  static std::string DayKey(uint64_t unix_ns);

 private:
  void RollLocked();

  const int64_t limit_nanos_;
  store::Store* const store_;
  const Clock* const clock_;
  std::mutex mu_;
  std::string day_;      // GUARDED_BY(mu_)
  int64_t spent_ = 0;    // GUARDED_BY(mu_)
};

}  // namespace loupe::eval
