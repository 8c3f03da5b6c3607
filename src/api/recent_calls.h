// RecentCalls: a bounded in-memory window of the newest LLM calls, the
// live tail behind GET /api/v1/llm-calls/recent. It needs no store, so it
// answers from the first span on; the durable store (a later stage)
// answers history.
#pragma once

#include <deque>
#include <mutex>
#include <string>

#include "model/consumer.h"

namespace loupe::api {

class RecentCalls final : public model::BatchConsumer {
 public:
  explicit RecentCalls(size_t capacity) : capacity_(capacity) {}

  // Keeps copies of the batches' LLM calls, dropping the oldest past
  // capacity. Never fails.
  Status Consume(std::span<model::Batch* const> batches) override;

  // {"calls": [...]} with the newest `limit` calls, newest first.
  // Thread-safe.
  std::string RenderJson(size_t limit) const;

  size_t size() const;

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  std::deque<model::SpanRecord> calls_;  // GUARDED_BY(mu_), oldest first
};

}  // namespace loupe::api
