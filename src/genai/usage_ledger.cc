#include "genai/usage_ledger.h"

#include <cstring>

namespace loupe::genai {

size_t UsageLedger::TraceHash::operator()(const model::TraceId& id) const {
  // Trace ids are random: their low bytes are already a good hash.
  uint64_t a = 0, b = 0;
  std::memcpy(&a, id.data(), 8);
  std::memcpy(&b, id.data() + 8, 8);
  return static_cast<size_t>(a ^ (b * 0x9e3779b97f4a7c15ULL));
}

size_t UsageLedger::SpanHash::operator()(const model::SpanId& id) const {
  uint64_t a = 0;
  std::memcpy(&a, id.data(), 8);
  return static_cast<size_t>(a * 0x9e3779b97f4a7c15ULL);
}

UsageLedger::UsageLedger(size_t trace_capacity, size_t spans_per_trace)
    : trace_capacity_(trace_capacity == 0 ? 1 : trace_capacity),
      spans_per_trace_(spans_per_trace == 0 ? 1 : spans_per_trace) {}

UsageLedger::Entry* UsageLedger::Lookup(const model::TraceId& trace) {
  auto it = traces_.find(trace);
  if (it == traces_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return &it->second;
}

UsageLedger::Entry* UsageLedger::LookupOrCreate(const model::TraceId& trace) {
  if (Entry* e = Lookup(trace)) return e;
  if (traces_.size() >= trace_capacity_) {
    traces_.erase(lru_.back());
    lru_.pop_back();
    ++evicted_traces_;
  }
  lru_.push_front(trace);
  Entry& e = traces_[trace];
  e.lru = lru_.begin();
  return &e;
}

void UsageLedger::Insert(std::unordered_set<model::SpanId, SpanHash>* set, const model::SpanId& id) {
  if (model::IsZero(id) || set->count(id) != 0) return;
  if (set->size() >= spans_per_trace_) {
    ++dropped_marks_;
    return;
  }
  set->insert(id);
}

void UsageLedger::Mark(Entry* entry, const model::SpanId& id) { Insert(&entry->marked, id); }

bool UsageLedger::HasCountedBelow(const model::TraceId& trace, const model::SpanId& span_id) {
  Entry* e = Lookup(trace);
  return e != nullptr && e->marked.count(span_id) != 0;
}

bool UsageLedger::HasCounted(const model::TraceId& trace, const model::SpanId& span_id) {
  Entry* e = Lookup(trace);
  return e != nullptr && e->counted.count(span_id) != 0;
}

void UsageLedger::MarkCounted(const model::TraceId& trace, const model::SpanId& span_id,
                              const model::SpanId& parent) {
  Entry* e = LookupOrCreate(trace);
  Insert(&e->counted, span_id);
  Mark(e, span_id);
  Mark(e, parent);
}

void UsageLedger::Propagate(const model::TraceId& trace, const model::SpanId& span_id,
                            const model::SpanId& parent) {
  Entry* e = Lookup(trace);
  if (e == nullptr || e->marked.count(span_id) == 0) return;
  Mark(e, parent);
}

}  // namespace loupe::genai
