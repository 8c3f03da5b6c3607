// RecentCalls: a bounded in-memory window of the newest LLM calls, the
// live tail behind GET /api/v1/llm-calls/recent. It needs no store, so it
// answers from the first span on; the durable store answers history.
//
// Log events that arrive after their span (SDKs export logs and spans
// separately) are joined to the call here, and the call's content is
// re-read from them.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "model/consumer.h"

namespace loupe::api {

class RecentCalls final : public model::BatchConsumer {
 public:
  // Re-reads a span's LLM call after log events were joined to it (the
  // normaliser's NormalizeSpan); may be empty, then late logs are kept but
  // content is not re-read.
  using Renormalize = std::function<std::optional<model::LlmCall>(const model::Span&)>;

  // Keeps at most `capacity` calls and about `max_bytes` of span data.
  RecentCalls(size_t capacity, size_t max_bytes = 64u << 20, Renormalize renormalize = {})
      : capacity_(capacity), max_bytes_(max_bytes), renormalize_(std::move(renormalize)) {}

  // Keeps copies of the batches' LLM calls, dropping the oldest past the
  // bounds, and joins the batches' unjoined logs to calls in the window.
  // Never fails.
  Status Consume(std::span<model::Batch* const> batches) override;

  // {"calls": [...]} with the newest `limit` calls, newest first.
  // Thread-safe.
  std::string RenderJson(size_t limit) const;

  size_t size() const;

 private:
  using Key = std::pair<model::TraceId, model::SpanId>;
  struct Entry {
    uint64_t seq = 0;
    size_t bytes = 0;
    model::SpanRecord record;
  };
  void JoinLateLog(const model::LogRecord& log);  // REQUIRES: mu_ held
  void DropOldest();                              // REQUIRES: mu_ held

  const size_t capacity_;
  const size_t max_bytes_;
  const Renormalize renormalize_;
  mutable std::mutex mu_;
  std::deque<Entry> calls_;         // GUARDED_BY(mu_), oldest first
  std::map<Key, uint64_t> by_span_;  // GUARDED_BY(mu_): span -> seq
  uint64_t next_seq_ = 0;           // GUARDED_BY(mu_)
  size_t bytes_ = 0;                // GUARDED_BY(mu_)
};

// A rough size of a span's variable data, for memory bounds.
size_t ApproxBytes(const model::Span& span);

}  // namespace loupe::api
