// LatencyHistogram: a mergeable latency distribution with fixed
// log-scale buckets, so per-minute rollups can be summed into any range
// and still give p50/p95/p99.
//
// Bucket i (1..kBuckets-2) holds durations in (kBase * 2^((i-1)/8),
// kBase * 2^(i/8)]; bucket 0 holds <= kBase (100 us) and the last one
// everything above ~2^23 * 100 us (~14 min). Eight buckets per doubling
// bound the relative error of a quantile at about 4.5%.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace loupe::store {

class LatencyHistogram {
 public:
  static constexpr int kBucketsPerDoubling = 8;
  static constexpr int kBuckets = 8 * 23 + 2;
  static constexpr double kBaseNanos = 100'000.0;

  void Add(uint64_t nanos, uint64_t count = 1) {
    buckets_[BucketOf(nanos)] += count;
    total_ += count;
  }
  void Merge(const LatencyHistogram& other);

  uint64_t count() const { return total_; }
  uint64_t bucket(int i) const { return buckets_[i]; }

  // The q-quantile (0 < q <= 1) in nanoseconds: the geometric middle of
  // the bucket holding it. 0 when empty.
  double QuantileNanos(double q) const;

  static int BucketOf(uint64_t nanos);
  static double UpperBoundNanos(int bucket);

  // Sparse encoding for the rollup tables: (bucket delta, count) varints.
  std::string Encode() const;
  // False on malformed bytes (the histogram is then left empty).
  bool Decode(std::string_view bytes);

  bool operator==(const LatencyHistogram&) const = default;

 private:
  std::array<uint64_t, kBuckets> buckets_{};
  uint64_t total_ = 0;
};

}  // namespace loupe::store
