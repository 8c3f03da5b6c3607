// EarlyLogs: copies of log events that arrived before their span.
//
// SDKs export logs and spans through separate processors (the log batch
// processor flushes sooner), so a call's prompt and completion events
// often reach Loupe a request ahead of the span they belong to. The
// originals stay in their batch (so they are stored and acknowledged like
// any data); a copy waits here, bounded in count and age, and is joined to
// the span when it arrives.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <utility>
#include <vector>

#include "model/span.h"

namespace loupe::genai {

class EarlyLogs {
 public:
  EarlyLogs(size_t max_records, uint64_t max_age_nanos) : max_records_(max_records), max_age_nanos_(max_age_nanos) {}

  // Keeps a copy of `log` (which must carry a span id) seen at `now`.
  void Add(const model::LogRecord& log, uint64_t now);
  // Moves out every waiting copy for this span, oldest first.
  std::vector<model::LogRecord> Take(const model::TraceId& trace, const model::SpanId& span);
  // Drops copies older than max_age at `now`.
  void Expire(uint64_t now);

  size_t size() const { return size_; }
  uint64_t dropped() const { return dropped_; }

 private:
  using Key = std::pair<model::TraceId, model::SpanId>;
  struct Waiting {
    uint64_t added = 0;
    model::LogRecord log;
  };
  void DropOldest();

  const size_t max_records_;
  const uint64_t max_age_nanos_;
  std::map<Key, std::deque<Waiting>> by_span_;
  std::deque<std::pair<uint64_t, Key>> arrival_;  // (added, key), oldest first; may hold stale keys
  size_t size_ = 0;
  uint64_t dropped_ = 0;  // expired or pushed out without meeting their span
};

}  // namespace loupe::genai
