// LlmCall: what Loupe understood about one span that is an LLM operation,
// whatever instrumentation library produced it. Filled by genai/ and
// priced by pricing/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace loupe::model {

// A part of a chat message, after the GenAI semantic conventions:
// type is "text", "tool_call", "tool_call_response", "reasoning", "blob",
// "file" or "uri".
struct MessagePart {
  std::string type;
  std::string content;    // text / reasoning content, or a uri
  std::string id;         // tool call id
  std::string name;       // tool name
  std::string arguments;  // tool call arguments (JSON text)
  std::string response;   // tool call response (text or JSON text)
  std::string mime_type;
  bool operator==(const MessagePart&) const = default;
};

struct Message {
  std::string role;  // system | user | assistant | tool
  std::vector<MessagePart> parts;
  std::string name;
  std::string finish_reason;  // output messages only
  bool operator==(const Message&) const = default;
};

// Token counts, disjoint by type, so that summing the five types gives
// the total. Each is unset when the span does not say.
struct TokenUsage {
  std::optional<int64_t> input;        // uncached input only
  std::optional<int64_t> cache_read;   // input read from the prompt cache
  std::optional<int64_t> cache_write;  // input written to the prompt cache
  std::optional<int64_t> output;       // output excluding reasoning
  std::optional<int64_t> reasoning;    // reasoning ("thinking") output
  std::optional<int64_t> total;        // as reported, or the sum of the above

  bool any() const { return input || cache_read || cache_write || output || reasoning; }
  int64_t Sum() const {
    return input.value_or(0) + cache_read.value_or(0) + cache_write.value_or(0) +
           output.value_or(0) + reasoning.value_or(0);
  }
  bool operator==(const TokenUsage&) const = default;
};

// Where a call's cost came from.
enum class CostSource : uint8_t {
  kUnknown = 0,  // no price matched and the span reported none: never $0
  kCatalog = 1,  // tokens x catalog prices
  kReported = 2, // the span's own reported cost
};
std::string_view CostSourceName(CostSource source);

// Money is integer nano-dollars (1e-9 USD), so sums never drift.
struct CostBreakdown {
  CostSource source = CostSource::kUnknown;
  std::optional<int64_t> total_nanos;     // the cost Loupe uses
  std::optional<int64_t> catalog_nanos;   // tokens x prices, when priced
  std::optional<int64_t> reported_nanos;  // what the span reported
  int64_t input_nanos = 0;
  int64_t cache_read_nanos = 0;
  int64_t cache_write_nanos = 0;
  int64_t output_nanos = 0;
  int64_t reasoning_nanos = 0;
  std::string price_entry;  // the catalog key used, e.g. "anthropic/claude-sonnet-4-5"
  std::string price_match;  // how the model string matched, for humans
  std::string price_tier;   // e.g. "above_200k", "batch", "" for the base price
  bool operator==(const CostBreakdown&) const = default;
};

struct LlmCall {
  std::string dialect;  // which instrumentation convention was recognised
  std::string provider;  // normalised: openai, anthropic, gcp.gemini, aws.bedrock, ...
  std::string request_model;
  std::string response_model;
  std::string operation;  // chat, text_completion, generate_content, embeddings, ...
  std::string service_tier;  // batch / flex / priority when the span says

  TokenUsage tokens;
  // False for aggregate spans (agent roots, Vercel ai.generateText, ...)
  // whose usage repeats their children's: such spans are shown but never
  // counted in metrics or cost totals.
  bool counts_usage = true;

  std::vector<MessagePart> system_instructions;
  std::vector<Message> input_messages;
  std::vector<Message> output_messages;

  std::string user;
  std::string session;
  std::string team;
  std::string feature;
  std::string prompt_name;
  std::string prompt_version;
  std::string environment;

  std::vector<std::string> finish_reasons;
  std::string error_type;
  std::optional<int64_t> time_to_first_token_nanos;

  std::optional<int64_t> reported_cost_nanos;
  CostBreakdown cost;

  // The model used for pricing: the response model, else the request one.
  const std::string& model() const { return response_model.empty() ? request_model : response_model; }
};

}  // namespace loupe::model
