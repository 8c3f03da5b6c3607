// Prompt and completion content: messages (role + parts), system
// instructions, tool calls and finish reasons, from whichever place a
// dialect puts them: JSON-string or structured attributes, indexed
// attributes (gen_ai.prompt.N.*, llm.input_messages.N.*), span events, and
// log records joined to the span.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/any_value.h"
#include "model/llm_call.h"
#include "model/span.h"

namespace loupe::genai {

struct Content {
  std::vector<model::MessagePart> system_instructions;
  std::vector<model::Message> input;
  std::vector<model::Message> output;
  // Finish reasons stated outside the output messages (gen_ai.choice
  // events, indexed completions), in order.
  std::vector<std::string> finish_reasons;
};

// Reads content in the priority order of the GenAI reference: the first
// source that yields input messages wins for input, and likewise for
// output and system instructions.
Content ReadContent(const model::Span& span);

// Exposed for tests and for other readers of stored values.
//
// Parts from a value: a string (text, or JSON text of a parts array), an
// array of parts / content blocks (semconv, OpenAI, Anthropic, Vercel and
// Gemini shapes), or one part object.
std::vector<model::MessagePart> PartsFromValue(const model::AnyValue& value);
// Messages from a value: a messages array (JSON text or structured), an
// object with "messages" / "choices" / "contents", a single message, or
// plain text (one message with `default_role`).
std::vector<model::Message> MessagesFromValue(const model::AnyValue& value, std::string_view default_role);

}  // namespace loupe::genai
