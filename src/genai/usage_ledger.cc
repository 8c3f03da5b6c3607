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

uint8_t UsageLedger::Entry::FlagsOf(const model::SpanId& id) const {
  for (size_t i = 0; i < inline_size; ++i) {
    if (ids[i] == id) return flags[i];
  }
  if (more) {
    if (auto it = more->find(id); it != more->end()) return it->second;
  }
  return 0;
}

uint8_t* UsageLedger::Entry::Slot(const model::SpanId& id) {
  for (size_t i = 0; i < inline_size; ++i) {
    if (ids[i] == id) return &flags[i];
  }
  if (inline_size < kInline && !more) {
    ids[inline_size] = id;
    flags[inline_size] = 0;
    return &flags[inline_size++];
  }
  if (!more) more = std::make_unique<std::unordered_map<model::SpanId, uint8_t, SpanHash>>();
  return &(*more)[id];
}

void UsageLedger::Insert(Entry* entry, const model::SpanId& id, uint8_t flag) {
  if (model::IsZero(id) || (entry->FlagsOf(id) & flag) != 0) return;
  uint32_t& size = flag == kMarked ? entry->marked : entry->counted;
  if (size >= spans_per_trace_) {
    ++dropped_marks_;
    return;
  }
  *entry->Slot(id) |= flag;
  ++size;
}

bool UsageLedger::HasCountedBelow(const model::TraceId& trace, const model::SpanId& span_id) {
  Entry* e = Lookup(trace);
  return e != nullptr && (e->FlagsOf(span_id) & kMarked) != 0;
}

bool UsageLedger::HasCounted(const model::TraceId& trace, const model::SpanId& span_id) {
  Entry* e = Lookup(trace);
  return e != nullptr && (e->FlagsOf(span_id) & kCounted) != 0;
}

void UsageLedger::MarkCounted(const model::TraceId& trace, const model::SpanId& span_id,
                              const model::SpanId& parent) {
  Entry* e = LookupOrCreate(trace);
  Insert(e, span_id, kCounted);
  Mark(e, span_id);
  Mark(e, parent);
}

void UsageLedger::Propagate(const model::TraceId& trace, const model::SpanId& span_id,
                            const model::SpanId& parent) {
  Entry* e = Lookup(trace);
  if (e == nullptr || (e->FlagsOf(span_id) & kMarked) == 0) return;
  Mark(e, parent);
}

}  // namespace loupe::genai
