#include "eval/limits.h"

#include <gtest/gtest.h>

namespace loupe::eval {
namespace {

constexpr uint64_t kDay = 86'400ull * 1'000'000'000ull;

TEST(RateLimiterTest, RequestsPerMinute) {
  RateLimiter l(60, 1'000'000);
  for (int i = 0; i < 60; ++i) EXPECT_EQ(l.TryTake(1, 100.0), 0) << i;
  EXPECT_NEAR(l.TryTake(1, 100.0), 1.0, 1e-9);  // one request a second refills
  EXPECT_EQ(l.TryTake(1, 101.0), 0);
}

TEST(RateLimiterTest, TokensPerMinuteAndSettle) {
  RateLimiter l(1000, 600);
  EXPECT_EQ(l.TryTake(500, 0.0), 0);
  EXPECT_NEAR(l.TryTake(200, 0.0), 10.0, 1e-9);  // 100 short at 10 tokens/s
  l.Settle(500, 100);                           // used far less than estimated
  EXPECT_EQ(l.TryTake(200, 0.0), 0);
  // A request larger than the whole minute goes once the bucket is full.
  RateLimiter big(10, 100);
  EXPECT_EQ(big.TryTake(10'000, 0.0), 0);
}

TEST(RateLimiterTest, HoldAfterThrottle) {
  RateLimiter l(1000, 1'000'000);
  l.HoldUntil(50.0);
  EXPECT_NEAR(l.TryTake(1, 45.0), 5.0, 1e-9);
  EXPECT_EQ(l.TryTake(1, 50.0), 0);
}

TEST(BudgetTest, ExhaustionAndNextDayResume) {
  ManualClock clock(20'000 * kDay + 3600ull * 1'000'000'000ull);
  Budget b(0.01, nullptr, &clock);  // one cent
  ASSERT_TRUE(b.Load().ok());
  EXPECT_FALSE(b.Exhausted());
  ASSERT_TRUE(b.Add(6'000'000).ok());
  EXPECT_FALSE(b.Exhausted());
  ASSERT_TRUE(b.Add(4'000'000).ok());
  EXPECT_TRUE(b.Exhausted());
  EXPECT_EQ(b.NextDayStartNs(), 20'001 * kDay);
  clock.Set(20'001 * kDay - 1);
  EXPECT_TRUE(b.Exhausted());
  clock.Set(20'001 * kDay);
  EXPECT_FALSE(b.Exhausted());
  EXPECT_EQ(b.SpentTodayNanos(), 0);
  EXPECT_EQ(Budget::DayKey(0), "1970-01-01");
}

}  // namespace
}  // namespace loupe::eval
