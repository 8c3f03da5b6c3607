#include "privacy/content_keys.h"

#include <gtest/gtest.h>

namespace loupe::privacy {
namespace {

TEST(ContentKeysTest, EveryDialectsContentKeys) {
  for (const char* key : {"gen_ai.system_instructions", "gen_ai.input.messages", "gen_ai.output.messages",
                          "gen_ai.prompt", "gen_ai.completion", "gen_ai.prompt.0.content", "gen_ai.prompt.12.role",
                          "gen_ai.completion.0.tool_calls.0.arguments", "llm.input_messages.0.message.content",
                          "llm.output_messages.3.message.tool_calls.0.tool_call.function.arguments", "input.value",
                          "output.value", "ai.prompt", "ai.prompt.messages", "ai.response.text",
                          "ai.response.toolCalls", "ai.response.object", "ai.toolCall.args",
                          "langfuse.observation.input", "langfuse.observation.output", "traceloop.entity.input",
                          "traceloop.entity.output", "events", "request_data", "response_data",
                          "gen_ai.event.content", "retrieval.documents.0.document.content",
                          "gen_ai.tool.call.arguments", "gen_ai.tool.call.result"}) {
    EXPECT_TRUE(IsContentKey(key)) << key;
  }
}

TEST(ContentKeysTest, MetadataSharingAPrefixStays) {
  for (const char* key : {"gen_ai.prompt.name", "gen_ai.prompt.version", "gen_ai.usage.input_tokens",
                          "gen_ai.request.model", "llm.token_count.prompt", "llm.input_messages",
                          "ai.prompt_version", "ai.response.finishReason", "ai.usage.inputTokens", "user.id",
                          "gen_ai.completion.tokens", "input.mime_type"}) {
    EXPECT_FALSE(IsContentKey(key)) << key;
  }
}

TEST(ContentKeysTest, ContentEvents) {
  for (const char* name : {"gen_ai.client.inference.operation.details", "gen_ai.user.message", "gen_ai.system.message",
                           "gen_ai.assistant.message", "gen_ai.tool.message", "gen_ai.choice",
                           "gen_ai.content.prompt", "gen_ai.content.completion"}) {
    EXPECT_TRUE(IsContentEvent(name)) << name;
  }
  EXPECT_FALSE(IsContentEvent("exception"));
  EXPECT_FALSE(IsContentEvent("ai.stream.firstChunk"));
  EXPECT_TRUE(IsKeptInContentEvent("gen_ai.system"));
  EXPECT_TRUE(IsKeptInContentEvent("role"));
  EXPECT_FALSE(IsKeptInContentEvent("content"));
  EXPECT_FALSE(IsKeptInContentEvent("gen_ai.input.messages"));
  EXPECT_FALSE(IsKeptInContentEvent("tool_calls"));
}

}  // namespace
}  // namespace loupe::privacy
