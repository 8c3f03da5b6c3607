// Judge clients: one request/answer exchange with an LLM judge over the
// Anthropic Messages API or an OpenAI-compatible chat completions API
// (OpenAI, vLLM, Ollama, LiteLLM). They build the wire body, send it once
// and classify the outcome; retries, limits and answer checking live in
// judge.h. The judge's calls send no telemetry anywhere, so they can never
// come back into Loupe as application traffic.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "eval/config.h"
#include "eval/http_transport.h"

namespace loupe::eval {

struct JudgeMessage {
  std::string role;  // user | assistant
  std::string text;
};

struct JudgeRequest {
  std::string system;
  std::vector<JudgeMessage> messages;
  std::string schema_json;  // the answer's JSON Schema, for structured output
};

struct JudgeExchange {
  // OK: `text` holds the answer. Unavailable: retryable (429, 529, 5xx,
  // 408, timeouts, dropped connections). Anything else is permanent.
  Status status;
  int http_status = 0;
  double retry_after_seconds = -1;  // from the retry-after header; -1 when absent
  std::string text;                 // the structured answer (tool input JSON) or the message text
  bool structured = false;          // the answer came through tool use / json_schema
  std::string model;                // as the API reported it
  std::string stop_reason;
  int64_t input_tokens = 0, output_tokens = 0, cache_read_tokens = 0, cache_write_tokens = 0;
  std::string raw_body;             // kept (cut) for failure records
};

class JudgeClient {
 public:
  virtual ~JudgeClient() = default;
  // One HTTP exchange. Thread-safe.
  virtual JudgeExchange Send(const JudgeRequest& request, const std::atomic<bool>* cancel) = 0;
  virtual const std::string& model() const = 0;
  virtual const std::string& provider() const = 0;  // "anthropic" | "openai", for pricing
};

// Reads the API key from config.api_key_env (default ANTHROPIC_API_KEY /
// OPENAI_API_KEY); an unset key is sent as empty (local endpoints need none).
std::unique_ptr<JudgeClient> NewJudgeClient(const JudgeConfig& config, std::shared_ptr<HttpTransport> transport);

// Parses a retry-after value in seconds ("3", "1.5"); -1 for anything else
// (HTTP dates are not honoured: the backoff applies).
double ParseRetryAfter(std::string_view value);

}  // namespace loupe::eval
