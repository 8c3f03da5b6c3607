#include "store/latency_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace loupe::store {
namespace {

TEST(LatencyHistogram, BucketsAreMonotoneAndBounded) {
  int last = 0;
  for (uint64_t ns = 1; ns < (uint64_t{1} << 45); ns = ns * 11 / 10 + 1) {
    int b = LatencyHistogram::BucketOf(ns);
    EXPECT_GE(b, last);
    EXPECT_LT(b, LatencyHistogram::kBuckets);
    if (b > 0 && b < LatencyHistogram::kBuckets - 1) {
      EXPECT_LE(static_cast<double>(ns), LatencyHistogram::UpperBoundNanos(b) * 1.0000001);
      EXPECT_GT(static_cast<double>(ns), LatencyHistogram::UpperBoundNanos(b - 1) * 0.9999999);
    }
    last = b;
  }
}

TEST(LatencyHistogram, QuantilesWithinBucketErrorOfExact) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(std::log(200e6), 1.0);  // ~200 ms median
  std::vector<uint64_t> values;
  LatencyHistogram a, b;
  for (int i = 0; i < 20000; ++i) {
    uint64_t v = static_cast<uint64_t>(dist(rng));
    values.push_back(v);
    (i % 2 ? a : b).Add(v);
  }
  a.Merge(b);  // mergeable: two halves give the whole
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.95, 0.99}) {
    double exact = static_cast<double>(values[static_cast<size_t>(q * values.size()) - 1]);
    EXPECT_NEAR(a.QuantileNanos(q) / exact, 1.0, 0.05) << q;
  }
  LatencyHistogram decoded;
  ASSERT_TRUE(decoded.Decode(a.Encode()));
  EXPECT_EQ(decoded, a);
  EXPECT_FALSE(decoded.Decode("\xff"));
}

}  // namespace
}  // namespace loupe::store
