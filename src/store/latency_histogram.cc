#include "store/latency_histogram.h"

#include <cmath>

#include "store/wire.h"

namespace loupe::store {

int LatencyHistogram::BucketOf(uint64_t nanos) {
  if (nanos <= kBaseNanos) return 0;
  double b = std::ceil(std::log2(static_cast<double>(nanos) / kBaseNanos) * kBucketsPerDoubling);
  // Exact powers can land one bucket high through rounding; fix up.
  int i = static_cast<int>(b);
  if (i > 1 && nanos <= UpperBoundNanos(i - 1)) --i;
  return i >= kBuckets - 1 ? kBuckets - 1 : i;
}

double LatencyHistogram::UpperBoundNanos(int bucket) {
  return kBaseNanos * std::exp2(static_cast<double>(bucket) / kBucketsPerDoubling);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  for (int i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  total_ += other.total_;
}

double LatencyHistogram::QuantileNanos(double q) const {
  if (total_ == 0) return 0;
  uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(total_)));
  if (rank == 0) rank = 1;
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      if (i == 0) return kBaseNanos / 2;
      return std::sqrt(UpperBoundNanos(i - 1) * UpperBoundNanos(i));
    }
  }
  return UpperBoundNanos(kBuckets - 1);
}

std::string LatencyHistogram::Encode() const {
  Writer w;
  int last = 0;
  for (int i = 0; i < kBuckets; ++i) {
    if (buckets_[i] == 0) continue;
    w.PutVarint(static_cast<uint64_t>(i - last));
    w.PutVarint(buckets_[i]);
    last = i;
  }
  return w.Release();
}

bool LatencyHistogram::Decode(std::string_view bytes) {
  *this = LatencyHistogram();
  Reader r(bytes);
  uint64_t bucket = 0;
  while (!r.done()) {
    uint64_t delta, count;
    if (!r.GetVarint(&delta) || !r.GetVarint(&count) || bucket + delta >= kBuckets) {
      *this = LatencyHistogram();
      return false;
    }
    bucket += delta;
    buckets_[bucket] += count;
    total_ += count;
  }
  return true;
}

}  // namespace loupe::store
