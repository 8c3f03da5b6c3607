// TraceBuilder: assembles the spans of one generated trace: ids, timing, and
// the full GenAI attribute set of an LLM call (current semantic conventions
// plus the blueprint's ai.* keys), so generator.cc only tells stories.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "demo/world.h"
#include "model/span.h"

namespace loupe::demo {

inline constexpr uint64_t kMillis = 1'000'000;  // nanoseconds per millisecond

// Who and what a call is for; written as ai.* / user.id / session.id keys.
struct Attribution {
  std::string team, feature, prompt_version, user, session;
};

// As the conventions count them: input includes cache reads and writes,
// output includes reasoning. Zero fields are not written.
struct Usage {
  int64_t input = 0, output = 0, cache_read = 0, cache_write = 0, reasoning = 0;
};

struct LlmCallSpec {
  const ModelInfo* model = nullptr;  // REQUIRED
  std::string operation = "chat";    // chat | embeddings
  uint64_t start = 0, duration = 0;  // unix nanos, nanos
  std::string system;                // gen_ai.system_instructions text; "" = none
  nlohmann::json input = nlohmann::json::array();   // gen_ai.input.messages
  nlohmann::json output = nlohmann::json::array();  // gen_ai.output.messages; [] = none
  Usage usage;
  double ttft_ms = 0;                // 0 = not streamed
  // A failed call: error.type, a status message, an exception event.
  std::string error_type, error_message, exception_type;
  int http_status = 0;
};

// Message JSON in the conventions' role + parts shape.
nlohmann::json TextPart(const std::string& text);
nlohmann::json ToolCallPart(const std::string& id, const std::string& name, nlohmann::json arguments);
nlohmann::json ToolResponsePart(const std::string& id, nlohmann::json response);
nlohmann::json ReasoningPart(const std::string& text);
nlohmann::json Message(const std::string& role, nlohmann::json parts, const std::string& finish_reason = "");

// Rough token count of a text (4 characters a token), at least 1.
int64_t Tokens(const std::string& text);

// The resource of one service (service.name, version, environment, and
// loupe.demo = true so demo data is recognisable). Cached: one object per
// (service, environment), shared by every span of that service.
std::shared_ptr<const model::Resource> ServiceResource(const std::string& service, const std::string& environment);

// Not thread-safe; one per trace.
class TraceBuilder {
 public:
  // Ids derive from `id_seed` alone.
  TraceBuilder(uint64_t id_seed, std::shared_ptr<const model::Resource> resource);

  // Adds a span (parent < 0: the root) and returns its index. References
  // from span() are invalidated by the next Add*.
  size_t AddSpan(const std::string& name, model::SpanKind kind, int parent, uint64_t start, uint64_t end);
  // An inference span named "{operation} {model}", kind CLIENT.
  size_t AddLlmCall(int parent, const LlmCallSpec& call, const Attribution& who);
  model::Span& span(size_t index) { return spans_[index]; }
  const model::TraceId& trace_id() const { return trace_id_; }

  std::vector<model::Span> Take() { return std::move(spans_); }

 private:
  uint64_t id_state_;
  model::TraceId trace_id_{};
  std::shared_ptr<const model::Resource> resource_;
  std::shared_ptr<const model::Scope> scope_;
  std::vector<model::Span> spans_;
};

}  // namespace loupe::demo
