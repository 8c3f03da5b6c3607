// Turning the model strings real spans carry into catalog candidates.
//
// Spans say "openai/gpt-4o", "models/gemini-2.0-flash",
// "us.anthropic.claude-sonnet-4-20250514-v1:0", "claude-sonnet-4@20250514"
// or "claude-sonnet-4-5-20250929"; the catalog has one entry per
// provider and model id. These pure functions list, in order of
// preference, the ids a string could mean and why.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace loupe::pricing {

// Normalises a provider name from a span or a prefix to the OTel GenAI
// name: "Anthropic" -> "anthropic", "vertex_ai" -> "gcp.vertex_ai",
// "bedrock" -> "aws.bedrock", "az.ai.openai" / "azure" -> "azure.ai.openai",
// "xai" -> "x_ai", "mistral" -> "mistral_ai", ... Unknown names are
// returned lower-cased; "" stays "".
std::string NormaliseProvider(std::string_view provider);

// The provider family, so that hints treat e.g. azure.ai.openai and
// azure.ai.inference (or gcp.gemini, gcp.vertex_ai, gcp.gen_ai) as close.
std::string_view ProviderFamily(std::string_view normalised_provider);

// The company that makes a model, as a provider name, guessed from the
// model id: "claude-..." -> anthropic, "gpt-4o" / "o3" -> openai,
// "gemini-..." -> gcp.gemini, "grok" -> x_ai, ... "" when unknown.
std::string MakerOf(std::string_view model_id);

// A model id to look up, and how it was derived from the span's string.
struct Candidate {
  std::string id;   // lower-case model id (no provider prefix)
  std::string why;  // "exact", "stripped date suffix -20250929", ...
  // False when the id names a possibly different snapshot (date or
  // version stripped): such candidates are tried only if no lossless one
  // matches.
  bool lossless = true;
};

// What a model string says about itself.
struct ParsedModel {
  std::string original;   // as given
  std::string provider;   // implied by a prefix or the id's form, normalised; "" if none
  std::vector<Candidate> candidates;  // in order of preference
};

// REQUIRES: nothing; any string (even empty) is accepted.
ParsedModel ParseModelString(std::string_view model);

}  // namespace loupe::pricing
