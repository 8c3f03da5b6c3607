#include "eval/stats.h"

#include <cmath>

namespace loupe::eval {
namespace {

// Continued fraction of the regularised incomplete beta (modified Lentz).
double BetaContinuedFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEps = 1e-14;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 500; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) < kEps) break;
  }
  return h;
}

// I_x(a, b).
double RegularizedBeta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double front =
      std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * BetaContinuedFraction(a, b, x) / a;
  return 1 - front * BetaContinuedFraction(b, a, 1 - x) / b;
}

}  // namespace

double StudentTCdf(double t, double df) {
  const double x = df / (df + t * t);
  const double tail = 0.5 * RegularizedBeta(df / 2, 0.5, x);  // P(T > |t|)
  return t >= 0 ? 1 - tail : tail;
}

double StudentTQuantile(double p, double df) {
  double lo = -1e3, hi = 1e3;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    (StudentTCdf(mid, df) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

SampleStats FromSums(int64_t n, double sum, double sum_squares) {
  SampleStats s;
  s.n = n;
  if (n <= 0) return s;
  s.mean = sum / static_cast<double>(n);
  if (n < 2) return s;
  // Guard against tiny negative values from rounding.
  const double var = std::max(0.0, (sum_squares - sum * s.mean) / static_cast<double>(n - 1));
  s.stddev = std::sqrt(var);
  const double half = StudentTQuantile(0.975, static_cast<double>(n - 1)) * s.stddev / std::sqrt(static_cast<double>(n));
  s.ci_low = s.mean - half;
  s.ci_high = s.mean + half;
  return s;
}

WelchResult WelchTest(const SampleStats& a, const SampleStats& b, double alpha) {
  WelchResult r;
  if (a.n < 2 || b.n < 2) return r;
  const double va = a.stddev * a.stddev / static_cast<double>(a.n);
  const double vb = b.stddev * b.stddev / static_cast<double>(b.n);
  const double se2 = va + vb;
  if (se2 <= 0) {
    // No variance on either side: equal means are no difference; different
    // constant means are as certain as data gets.
    r.valid = true;
    r.p_value = a.mean == b.mean ? 1 : 0;
    r.t = a.mean == b.mean ? 0 : (b.mean > a.mean ? INFINITY : -INFINITY);
    r.df = static_cast<double>(a.n + b.n - 2);
    r.significant = r.p_value < alpha;
    return r;
  }
  r.valid = true;
  r.t = (b.mean - a.mean) / std::sqrt(se2);
  r.df = se2 * se2 / (va * va / static_cast<double>(a.n - 1) + vb * vb / static_cast<double>(b.n - 1));
  r.p_value = 2 * (1 - StudentTCdf(std::fabs(r.t), r.df));
  r.significant = r.p_value < alpha;
  return r;
}

}  // namespace loupe::eval
