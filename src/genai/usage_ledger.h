// UsageLedger: the trace-level half of the double-count rule. A span does
// not count usage when a descendant in the same trace already counted.
//
// Children usually end, and so arrive, before their parents; the ledger
// remembers, per recent trace, which span ids have counted usage at or
// below them, and which counted themselves. Memory is bounded: at most
// `trace_capacity` traces (least recently used forgotten first) and
// `spans_per_trace` ids per trace in each of the two sets.
//
// Not thread-safe: owned by the Normalizer, used from one pipeline thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <array>
#include <list>
#include <memory>
#include <unordered_map>

#include "model/span.h"

namespace loupe::genai {

class UsageLedger {
 public:
  UsageLedger(size_t trace_capacity, size_t spans_per_trace);

  // True if a descendant of `span_id` (or an earlier copy of the span
  // itself) has counted usage.
  bool HasCountedBelow(const model::TraceId& trace, const model::SpanId& span_id);
  // True if `span_id` itself counted usage. A call whose parent counted is
  // the same model call seen by two instrumentations (an SDK's own span
  // under an instrumentation's span) that arrived parent first.
  bool HasCounted(const model::TraceId& trace, const model::SpanId& span_id);
  // Records that `span_id` counted usage: it and its parent are marked.
  void MarkCounted(const model::TraceId& trace, const model::SpanId& span_id, const model::SpanId& parent);
  // Records that `span_id` arrived: if it is marked, its parent becomes
  // marked too, so the mark climbs to every ancestor as they arrive.
  void Propagate(const model::TraceId& trace, const model::SpanId& span_id, const model::SpanId& parent);

  size_t traces() const { return traces_.size(); }
  uint64_t evicted_traces() const { return evicted_traces_; }
  uint64_t dropped_marks() const { return dropped_marks_; }

 private:
  struct TraceHash {
    size_t operator()(const model::TraceId& id) const;
  };
  struct SpanHash {
    size_t operator()(const model::SpanId& id) const;
  };
  // Flags of one span id in a trace.
  static constexpr uint8_t kMarked = 1;   // counted at or below
  static constexpr uint8_t kCounted = 2;  // counted itself
  // Most traces in the ledger hold one or two ids (a call and its parent),
  // and there are up to trace_capacity of them: the first few ids live in
  // the entry itself, and only bigger traces allocate a hash map. (Two
  // hash sets per trace cost about 0.5 KB, 50 MB at the default capacity.)
  static constexpr size_t kInline = 3;
  struct Entry {
    std::array<model::SpanId, kInline> ids{};
    std::array<uint8_t, kInline> flags{};
    uint8_t inline_size = 0;
    uint32_t marked = 0, counted = 0;  // ids with each flag, each bounded by spans_per_trace
    std::unique_ptr<std::unordered_map<model::SpanId, uint8_t, SpanHash>> more;
    std::list<model::TraceId>::iterator lru;

    uint8_t FlagsOf(const model::SpanId& id) const;
    uint8_t* Slot(const model::SpanId& id);  // creates the id with no flags
  };

  Entry* Lookup(const model::TraceId& trace);  // touches LRU order
  Entry* LookupOrCreate(const model::TraceId& trace);
  void Mark(Entry* entry, const model::SpanId& id) { Insert(entry, id, kMarked); }
  void Insert(Entry* entry, const model::SpanId& id, uint8_t flag);

  const size_t trace_capacity_;
  const size_t spans_per_trace_;
  std::list<model::TraceId> lru_;  // front = most recently used
  std::unordered_map<model::TraceId, Entry, TraceHash> traces_;
  uint64_t evicted_traces_ = 0;
  uint64_t dropped_marks_ = 0;
};

}  // namespace loupe::genai
