#include "api/recent_calls.h"

#include "api/llm_call_json.h"

namespace loupe::api {

Status RecentCalls::Consume(std::span<model::Batch* const> batches) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const model::Batch* batch : batches) {
    for (const model::SpanRecord& record : batch->spans) {
      if (!record.llm) continue;
      calls_.push_back(record);
      // Joined log records and raw attributes can be large; the tail
      // needs only the normalised call.
      calls_.back().span.logs.clear();
      calls_.back().span.attributes = {};
      calls_.back().span.events.clear();
      if (calls_.size() > capacity_) calls_.pop_front();
    }
  }
  return Status::Ok();
}

std::string RecentCalls::RenderJson(size_t limit) const {
  std::string out = "{\"calls\":[";
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (auto it = calls_.rbegin(); it != calls_.rend() && n < limit; ++it, ++n) {
    if (n) out.push_back(',');
    out += LlmCallToJson(*it);
  }
  out += "]}";
  return out;
}

size_t RecentCalls::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_.size();
}

}  // namespace loupe::api
