#include "privacy/content_keys.h"

#include <algorithm>
#include <array>

namespace loupe::privacy {
namespace {

// Whole keys. Sources: OTel GenAI (current and deprecated), OpenInference,
// OpenLLMetry, OpenLIT, Vercel AI SDK, Logfire / Pydantic AI, Langfuse.
constexpr std::array<std::string_view, 45> kContentKeys = {
    // OTel GenAI
    "gen_ai.system_instructions", "gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.prompt",
    "gen_ai.completion", "gen_ai.content.prompt", "gen_ai.content.completion", "gen_ai.event.content",
    "gen_ai.tool.call.arguments", "gen_ai.tool.call.result", "gen_ai.retrieval.documents",
    "gen_ai.retrieval.query.text", "gen_ai.embeddings.input",
    // OpenInference
    "input.value", "output.value", "llm.prompts", "llm.prompt_template.template", "llm.prompt_template.variables",
    // Vercel AI SDK
    "ai.prompt", "ai.prompt.messages", "ai.response.text", "ai.response.toolCalls", "ai.response.object",
    "ai.response.reasoning", "ai.response.reasoningDetails", "ai.result.text", "ai.result.toolCalls",
    "ai.result.object", "ai.toolCall.args", "ai.toolCall.result", "ai.toolCall.input", "ai.toolCall.output",
    "ai.value", "ai.values",
    // Langfuse, Traceloop
    "langfuse.observation.input", "langfuse.observation.output", "langfuse.trace.input", "langfuse.trace.output",
    "traceloop.entity.input", "traceloop.entity.output",
    // Logfire / Pydantic AI
    "events", "all_messages_events", "final_result", "request_data", "response_data",
};

// Indexed families: content when the prefix is followed by an index
// ("gen_ai.prompt.0.content"), so gen_ai.prompt.name stays.
constexpr std::array<std::string_view, 9> kIndexedPrefixes = {
    "gen_ai.prompt.",           "gen_ai.completion.",           "llm.input_messages.",
    "llm.output_messages.",     "llm.prompts.",                 "retrieval.documents.",
    "embedding.embeddings.",    "reranker.input_documents.",    "reranker.output_documents.",
};

constexpr std::array<std::string_view, 8> kContentEvents = {
    "gen_ai.client.inference.operation.details",
    "gen_ai.system.message",
    "gen_ai.user.message",
    "gen_ai.assistant.message",
    "gen_ai.tool.message",
    "gen_ai.choice",
    "gen_ai.content.prompt",
    "gen_ai.content.completion",
};

constexpr std::array<std::string_view, 5> kKeptInEvent = {"event.name", "role", "index", "id", "finish_reason"};

bool Contains(auto& table, std::string_view s) { return std::find(table.begin(), table.end(), s) != table.end(); }

}  // namespace

bool IsContentKey(std::string_view key) {
  if (Contains(kContentKeys, key)) return true;
  for (std::string_view prefix : kIndexedPrefixes) {
    if (key.size() > prefix.size() && key.starts_with(prefix) && key[prefix.size()] >= '0' &&
        key[prefix.size()] <= '9') {
      return true;
    }
  }
  return false;
}

bool IsContentEvent(std::string_view name) { return Contains(kContentEvents, name); }

bool IsKeptInContentEvent(std::string_view key) {
  if (Contains(kKeptInEvent, key)) return true;
  return key.starts_with("gen_ai.") && !IsContentKey(key);
}

}  // namespace loupe::privacy
