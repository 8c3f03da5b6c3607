// The statistics behind /compare: mean, standard deviation and 95%
// confidence interval from (count, sum, sum of squares), and Welch's
// t-test for two samples with unequal variances.
#pragma once

#include <cstdint>
#include <optional>

namespace loupe::eval {

struct SampleStats {
  int64_t n = 0;
  double mean = 0;
  double stddev = 0;                       // sample standard deviation (n - 1)
  std::optional<double> ci_low, ci_high;   // 95% CI of the mean (Student t); unset when n < 2
};

SampleStats FromSums(int64_t n, double sum, double sum_squares);

struct WelchResult {
  bool valid = false;  // false when either side has fewer than 2 values, or no variance at all
  double t = 0, df = 0, p_value = 1;
  bool significant = false;  // p_value < alpha
};

// Tests whether the means of `a` and `b` differ (two-sided).
WelchResult WelchTest(const SampleStats& a, const SampleStats& b, double alpha = 0.05);

// P(T <= t) for Student's t with `df` degrees of freedom (df > 0).
double StudentTCdf(double t, double df);
// The t with P(T <= t) = p, by bisection (0 < p < 1).
double StudentTQuantile(double p, double df);

}  // namespace loupe::eval
