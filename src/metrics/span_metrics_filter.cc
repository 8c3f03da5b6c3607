#include "metrics/span_metrics_filter.h"

#include <cstring>

namespace loupe::metrics {
namespace {

// splitmix64's finaliser: ids from tests and some SDKs are sequential,
// so the bytes are mixed before they pick a slot.
uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

size_t TableSizeFor(size_t capacity) {
  size_t size = 16;
  while (size < capacity * 2) size <<= 1;
  return size;
}

}  // namespace

uint64_t SpanFingerprint(const model::TraceId& trace_id, const model::SpanId& span_id) {
  uint64_t a, b, c;
  std::memcpy(&a, trace_id.data(), 8);
  std::memcpy(&b, trace_id.data() + 8, 8);
  std::memcpy(&c, span_id.data(), 8);
  uint64_t h = Mix(a ^ 0x9e3779b97f4a7c15ULL);
  h = Mix(h ^ b);
  h = Mix(h ^ c);
  return h == 0 ? 1 : h;
}

RecentSpanFilter::RecentSpanFilter(size_t capacity)
    : capacity_(capacity < 1 ? 1 : capacity),
      mask_(TableSizeFor(capacity_) - 1),
      table_(mask_ + 1, 0),
      ring_(capacity_, 0) {}

bool RecentSpanFilter::Insert(const model::TraceId& trace_id, const model::SpanId& span_id) {
  uint64_t fp = SpanFingerprint(trace_id, span_id);
  std::lock_guard<std::mutex> lock(mu_);
  return InsertLocked(fp);
}

void RecentSpanFilter::FilterNew(std::span<const model::SpanRecord* const> in,
                                 std::vector<const model::SpanRecord*>* out) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const model::SpanRecord* r : in) {
    if (InsertLocked(SpanFingerprint(r->span.trace_id, r->span.span_id))) out->push_back(r);
  }
}

uint64_t RecentSpanFilter::duplicates() const {
  std::lock_guard<std::mutex> lock(mu_);
  return duplicates_;
}

bool RecentSpanFilter::InsertLocked(uint64_t fp) {
  size_t slot = fp & mask_;
  while (table_[slot] != 0) {
    if (table_[slot] == fp) {
      ++duplicates_;
      return false;
    }
    slot = (slot + 1) & mask_;
  }
  if (size_ == capacity_) {
    // Full: forget the oldest id. Erasing shifts entries back, which can
    // move the free slot just found, so probe again.
    EraseLocked(ring_[ring_next_]);
    --size_;
    slot = fp & mask_;
    while (table_[slot] != 0) slot = (slot + 1) & mask_;
  }
  table_[slot] = fp;
  ring_[ring_next_] = fp;
  ring_next_ = (ring_next_ + 1) % capacity_;
  ++size_;
  return true;
}

// Linear-probing deletion by backward shift: later entries of the same
// probe run move up so that lookups never stop at a hole early.
void RecentSpanFilter::EraseLocked(uint64_t fp) {
  size_t slot = fp & mask_;
  while (table_[slot] != fp) {
    if (table_[slot] == 0) return;  // not present (cannot happen; defensive)
    slot = (slot + 1) & mask_;
  }
  size_t hole = slot;
  size_t next = (hole + 1) & mask_;
  while (table_[next] != 0) {
    size_t home = table_[next] & mask_;
    // Move `next` into the hole when its home is not in (hole, next].
    bool home_between = hole <= next ? (home > hole && home <= next) : (home > hole || home <= next);
    if (!home_between) {
      table_[hole] = table_[next];
      hole = next;
    }
    next = (next + 1) & mask_;
  }
  table_[hole] = 0;
}

}  // namespace loupe::metrics
