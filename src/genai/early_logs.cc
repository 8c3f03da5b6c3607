#include "genai/early_logs.h"

namespace loupe::genai {

void EarlyLogs::Add(const model::LogRecord& log, uint64_t now) {
  if (max_records_ == 0) return;
  while (size_ >= max_records_) DropOldest();
  Key key{log.trace_id, log.span_id};
  by_span_[key].push_back({now, log});
  arrival_.emplace_back(now, key);
  ++size_;
}

std::vector<model::LogRecord> EarlyLogs::Take(const model::TraceId& trace, const model::SpanId& span) {
  std::vector<model::LogRecord> out;
  auto it = by_span_.find(Key{trace, span});
  if (it == by_span_.end()) return out;
  for (auto& w : it->second) out.push_back(std::move(w.log));
  size_ -= it->second.size();
  by_span_.erase(it);
  // arrival_ keeps the stale key; DropOldest/Expire skip it.
  return out;
}

void EarlyLogs::DropOldest() {
  while (!arrival_.empty()) {
    auto [added, key] = arrival_.front();
    arrival_.pop_front();
    auto it = by_span_.find(key);
    if (it == by_span_.end() || it->second.empty() || it->second.front().added != added) continue;
    it->second.pop_front();
    if (it->second.empty()) by_span_.erase(it);
    --size_;
    ++dropped_;
    return;
  }
}

void EarlyLogs::Expire(uint64_t now) {
  while (!arrival_.empty() && arrival_.front().first + max_age_nanos_ < now) {
    auto [added, key] = arrival_.front();
    auto it = by_span_.find(key);
    if (it == by_span_.end() || it->second.empty() || it->second.front().added != added) {
      arrival_.pop_front();  // stale: already taken
      continue;
    }
    DropOldest();
  }
}

}  // namespace loupe::genai
