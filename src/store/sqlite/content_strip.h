// Which span attributes, events and log records carry raw prompt or
// completion content, as the instrumentations send it (see
// docs/storage.md, "Content retention"). Content retention removes them
// from the stored spans and logs of expired days, next to the normalized
// content table and its full-text index.
#pragma once

#include <string_view>

#include "model/span.h"

namespace loupe::store::sqlite {

// gen_ai.input.messages, gen_ai.prompt.0.content, llm.input_messages.*,
// input.value, ai.prompt, traceloop.entity.input, ... — but not
// gen_ai.prompt.name or token counts.
bool IsContentAttribute(std::string_view key);
// Events and log events whose whole payload is content
// (gen_ai.user.message, gen_ai.choice, gen_ai.content.prompt, ...).
bool IsContentEvent(std::string_view name);

// Removes content attributes (and the attributes of content events, and
// the bodies of content log events) from `span` and its joined logs.
// Returns true when anything was removed.
bool StripContent(model::Span* span);
bool StripContent(model::LogRecord* log);

}  // namespace loupe::store::sqlite
