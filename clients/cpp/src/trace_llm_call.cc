#include "loupe/trace_llm_call.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <random>

#include "json_text.h"

namespace loupe {
namespace {

uint64_t NowUnixNano() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

template <size_t N>
void FillRandom(std::array<uint8_t, N>& bytes) {
  // One generator per thread: no lock on the caller's path.
  thread_local std::mt19937_64 rng(std::random_device{}());
  do {
    for (size_t i = 0; i < N; i += 8) {
      uint64_t r = rng();
      for (size_t j = 0; j < 8 && i + j < N; ++j) bytes[i + j] = static_cast<uint8_t>(r >> (8 * j));
    }
  } while ([&] {
    for (uint8_t b : bytes) {
      if (b != 0) return false;
    }
    return true;
  }());
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool EnvTrue(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return false;
  std::string s = Lower(v);
  s.erase(0, s.find_first_not_of(" \t"));
  s.erase(s.find_last_not_of(" \t") + 1);
  return s == "1" || s == "true" || s == "yes";
}

void Set(Attributes& attrs, std::string key, AttrValue value) {
  for (auto& [k, v] : attrs) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  attrs.emplace_back(std::move(key), std::move(value));
}

// [{"role": ..., "parts": [{"type": "text", "content": ...}], "finish_reason"?}, ...]
void AppendTextMessage(std::string& json, std::string_view role, std::string_view text,
                       std::string_view finish_reason) {
  if (json.empty()) {
    json.push_back('[');
  } else {
    json.back() = ',';  // replaces the closing ']'
  }
  json += "{\"role\":";
  client::AppendJsonString(json, role);
  json += ",\"parts\":[{\"type\":\"text\",\"content\":";
  client::AppendJsonString(json, text);
  json += "}]";
  if (!finish_reason.empty()) {
    json += ",\"finish_reason\":";
    client::AppendJsonString(json, finish_reason);
  }
  json += "}]";
}

}  // namespace

std::string InferProvider(std::string_view model) {
  const std::string m = Lower(model);
  auto starts = [&m](std::string_view p) { return m.starts_with(p); };
  if (m.find("claude") != std::string::npos) return "anthropic";
  for (std::string_view p : {"gpt", "o1", "o3", "o4", "chatgpt", "text-embedding"}) {
    if (starts(p)) return "openai";
  }
  if (m.find("gemini") != std::string::npos) return "gcp.gemini";
  for (std::string_view p : {"mistral", "mixtral", "codestral"}) {
    if (starts(p)) return "mistral_ai";
  }
  if (starts("command")) return "cohere";
  if (starts("deepseek")) return "deepseek";
  if (starts("grok")) return "x_ai";
  return "unknown";
}

LlmCallScope::LlmCallScope(SpanExporter& exporter, std::string model, std::string feature,
                           std::string prompt_version, std::string team, LlmCallOptions options)
    : exporter_(exporter),
      started_(std::chrono::steady_clock::now()),
      uncaught_at_start_(std::uncaught_exceptions()),
      capture_(options.capture_content.has_value()
                   ? *options.capture_content
                   : EnvTrue("LOUPE_CAPTURE_CONTENT") ||
                         EnvTrue("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT")) {
  if (options.parent.valid()) {
    span_.context.trace_id = options.parent.trace_id;
    span_.parent_span_id = options.parent.span_id;
  } else {
    FillRandom(span_.context.trace_id);
  }
  FillRandom(span_.context.span_id);
  span_.kind = SpanKind::kClient;
  span_.name = options.operation + " " + model;
  span_.start_unix_nano = NowUnixNano();
  std::string provider = options.provider.empty() ? InferProvider(model) : options.provider;
  Attributes& a = span_.attributes;
  a.emplace_back("gen_ai.operation.name", options.operation);
  a.emplace_back("gen_ai.provider.name", provider);
  // Deprecated since semconv 1.37; older backends still read it.
  a.emplace_back("gen_ai.system", std::move(provider));
  a.emplace_back("gen_ai.request.model", std::move(model));
  a.emplace_back("ai.feature", std::move(feature));
  a.emplace_back("ai.prompt_version", prompt_version.empty() ? std::string("unknown") : std::move(prompt_version));
  a.emplace_back("ai.team", team.empty() ? std::string("default") : std::move(team));
  for (auto& [k, v] : options.attributes) Set(a, std::move(k), std::move(v));
}

LlmCallScope::~LlmCallScope() {
  // A destructor must not throw: a failure here (allocation) loses the span
  // rather than the caller's process.
  try {
    Finish();
  } catch (...) {
  }
}

LlmCallScope& LlmCallScope::input_tokens(int64_t n) { input_ = n; return *this; }
LlmCallScope& LlmCallScope::output_tokens(int64_t n) { output_ = n; return *this; }
LlmCallScope& LlmCallScope::cache_read_tokens(int64_t n) { cache_read_ = n; return *this; }
LlmCallScope& LlmCallScope::cache_write_tokens(int64_t n) { cache_write_ = n; return *this; }
LlmCallScope& LlmCallScope::reasoning_tokens(int64_t n) { reasoning_ = n; return *this; }

LlmCallScope& LlmCallScope::response_model(std::string v) {
  Set(late_, "gen_ai.response.model", std::move(v));
  return *this;
}
LlmCallScope& LlmCallScope::response_id(std::string v) {
  Set(late_, "gen_ai.response.id", std::move(v));
  return *this;
}
LlmCallScope& LlmCallScope::conversation_id(std::string v) {
  Set(late_, "gen_ai.conversation.id", std::move(v));
  return *this;
}
LlmCallScope& LlmCallScope::user_id(std::string v) {
  Set(late_, "user.id", std::move(v));
  return *this;
}
LlmCallScope& LlmCallScope::finish_reason(std::string v) {
  finish_reasons_.push_back(std::move(v));
  return *this;
}
LlmCallScope& LlmCallScope::cost_usd(double v) {
  Set(late_, "ai.cost_usd", std::round(v * 1e6) / 1e6);
  return *this;
}
LlmCallScope& LlmCallScope::attribute(std::string key, AttrValue value) {
  Set(late_, std::move(key), std::move(value));
  return *this;
}

LlmCallScope& LlmCallScope::system_instructions(std::string_view text) {
  if (!capture_) return *this;
  system_json_ = "[{\"type\":\"text\",\"content\":";
  client::AppendJsonString(system_json_, text);
  system_json_ += "}]";
  return *this;
}
LlmCallScope& LlmCallScope::input_message(std::string_view role, std::string_view text) {
  if (capture_) AppendTextMessage(input_json_, role, text, "");
  return *this;
}
LlmCallScope& LlmCallScope::output_message(std::string_view role, std::string_view text,
                                           std::string_view finish_reason) {
  if (capture_) AppendTextMessage(output_json_, role, text, finish_reason);
  return *this;
}
LlmCallScope& LlmCallScope::input_messages_json(std::string json) {
  if (capture_) input_json_ = std::move(json);
  return *this;
}
LlmCallScope& LlmCallScope::output_messages_json(std::string json) {
  if (capture_) output_json_ = std::move(json);
  return *this;
}

LlmCallScope& LlmCallScope::fail(std::string error_type, std::string message) {
  failed_ = true;
  error_type_ = std::move(error_type);
  error_message_ = std::move(message);
  return *this;
}

void LlmCallScope::Finish() {
  span_.end_unix_nano = NowUnixNano();
  Attributes& a = span_.attributes;
  // Usage is recorded on failures too: a call that failed after the
  // provider billed it still cost money.
  if (input_) Set(a, "gen_ai.usage.input_tokens", *input_);
  if (output_) Set(a, "gen_ai.usage.output_tokens", *output_);
  if (cache_read_) Set(a, "gen_ai.usage.cache_read.input_tokens", *cache_read_);
  if (cache_write_) Set(a, "gen_ai.usage.cache_creation.input_tokens", *cache_write_);
  if (reasoning_) Set(a, "gen_ai.usage.reasoning.output_tokens", *reasoning_);
  for (auto& [k, v] : late_) Set(a, std::move(k), std::move(v));
  if (!finish_reasons_.empty()) Set(a, "gen_ai.response.finish_reasons", std::move(finish_reasons_));
  auto elapsed = std::chrono::steady_clock::now() - started_;
  Set(a, "ai.latency_ms", static_cast<int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()));
  if (capture_) {
    if (!system_json_.empty()) Set(a, "gen_ai.system_instructions", std::move(system_json_));
    if (!input_json_.empty()) Set(a, "gen_ai.input.messages", std::move(input_json_));
    if (!output_json_.empty()) Set(a, "gen_ai.output.messages", std::move(output_json_));
  }
  if (!failed_ && std::uncaught_exceptions() > uncaught_at_start_) {
    // Unwinding through the scope: the call did not complete. The exception
    // itself is out of reach here, so the type is the convention's fallback.
    failed_ = true;
    error_type_ = "_OTHER";
    error_message_ = "exception thrown through the LLM call scope";
  }
  if (failed_) {
    Set(a, "error.type", error_type_);
    span_.events.push_back(SpanEvent{"exception", span_.end_unix_nano,
                                     {{"exception.type", error_type_}, {"exception.message", error_message_}}});
    span_.status_code = StatusCode::kError;
    span_.status_message = std::move(error_message_);
  } else {
    span_.status_code = StatusCode::kOk;
  }
  exporter_.Export(std::move(span_));
}

}  // namespace loupe
