// LlmCallScope: the blueprint's trace_llm_call helper as an RAII scope,
// emitting the OpenTelemetry GenAI semantic conventions (provider,
// operation, model, usage incl. cache and reasoning), gen_ai.system for
// older backends, and the blueprint's ai.* keys. Same attributes and
// semantics as the Python helper in clients/python.
//
//   loupe::OtlpHttpExporter exporter(loupe::ExporterOptions::FromEnv());
//   loupe::LlmCallScope call(exporter, "gpt-4o", "support-chat", "v7", "growth");
//   call.input_tokens(r.prompt_tokens);
//   call.output_tokens(r.completion_tokens);
#ifndef LOUPE_TRACE_LLM_CALL_H_
#define LOUPE_TRACE_LLM_CALL_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "loupe/otlp_http_exporter.h"
#include "loupe/span_data.h"

namespace loupe {

// gen_ai.provider.name from a model name; "unknown" when unsure.
std::string InferProvider(std::string_view model);

struct LlmCallOptions {
  std::string provider;             // empty: InferProvider(model)
  std::string operation = "chat";   // gen_ai.operation.name
  // Content (messages) is recorded only when on: this, else env
  // LOUPE_CAPTURE_CONTENT or OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT = 1/true/yes.
  std::optional<bool> capture_content;
  SpanContext parent;  // invalid (default): a new trace
  Attributes attributes;  // extra attributes, set at start
};

// One LLM call's CLIENT span, named "{operation} {model}". Ends when
// destroyed: usage, latency, content and status are written then and the
// span is handed to the exporter. Not thread-safe; use from one thread.
// If the scope is destroyed by an exception unwinding and fail() was not
// called, the span is an error with error.type "_OTHER".
class LlmCallScope {
 public:
  // REQUIRES: exporter outlives the scope.
  LlmCallScope(SpanExporter& exporter, std::string model, std::string feature,
               std::string prompt_version = "", std::string team = "", LlmCallOptions options = {});
  ~LlmCallScope();
  LlmCallScope(const LlmCallScope&) = delete;
  LlmCallScope& operator=(const LlmCallScope&) = delete;

  // Usage. input_tokens counts ALL input tokens including cache reads and
  // writes (the GenAI convention); output_tokens includes reasoning.
  LlmCallScope& input_tokens(int64_t n);
  LlmCallScope& output_tokens(int64_t n);
  LlmCallScope& cache_read_tokens(int64_t n);
  LlmCallScope& cache_write_tokens(int64_t n);
  LlmCallScope& reasoning_tokens(int64_t n);

  LlmCallScope& response_model(std::string v);
  LlmCallScope& response_id(std::string v);
  LlmCallScope& conversation_id(std::string v);
  LlmCallScope& user_id(std::string v);
  LlmCallScope& finish_reason(std::string v);  // appended to gen_ai.response.finish_reasons
  LlmCallScope& cost_usd(double v);             // your own figure; Loupe prefers its catalog
  LlmCallScope& attribute(std::string key, AttrValue value);

  // Content, kept only when capture is on. Text messages are converted to
  // the convention's [{"role", "parts": [{"type": "text", "content"}]}].
  LlmCallScope& system_instructions(std::string_view text);
  LlmCallScope& input_message(std::string_view role, std::string_view text);
  LlmCallScope& output_message(std::string_view role, std::string_view text,
                               std::string_view finish_reason = "");
  // Already in the convention's JSON shape; replaces messages added above.
  LlmCallScope& input_messages_json(std::string json);
  LlmCallScope& output_messages_json(std::string json);

  // Marks the call failed: error.type, an "exception" event with the
  // message, and an ERROR status. Usage set before or after is still kept.
  LlmCallScope& fail(std::string error_type, std::string message);

  const SpanContext& context() const { return span_.context; }
  bool capture_content() const { return capture_; }

 private:
  void Finish();

  SpanExporter& exporter_;
  SpanData span_;
  Attributes late_;  // usage etc., written at the end in a stable order
  std::chrono::steady_clock::time_point started_;
  int uncaught_at_start_;
  bool capture_;
  bool failed_ = false;
  std::optional<int64_t> input_, output_, cache_read_, cache_write_, reasoning_;
  std::vector<std::string> finish_reasons_;
  std::string system_json_, input_json_, output_json_;
  std::string error_type_, error_message_;
};

}  // namespace loupe

#endif  // LOUPE_TRACE_LLM_CALL_H_
