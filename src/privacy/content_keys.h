// Which attribute keys and event names carry prompt or completion content,
// in every dialect Loupe reads (shared/reference/genai-attributes.md and
// src/genai/content.cc): what `content.capture: none` drops.
#pragma once

#include <string_view>

namespace loupe::privacy {

// True for a key whose value is content: gen_ai.input.messages,
// gen_ai.prompt.0.content, llm.output_messages.1.message.content,
// input.value, ai.prompt.messages, langfuse.observation.output,
// traceloop.entity.input, Pydantic AI's `events`, ... Metadata keys that
// share a prefix stay (gen_ai.prompt.name, llm.input_messages is only
// content when indexed).
bool IsContentKey(std::string_view key);

// True for a span event / log record name whose body and attributes are
// messages: gen_ai.client.inference.operation.details, the older
// gen_ai.{system,user,assistant,tool}.message and gen_ai.choice, and
// OpenLIT's gen_ai.content.prompt / gen_ai.content.completion.
bool IsContentEvent(std::string_view name);

// Inside a content event, the attributes that are not content and stay
// under `none`: the event's name, GenAI metadata (gen_ai.* keys that are
// not content keys: system, usage, response id) and a message's role,
// index, id and finish reason.
bool IsKeptInContentEvent(std::string_view key);

}  // namespace loupe::privacy
