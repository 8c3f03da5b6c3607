#include "eval/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace loupe::eval {
namespace {

SampleStats Of(const std::vector<double>& xs) {
  double s = 0, s2 = 0;
  for (double x : xs) {
    s += x;
    s2 += x * x;
  }
  return FromSums(static_cast<int64_t>(xs.size()), s, s2);
}

TEST(StatsTest, StudentT) {
  EXPECT_NEAR(StudentTCdf(0, 5), 0.5, 1e-12);
  EXPECT_NEAR(StudentTQuantile(0.975, 1), 12.706, 1e-3);   // textbook table values
  EXPECT_NEAR(StudentTQuantile(0.975, 10), 2.228, 1e-3);
  EXPECT_NEAR(StudentTQuantile(0.975, 1e6), 1.960, 1e-3);
  EXPECT_NEAR(StudentTCdf(-2.228, 10), 0.025, 1e-4);
}

TEST(StatsTest, MeanSdAndConfidenceInterval) {
  SampleStats s = Of({2, 4, 4, 4, 5, 5, 7, 9});
  EXPECT_DOUBLE_EQ(s.mean, 5);
  EXPECT_NEAR(s.stddev, 2.138, 1e-3);
  ASSERT_TRUE(s.ci_low && s.ci_high);
  // mean +- t(0.975, 7) * sd / sqrt(8) = 5 +- 2.365 * 0.756
  EXPECT_NEAR(*s.ci_high - s.mean, 1.787, 1e-3);
  EXPECT_FALSE(Of({3}).ci_low.has_value());
}

TEST(StatsTest, WelchKnownValues) {
  // Welch's example data: t and df computed by hand (scipy agrees).
  SampleStats a = Of({27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4});
  SampleStats b = Of({27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4});
  WelchResult r = WelchTest(a, b);
  ASSERT_TRUE(r.valid);
  EXPECT_NEAR(r.t, 2.46, 0.01);
  EXPECT_NEAR(r.df, 24.99, 0.05);
  EXPECT_NEAR(r.p_value, 0.021, 0.002);
  EXPECT_TRUE(r.significant);
}

TEST(StatsTest, NoDifferenceIsNotSignificant) {
  WelchResult r = WelchTest(Of({3, 4, 5, 4, 3, 5, 4}), Of({4, 3, 5, 4, 5, 3, 4}));
  ASSERT_TRUE(r.valid);
  EXPECT_NEAR(r.t, 0, 1e-9);
  EXPECT_FALSE(r.significant);
  EXPECT_FALSE(WelchTest(Of({1}), Of({2, 3})).valid);
  EXPECT_TRUE(WelchTest(Of({4, 4, 4}), Of({5, 5, 5})).significant);
  EXPECT_FALSE(WelchTest(Of({4, 4, 4}), Of({4, 4})).significant);
}

}  // namespace
}  // namespace loupe::eval
