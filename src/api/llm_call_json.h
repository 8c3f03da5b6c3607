// JSON rendering of normalised LLM calls, shared by every API endpoint
// that returns calls. nlohmann/json stays inside this module's .cc files.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "model/batch.h"

namespace loupe::api {

// One call as a JSON object (see docs/api.md, "LLM call object").
// Token fields are integers or null; money is integer nano-dollars plus a
// USD float for humans.
std::string LlmCallToJson(const model::SpanRecord& record);

// The same object as a JSON value, for endpoints that embed calls in a
// larger answer (trace detail). REQUIRES: record.llm is set.
nlohmann::json LlmCallObject(const model::SpanRecord& record);

}  // namespace loupe::api
