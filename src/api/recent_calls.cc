#include "api/recent_calls.h"

#include "api/llm_call_json.h"

namespace loupe::api {
namespace {

size_t ApproxBytes(const model::Attributes& attributes) {
  size_t n = 0;
  for (const auto& kv : attributes.items()) {
    n += kv.key.size() + 16;
    if (const auto* s = kv.value.AsString()) n += s->size();
    else if (!kv.value.AsInt() && !kv.value.AsDouble() && !kv.value.AsBool()) n += kv.value.ToJson().size();
  }
  return n;
}

size_t ApproxBytes(const model::LogRecord& log) {
  return ApproxBytes(log.attributes) + log.body.ToText().size() + log.event_name.size() + 64;
}

}  // namespace

size_t ApproxBytes(const model::Span& span) {
  size_t n = sizeof(model::Span) + span.name.size() + ApproxBytes(span.attributes);
  for (const auto& e : span.events) n += e.name.size() + ApproxBytes(e.attributes) + 32;
  for (const auto& log : span.logs) n += ApproxBytes(log);
  return n;
}

void RecentCalls::DropOldest() {
  const Entry& oldest = calls_.front();
  auto it = by_span_.find({oldest.record.span.trace_id, oldest.record.span.span_id});
  if (it != by_span_.end() && it->second == oldest.seq) by_span_.erase(it);
  bytes_ -= oldest.bytes;
  calls_.pop_front();
}

void RecentCalls::JoinLateLog(const model::LogRecord& log) {
  auto it = by_span_.find({log.trace_id, log.span_id});
  if (it == by_span_.end() || calls_.empty()) return;
  Entry& entry = calls_[it->second - calls_.front().seq];
  model::Span& span = entry.record.span;
  span.logs.push_back(log);
  size_t added = ApproxBytes(log);
  entry.bytes += added;
  bytes_ += added;
  if (!renormalize_ || !entry.record.llm) return;
  // Only content is re-read: tokens, usage counting and cost were decided
  // when the span arrived, and metrics already counted them.
  std::optional<model::LlmCall> reread = renormalize_(span);
  if (!reread) return;
  model::LlmCall& call = *entry.record.llm;
  call.system_instructions = std::move(reread->system_instructions);
  call.input_messages = std::move(reread->input_messages);
  call.output_messages = std::move(reread->output_messages);
  if (call.finish_reasons.empty()) call.finish_reasons = std::move(reread->finish_reasons);
}

Status RecentCalls::Consume(std::span<model::Batch* const> batches) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const model::Batch* batch : batches) {
    for (const model::SpanRecord& record : batch->spans) {
      if (!record.llm || capacity_ == 0) continue;
      Entry entry{next_seq_++, ApproxBytes(record.span), record};
      by_span_[{record.span.trace_id, record.span.span_id}] = entry.seq;
      bytes_ += entry.bytes;
      calls_.push_back(std::move(entry));
      while (calls_.size() > capacity_ || (bytes_ > max_bytes_ && calls_.size() > 1)) DropOldest();
    }
    for (const model::LogRecord& log : batch->logs) {
      if (!model::IsZero(log.span_id)) JoinLateLog(log);
    }
    while (bytes_ > max_bytes_ && calls_.size() > 1) DropOldest();
  }
  return Status::Ok();
}

std::string RecentCalls::RenderJson(size_t limit) const {
  std::string out = "{\"calls\":[";
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (auto it = calls_.rbegin(); it != calls_.rend() && n < limit; ++it, ++n) {
    if (n) out.push_back(',');
    out += LlmCallToJson(it->record);
  }
  out += "]}";
  return out;
}

size_t RecentCalls::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_.size();
}

}  // namespace loupe::api
