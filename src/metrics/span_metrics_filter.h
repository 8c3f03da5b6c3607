// RecentSpanFilter: the exactly-once guard for span metrics when there is
// no store to say which spans are new. It remembers the last `capacity`
// (trace id, span id) pairs it let through, so a retried delivery of the
// same span (an OTLP client retrying after a lost acknowledgement) is not
// counted twice. Older ids are forgotten first in arrival order; a retry
// later than `capacity` spans counts again (the documented bound).
//
// It keeps a 64-bit fingerprint per id, in a fixed open-addressing table
// allocated once: no allocation per span. Two different ids share a
// fingerprint with probability ~capacity / 2^64, which would drop one span.
//
// Thread-safe (one mutex).
#pragma once

#include <cstdint>
#include <mutex>
#include <span>
#include <vector>

#include "model/batch.h"

namespace loupe::metrics {

class RecentSpanFilter {
 public:
  // REQUIRES: capacity >= 1.
  explicit RecentSpanFilter(size_t capacity);

  RecentSpanFilter(const RecentSpanFilter&) = delete;
  RecentSpanFilter& operator=(const RecentSpanFilter&) = delete;

  // True when the id was not among the remembered ones; it is remembered
  // from now on.
  bool Insert(const model::TraceId& trace_id, const model::SpanId& span_id);

  // Appends to `out` the spans of `in` seen for the first time (a span
  // repeated inside `in` is kept once). Takes the lock once.
  void FilterNew(std::span<const model::SpanRecord* const> in, std::vector<const model::SpanRecord*>* out);

  size_t capacity() const { return capacity_; }
  // Spans refused as repeats, over the filter's life.
  uint64_t duplicates() const;

 private:
  bool InsertLocked(uint64_t fingerprint);
  void EraseLocked(uint64_t fingerprint);

  const size_t capacity_;
  const size_t mask_;  // table size - 1; the table is a power of two >= 2 x capacity
  mutable std::mutex mu_;
  std::vector<uint64_t> table_;  // GUARDED_BY(mu_); 0 = empty slot
  std::vector<uint64_t> ring_;   // GUARDED_BY(mu_); fingerprints in arrival order
  size_t ring_next_ = 0;         // GUARDED_BY(mu_)
  size_t size_ = 0;              // GUARDED_BY(mu_)
  uint64_t duplicates_ = 0;      // GUARDED_BY(mu_)
};

// The fingerprint the filter keeps: a mix of all 24 id bytes, never 0.
uint64_t SpanFingerprint(const model::TraceId& trace_id, const model::SpanId& span_id);

}  // namespace loupe::metrics
