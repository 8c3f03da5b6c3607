// Provider names: the many spellings instrumentations send, normalised to
// the gen_ai.provider.name values of the current GenAI conventions.
#pragma once

#include <string>
#include <string_view>

namespace loupe::genai {

// Normalises case and aliases: "Anthropic" -> anthropic, vertex_ai ->
// gcp.vertex_ai, az.ai.openai -> azure.ai.openai, "AWS"/bedrock ->
// aws.bedrock, Vercel's "anthropic.messages" -> anthropic, ... Unknown
// names come back lower-cased. "" for "".
std::string NormalizeProvider(std::string_view raw);

// Infers a provider from the server host (api.openai.com -> openai), "" if
// the host is not a known provider endpoint.
std::string ProviderFromServerAddress(std::string_view host);

// Infers a provider from a model string (claude -> anthropic, gpt/o1/o3/o4
// -> openai, Bedrock ids like anthropic.claude-... -> aws.bedrock, ...),
// "" when the model name does not say.
std::string ProviderFromModel(std::string_view model);

}  // namespace loupe::genai
