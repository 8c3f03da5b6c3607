#include "genai/attribution.h"

#include "genai/lookup.h"

namespace loupe::genai {

void Attribute(const model::Span& span, const AttributionConfig& config, model::LlmCall* call) {
  auto first = [&](const std::vector<std::string>& keys) { return TextOf(FindFirst(span, keys)); };
  call->user = first(config.user_keys);
  call->session = first(config.session_keys);
  call->team = first(config.team_keys);
  if (call->team.empty()) call->team = config.default_team;
  call->feature = first(config.feature_keys);
  if (call->feature.empty()) call->feature = TextOf(Find(span, "service.name"));
  call->prompt_name = first(config.prompt_name_keys);
  call->prompt_version = first(config.prompt_version_keys);
  call->environment = first(config.environment_keys);
}

}  // namespace loupe::genai
