// Rng: the demo's only source of randomness. A SplitMix64 stream written out
// here (not <random>'s distributions, whose results differ between standard
// libraries) so that one --seed gives the same traffic everywhere.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace loupe::demo {

// SplitMix64 step: also used alone to derive ids from (seed, counter, time).
inline uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// Not thread-safe: one generator owns one Rng.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ull;
    return Mix64(state_ - 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull);
  }
  // Uniform in [0, 1), 53 bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in [lo, hi).
  double Range(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform integer in [lo, hi]. REQUIRES: lo <= hi.
  int64_t Int(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(double p) { return Uniform() < p; }
  // Log-normal around `median` with spread `sigma` (0.3 is +-35%).
  double LogNormal(double median, double sigma) {
    // Box-Muller; Uniform() can be 0, so shift it into (0, 1].
    double u1 = 1.0 - Uniform(), u2 = Uniform();
    double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    return median * std::exp(sigma * z);
  }
  // Exponential with the given mean (Poisson arrivals).
  double Exponential(double mean) { return -mean * std::log(1.0 - Uniform()); }
  // Index drawn with the given weights. REQUIRES: some weight > 0.
  size_t Weighted(const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double r = Uniform() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return weights.size() - 1;
  }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<size_t>(Next() % items.size())];
  }

 private:
  uint64_t state_;
};

}  // namespace loupe::demo
