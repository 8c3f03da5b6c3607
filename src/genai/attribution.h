// Attribution: who and what a call is for (user, session, team, feature,
// prompt name/version, environment), read through configurable key lists.
#pragma once

#include "genai/config.h"
#include "model/llm_call.h"
#include "model/span.h"

namespace loupe::genai {

// Fills call->user, session, team, feature, prompt_name, prompt_version
// and environment. Team falls back to config.default_team, feature to the
// resource's service.name.
void Attribute(const model::Span& span, const AttributionConfig& config, model::LlmCall* call);

}  // namespace loupe::genai
