#include "eval/limits.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <ctime>
#include <thread>

#include "store/store.h"

namespace loupe::eval {

constexpr uint64_t kDayNs = 86'400ull * 1'000'000'000ull;

bool SleepUnlessCancelled(double seconds, const std::atomic<bool>* cancel) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point until =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  while (Clock::now() < until) {
    if (cancel && cancel->load()) return false;
    const Clock::duration left = until - Clock::now();
    std::this_thread::sleep_for(std::min<Clock::duration>(left, std::chrono::milliseconds(20)));
  }
  return !(cancel && cancel->load());
}

RateLimiter::RateLimiter(int rpm, int64_t tpm)
    : rpm_(std::max(1, rpm)), tpm_(static_cast<double>(std::max<int64_t>(1, tpm))), requests_(rpm_), tokens_(tpm_) {}

double RateLimiter::SteadyNow() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void RateLimiter::RefillLocked(double now) {
  if (last_ >= 0 && now > last_) {
    requests_ = std::min(rpm_, requests_ + (now - last_) * rpm_ / 60.0);
    tokens_ = std::min(tpm_, tokens_ + (now - last_) * tpm_ / 60.0);
  }
  if (now > last_) last_ = now;
}

double RateLimiter::TryTake(int64_t tokens, double now) {
  std::lock_guard lock(mu_);
  RefillLocked(now);
  if (now < hold_until_) return hold_until_ - now;
  const double need = std::min(static_cast<double>(std::max<int64_t>(0, tokens)), tpm_);
  double wait = 0;
  if (requests_ < 1) wait = std::max(wait, (1 - requests_) * 60.0 / rpm_);
  if (tokens_ < need) wait = std::max(wait, (need - tokens_) * 60.0 / tpm_);
  if (wait > 0) return wait;
  requests_ -= 1;
  tokens_ -= need;
  return 0;
}

void RateLimiter::HoldUntil(double until) {
  std::lock_guard lock(mu_);
  hold_until_ = std::max(hold_until_, until);
}

bool RateLimiter::Take(int64_t tokens, const std::atomic<bool>* cancel) {
  for (;;) {
    const double wait = TryTake(tokens, SteadyNow());
    if (wait <= 0) return true;
    if (!SleepUnlessCancelled(std::min(wait, 1.0), cancel)) return false;
  }
}

void RateLimiter::Settle(int64_t estimated, int64_t actual) {
  std::lock_guard lock(mu_);
  tokens_ = std::min(tpm_, tokens_ + static_cast<double>(estimated - actual));
}

Budget::Budget(double daily_usd, store::Store* store, const Clock* clock)
    : limit_nanos_(static_cast<int64_t>(std::llround(daily_usd * 1e9))), store_(store), clock_(clock) {}

std::string Budget::DayKey(uint64_t unix_ns) {
  const std::time_t secs = static_cast<std::time_t>(unix_ns / 1'000'000'000ull);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

uint64_t Budget::NextDayStartNs() const { return (clock_->NowUnixNanos() / kDayNs + 1) * kDayNs; }

void Budget::RollLocked() {
  const std::string today = DayKey(clock_->NowUnixNanos());
  if (today == day_) return;
  day_ = today;
  spent_ = 0;
  if (!store_) return;
  auto v = store_->GetValue(kSpendNamespace, day_);
  if (v.ok() && v->has_value()) {
    const std::string& text = **v;
    int64_t n = 0;
    if (std::from_chars(text.data(), text.data() + text.size(), n).ec == std::errc()) spent_ = n;
  }
}

Status Budget::Load() {
  std::lock_guard lock(mu_);
  day_.clear();
  if (store_) {
    auto v = store_->GetValue(kSpendNamespace, DayKey(clock_->NowUnixNanos()));
    if (!v.ok()) return v.status().WithContext("reading the judge's spend");
  }
  RollLocked();
  return Status::Ok();
}

bool Budget::Exhausted() {
  std::lock_guard lock(mu_);
  RollLocked();
  return spent_ >= limit_nanos_;
}

Status Budget::Add(int64_t nanos) {
  std::lock_guard lock(mu_);
  RollLocked();
  spent_ += nanos;
  if (!store_) return Status::Ok();
  return store_->PutValue(kSpendNamespace, day_, std::to_string(spent_));
}

int64_t Budget::SpentTodayNanos() {
  std::lock_guard lock(mu_);
  RollLocked();
  return spent_;
}

}  // namespace loupe::eval
