// Builders for the store's tests and the crash-test writer: small spans
// and LLM calls with deterministic ids.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "model/batch.h"

namespace loupe::store::testing {

// A clock the test moves while the store's threads read it.
class TestClock final : public Clock {
 public:
  explicit TestClock(uint64_t now) : now_(now) {}
  uint64_t NowUnixNanos() const override { return now_.load(); }
  void Set(uint64_t now) { now_.store(now); }
  void Advance(uint64_t nanos) { now_ += nanos; }

 private:
  std::atomic<uint64_t> now_;
};

// The tests' spans start around 2025-06-15; "now" is pinned a day later
// so the default retention keeps them.
inline constexpr uint64_t kTestEpoch = 1'750'000'000'000'000'000ull;
inline const Clock* PinnedClock() {
  static const TestClock clock(kTestEpoch + 86'400'000'000'000ull);
  return &clock;
}

inline model::TraceId TraceIdOf(uint64_t n) {
  model::TraceId id{};
  for (int i = 0; i < 8; ++i) id[15 - i] = static_cast<uint8_t>(n >> (8 * i));
  id[0] = 0x7a;  // never all zero
  return id;
}

inline model::SpanId SpanIdOf(uint64_t n) {
  model::SpanId id{};
  for (int i = 0; i < 8; ++i) id[7 - i] = static_cast<uint8_t>(n >> (8 * i));
  return id;
}

inline std::shared_ptr<const model::Resource> ResourceFor(const std::string& service) {
  auto r = std::make_shared<model::Resource>();
  r->attributes.Add("service.name", service);
  r->attributes.Add("deployment.environment.name", "test");
  return r;
}

struct LlmSpec {
  uint64_t trace = 1;
  uint64_t span = 1;
  uint64_t parent = 0;  // 0: root
  uint64_t start_ns = 0;
  uint64_t duration_ns = 1'000'000;
  std::string service = "chat-api";
  std::string team = "search", feature = "answer", model = "gpt-4o", provider = "openai";
  std::string user = "u1", session = "s1", prompt_version = "v1";
  int64_t input = 100, output = 20, cache_read = 0;
  std::optional<int64_t> cost_nanos = 1500;
  bool error = false;
  bool counts_usage = true;
  std::string prompt = "What is the capital of France?";
};

inline model::SpanRecord LlmSpan(const LlmSpec& s) {
  model::SpanRecord rec;
  rec.span.trace_id = TraceIdOf(s.trace);
  rec.span.span_id = SpanIdOf(s.span);
  if (s.parent) rec.span.parent_span_id = SpanIdOf(s.parent);
  rec.span.name = "chat " + s.model;
  rec.span.kind = model::SpanKind::kClient;
  rec.span.start_time_unix_nano = s.start_ns;
  rec.span.end_time_unix_nano = s.start_ns + s.duration_ns;
  rec.span.attributes.Add("gen_ai.request.model", s.model);
  rec.span.attributes.Add("gen_ai.usage.input_tokens", s.input);
  rec.span.resource = ResourceFor(s.service);
  auto scope = std::make_shared<model::Scope>();
  scope->name = "test-instrumentation";
  rec.span.scope = scope;
  if (s.error) rec.span.status.code = model::StatusCode::kError;
  model::LlmCall c;
  c.dialect = "otel_genai";
  c.provider = s.provider;
  c.request_model = s.model;
  c.operation = "chat";
  c.team = s.team;
  c.feature = s.feature;
  c.user = s.user;
  c.session = s.session;
  c.prompt_version = s.prompt_version;
  c.environment = "test";
  c.tokens.input = s.input;
  c.tokens.output = s.output;
  if (s.cache_read) c.tokens.cache_read = s.cache_read;
  c.counts_usage = s.counts_usage;
  c.input_messages.push_back({"user", {{"text", s.prompt}}, "", ""});
  c.output_messages.push_back({"assistant", {{"text", "Paris."}}, "", "stop"});
  if (s.cost_nanos) {
    c.cost.source = model::CostSource::kCatalog;
    c.cost.total_nanos = s.cost_nanos;
  }
  rec.llm = std::move(c);
  return rec;
}

// A plain (non-LLM) span.
inline model::SpanRecord PlainSpan(uint64_t trace, uint64_t span, uint64_t parent, uint64_t start_ns,
                                   const std::string& name) {
  model::SpanRecord rec;
  rec.span.trace_id = TraceIdOf(trace);
  rec.span.span_id = SpanIdOf(span);
  if (parent) rec.span.parent_span_id = SpanIdOf(parent);
  rec.span.name = name;
  rec.span.start_time_unix_nano = start_ns;
  rec.span.end_time_unix_nano = start_ns + 5'000'000;
  rec.span.resource = ResourceFor("chat-api");
  rec.span.scope = std::make_shared<model::Scope>();
  return rec;
}

}  // namespace loupe::store::testing
