// JSON <-> AnyValue adapter. GenAI content arrives either as JSON text in a
// string attribute or as a structured AnyValue; converting the former into
// the latter lets one set of readers handle both. This is the only genai
// translation unit that includes nlohmann/json.
#pragma once

#include <string_view>

#include "common/result.h"
#include "model/any_value.h"

namespace loupe::genai {

// Deeper nesting than this is replaced by a marker rather than recursed into,
// so hostile input cannot exhaust the stack.
inline constexpr int kMaxJsonDepth = 64;

// Parses JSON text: objects become KeyValueLists (member order kept),
// arrays ArrayValues, integers int64 (larger ones double), null an empty
// AnyValue. Returns InvalidArgument naming the byte offset on bad JSON.
Result<model::AnyValue> ParseJson(std::string_view text);

// The value as structure: a string whose first non-blank character is '{'
// or '[' and that parses as JSON is returned parsed; anything else
// (including a string that fails to parse) is returned unchanged.
model::AnyValue Structured(const model::AnyValue& value);

}  // namespace loupe::genai
