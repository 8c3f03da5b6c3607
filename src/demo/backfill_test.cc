#include "demo/backfill.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace loupe::demo {
namespace {

constexpr uint64_t kSecond = 1'000'000'000ull;
constexpr uint64_t kDay = 86400 * kSecond;
// Monday 2025-06-16 09:30 UTC.
constexpr uint64_t kNow = 1'750'066'200ull * kSecond;

TEST(BackfillTest, TimesAreSortedInsideTheRangeAndDeterministic) {
  auto times = BackfillTimes(1, kNow, 7 * kDay, 3000);
  ASSERT_EQ(times.size(), 3000u);
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  EXPECT_GE(times.front(), kNow - 7 * kDay);
  EXPECT_LT(times.back(), kNow - 60 * kSecond);
  EXPECT_EQ(times, BackfillTimes(1, kNow, 7 * kDay, 3000));
  EXPECT_NE(times, BackfillTimes(2, kNow, 7 * kDay, 3000));
  // Every day of the week has history.
  for (int d = 0; d < 7; ++d) {
    uint64_t from = kNow - static_cast<uint64_t>(7 - d) * kDay;
    auto n = std::count_if(times.begin(), times.end(), [&](uint64_t t) { return t >= from && t < from + kDay; });
    EXPECT_GT(n, 100) << "day " << d;
  }
}

TEST(BackfillTest, FollowsTheDailyCycle) {
  auto times = BackfillTimes(3, kNow, 14 * kDay, 10000);
  int afternoon = 0, night = 0;
  for (uint64_t t : times) {
    uint64_t hour = (t / kSecond % 86400) / 3600;
    if (hour >= 12 && hour < 16) ++afternoon;
    if (hour < 4) ++night;
  }
  EXPECT_GT(afternoon, 3 * night);
  EXPECT_GT(night, 0);
  // Weekdays busier than weekends: Wednesday 14:00 vs Saturday 14:00.
  const uint64_t wednesday = 1'749'650'400ull * kSecond;  // 2025-06-11 14:00 UTC
  EXPECT_DOUBLE_EQ(TrafficWeight(wednesday), 1.0);
  EXPECT_LT(TrafficWeight(wednesday + 3 * kDay), 0.6);
}

TEST(BackfillTest, DegenerateInputsGiveNothing) {
  EXPECT_TRUE(BackfillTimes(1, kNow, 7 * kDay, 0).empty());
  EXPECT_TRUE(BackfillTimes(1, kNow, 30 * kSecond, 10).empty());
  EXPECT_TRUE(BackfillTimes(1, 5 * kSecond, 7 * kDay, 10).empty());
}

TEST(BackfillTest, DefaultCountIsAFewThousandForAWeek) {
  EXPECT_EQ(DefaultBackfillCount(7 * 86400.0), 3024u);
  EXPECT_EQ(DefaultBackfillCount(60), 100u);
  EXPECT_EQ(DefaultBackfillCount(365 * 86400.0), 20000u);
}

}  // namespace
}  // namespace loupe::demo
