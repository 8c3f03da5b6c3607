#include "genai/provider.h"

#include <array>
#include <utility>

#include "genai/lookup.h"

namespace loupe::genai {
namespace {

constexpr std::array<std::string_view, 16> kCanonical = {
    "openai",       "anthropic",     "gcp.gen_ai",  "gcp.vertex_ai", "gcp.gemini", "cohere",
    "azure.ai.inference", "azure.ai.openai", "ibm.watsonx.ai", "aws.bedrock", "perplexity",
    "x_ai",         "deepseek",      "groq",        "mistral_ai",    "moonshot_ai"};

// Old gen_ai.system values, OpenLLMetry's capitalised names (already
// lower-cased here), SDK package names and Vercel provider ids.
constexpr std::array<std::pair<std::string_view, std::string_view>, 38> kAliases = {{
    {"vertex_ai", "gcp.vertex_ai"},      {"vertexai", "gcp.vertex_ai"},
    {"vertex", "gcp.vertex_ai"},         {"google_vertex", "gcp.vertex_ai"},
    {"gemini", "gcp.gemini"},            {"google", "gcp.gemini"},
    {"google_genai", "gcp.gen_ai"},      {"google-genai", "gcp.gen_ai"},
    {"google_generative_ai", "gcp.gemini"}, {"google-generative-ai", "gcp.gemini"},
    {"az.ai.inference", "azure.ai.inference"}, {"azure_ai_inference", "azure.ai.inference"},
    {"az.ai.openai", "azure.ai.openai"}, {"azure", "azure.ai.openai"},
    {"azure_openai", "azure.ai.openai"}, {"azure-openai", "azure.ai.openai"},
    {"xai", "x_ai"},                     {"x.ai", "x_ai"},
    {"grok", "x_ai"},                    {"aws", "aws.bedrock"},
    {"bedrock", "aws.bedrock"},          {"amazon-bedrock", "aws.bedrock"},
    {"amazon_bedrock", "aws.bedrock"},   {"aws_bedrock", "aws.bedrock"},
    {"aws-bedrock", "aws.bedrock"},      {"amazon", "aws.bedrock"},
    {"mistralai", "mistral_ai"},         {"mistral", "mistral_ai"},
    {"moonshot", "moonshot_ai"},         {"moonshotai", "moonshot_ai"},
    {"watsonx", "ibm.watsonx.ai"},       {"ibm", "ibm.watsonx.ai"},
    {"ibm_watsonx_ai", "ibm.watsonx.ai"}, {"cohere_ai", "cohere"},
    {"deepseek-ai", "deepseek"},         {"perplexity_ai", "perplexity"},
    {"groqcloud", "groq"},               {"openai_chat", "openai"},
}};

std::string_view Lookup(std::string_view s) {
  for (std::string_view c : kCanonical) {
    if (s == c) return c;
  }
  for (const auto& [alias, canonical] : kAliases) {
    if (s == alias) return canonical;
  }
  return {};
}

bool Contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string NormalizeProvider(std::string_view raw) {
  while (!raw.empty() && raw.front() == ' ') raw.remove_prefix(1);
  while (!raw.empty() && raw.back() == ' ') raw.remove_suffix(1);
  std::string s = Lower(raw);
  if (s.empty()) return s;
  if (auto hit = Lookup(s); !hit.empty()) return std::string(hit);
  // Vercel AI SDK ids are "<provider>.<api>": anthropic.messages,
  // openai.chat, google.vertex.chat, google.generative-ai, ...
  if (s.starts_with("google.vertex")) return "gcp.vertex_ai";
  if (s.starts_with("google.")) return "gcp.gemini";
  if (s.starts_with("azure")) return "azure.ai.openai";
  if (auto dot = s.find('.'); dot != std::string::npos) {
    if (auto hit = Lookup(s.substr(0, dot)); !hit.empty()) return std::string(hit);
  }
  return s;
}

std::string ProviderFromServerAddress(std::string_view host_raw) {
  std::string host = Lower(host_raw);
  if (host.empty()) return "";
  if (host == "api.openai.com") return "openai";
  if (host == "api.anthropic.com") return "anthropic";
  if (host == "generativelanguage.googleapis.com") return "gcp.gemini";
  if (EndsWith(host, "aiplatform.googleapis.com")) return "gcp.vertex_ai";
  if (Contains(host, "bedrock") && EndsWith(host, ".amazonaws.com")) return "aws.bedrock";
  if (EndsWith(host, ".openai.azure.com")) return "azure.ai.openai";
  if (EndsWith(host, ".ai.azure.com")) return "azure.ai.inference";
  if (host == "api.mistral.ai") return "mistral_ai";
  if (host == "api.x.ai") return "x_ai";
  if (host == "api.deepseek.com") return "deepseek";
  if (host == "api.groq.com") return "groq";
  if (host == "api.cohere.com" || host == "api.cohere.ai") return "cohere";
  if (host == "api.perplexity.ai") return "perplexity";
  if (host == "api.moonshot.ai" || host == "api.moonshot.cn") return "moonshot_ai";
  return "";
}

std::string ProviderFromModel(std::string_view model_raw) {
  std::string m = Lower(model_raw);
  if (m.empty()) return "";
  // "openai/gpt-4o" style prefixes name the provider outright.
  if (auto slash = m.find('/'); slash != std::string::npos) {
    std::string p = NormalizeProvider(m.substr(0, slash));
    if (!Lookup(p).empty()) return p;
    m = m.substr(slash + 1);
  }
  // Bedrock model ids: anthropic.claude-..., us.anthropic.claude-..., meta.llama...
  // (A region prefix puts a dot before the vendor; the dotted forms are
  // spelled out because GCC 12 -O3 flags a concatenated temporary as
  // overlapping, -Wrestrict.)
  static constexpr std::pair<std::string_view, std::string_view> kBedrockVendors[] = {
      {"anthropic.", ".anthropic."}, {"meta.", ".meta."},       {"amazon.", ".amazon."},
      {"cohere.", ".cohere."},       {"mistral.", ".mistral."}, {"ai21.", ".ai21."}};
  for (const auto& [vendor, dotted] : kBedrockVendors) {
    if (m.starts_with(vendor) || Contains(m, dotted)) return "aws.bedrock";
  }
  if (Contains(m, "claude")) return Contains(m, "@") ? "gcp.vertex_ai" : "anthropic";
  if (m.starts_with("gpt") || m.starts_with("o1") || m.starts_with("o3") || m.starts_with("o4") ||
      m.starts_with("chatgpt") || m.starts_with("text-embedding") || m.starts_with("davinci") ||
      m.starts_with("babbage") || m.starts_with("dall-e") || m.starts_with("whisper") ||
      m.starts_with("tts-")) {
    return "openai";
  }
  if (m.starts_with("gemini") || m.starts_with("gemma")) return "gcp.gemini";
  if (m.starts_with("mistral") || m.starts_with("mixtral") || m.starts_with("codestral") ||
      m.starts_with("magistral") || m.starts_with("ministral") || m.starts_with("pixtral") ||
      m.starts_with("devstral")) {
    return "mistral_ai";
  }
  if (m.starts_with("grok")) return "x_ai";
  if (m.starts_with("deepseek")) return "deepseek";
  if (m.starts_with("command") || m.starts_with("embed-") || m.starts_with("rerank-")) return "cohere";
  if (m.starts_with("sonar")) return "perplexity";
  if (m.starts_with("kimi") || m.starts_with("moonshot")) return "moonshot_ai";
  return "";
}

}  // namespace loupe::genai
