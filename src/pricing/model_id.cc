#include "pricing/model_id.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace loupe::pricing {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Aliases seen in gen_ai.provider.name, gen_ai.system (old and new),
// LiteLLM prefixes and Vercel AI SDK provider ids.
constexpr std::array<std::pair<std::string_view, std::string_view>, 33> kAliases{{
    {"openai", "openai"},
    {"anthropic", "anthropic"},
    {"gemini", "gcp.gemini"},
    {"google", "gcp.gemini"},
    {"gcp.gemini", "gcp.gemini"},
    {"gcp.gen_ai", "gcp.gen_ai"},
    {"vertex_ai", "gcp.vertex_ai"},
    {"vertexai", "gcp.vertex_ai"},
    {"vertex", "gcp.vertex_ai"},
    {"gcp.vertex_ai", "gcp.vertex_ai"},
    {"bedrock", "aws.bedrock"},
    {"bedrock_converse", "aws.bedrock"},
    {"amazon-bedrock", "aws.bedrock"},
    {"aws", "aws.bedrock"},
    {"aws.bedrock", "aws.bedrock"},
    {"azure", "azure.ai.openai"},
    {"az.ai.openai", "azure.ai.openai"},
    {"azure_openai", "azure.ai.openai"},
    {"azure.ai.openai", "azure.ai.openai"},
    {"azure_ai", "azure.ai.inference"},
    {"az.ai.inference", "azure.ai.inference"},
    {"azure.ai.inference", "azure.ai.inference"},
    {"mistral", "mistral_ai"},
    {"mistralai", "mistral_ai"},
    {"mistral_ai", "mistral_ai"},
    {"deepseek", "deepseek"},
    {"xai", "x_ai"},
    {"x_ai", "x_ai"},
    {"x-ai", "x_ai"},
    {"groq", "groq"},
    {"cohere", "cohere"},
    {"cohere_chat", "cohere"},
    {"text-completion-openai", "openai"},
}};

std::string_view KnownProvider(std::string_view lower) {
  for (const auto& [alias, name] : kAliases) {
    if (alias == lower) return name;
  }
  return {};
}

// Bedrock model ids: "[region.]vendor.model[-vN:M]".
constexpr std::array<std::string_view, 9> kBedrockRegions{
    "us", "eu", "apac", "global", "au", "jp", "ca", "us-gov", "ap"};
constexpr std::array<std::string_view, 16> kBedrockVendors{
    "anthropic", "amazon", "meta",      "mistral",    "cohere",  "ai21",    "deepseek", "openai",
    "qwen",      "writer", "twelvelabs", "minimax",   "moonshot", "moonshotai", "google", "zai"};

bool OneOf(std::string_view s, const auto& list) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// Strips a trailing Bedrock version ("-v1:0", "-v2", ":0") from `id`.
std::string StripBedrockVersion(std::string_view id) {
  size_t colon = id.rfind(':');
  if (colon != std::string_view::npos && AllDigits(id.substr(colon + 1))) id = id.substr(0, colon);
  size_t dash = id.rfind("-v");
  if (dash != std::string_view::npos && AllDigits(id.substr(dash + 2))) id = id.substr(0, dash);
  return std::string(id);
}

// True when `s` has the shape of `pattern`, where 'D' is any digit.
bool HasShape(std::string_view s, std::string_view pattern) {
  if (s.size() != pattern.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool ok = pattern[i] == 'D' ? (s[i] >= '0' && s[i] <= '9') : s[i] == pattern[i];
    if (!ok) return false;
  }
  return true;
}

// One step of snapshot stripping: {base, suffix}, or {"", ""} when `id`
// has no snapshot suffix. Suffix shapes seen in the wild: -20250929,
// -2024-08-06, -09-2025, -0613, -2507, -001, -latest.
std::pair<std::string, std::string> StripSnapshot(std::string_view id) {
  constexpr std::array<std::string_view, 7> kShapes{
      "-DDDD-DD-DD", "-DD-DDDD", "-DDDDDDDD", "-DDDDDD", "-DDDD", "-DDD", "-latest"};
  for (std::string_view shape : kShapes) {
    if (id.size() > shape.size() && HasShape(id.substr(id.size() - shape.size()), shape)) {
      size_t cut = id.size() - shape.size();
      return {std::string(id.substr(0, cut)), std::string(id.substr(cut))};
    }
  }
  return {};
}

class Builder {
 public:
  explicit Builder(ParsedModel* out) : out_(out) {}
  void Add(std::string id, std::string why, bool lossless) {
    if (id.empty()) return;
    for (const Candidate& c : out_->candidates) {
      if (c.id == id) return;
    }
    out_->candidates.push_back({std::move(id), std::move(why), lossless});
  }
  void SetProvider(std::string_view p) {
    if (out_->provider.empty()) out_->provider = std::string(p);
  }

 private:
  ParsedModel* out_;
};

}  // namespace

std::string NormaliseProvider(std::string_view provider) {
  std::string lower = Lower(Trim(provider));
  if (std::string_view known = KnownProvider(lower); !known.empty()) return std::string(known);
  // Vercel AI SDK ids such as "openai.chat" or "anthropic.messages".
  if (size_t dot = lower.find('.'); dot != std::string::npos) {
    if (std::string_view known = KnownProvider(std::string_view(lower).substr(0, dot));
        !known.empty()) {
      return std::string(known);
    }
  }
  if (lower == "google.generative-ai") return "gcp.gemini";
  if (lower == "google.vertex") return "gcp.vertex_ai";
  return lower;
}

std::string_view ProviderFamily(std::string_view p) {
  if (StartsWith(p, "azure.")) return "azure";
  if (StartsWith(p, "gcp.")) return "gcp";
  if (StartsWith(p, "aws.")) return "aws";
  return p;
}

std::string MakerOf(std::string_view model_id) {
  std::string m = Lower(model_id);
  auto any = [&](std::initializer_list<std::string_view> prefixes) {
    return std::any_of(prefixes.begin(), prefixes.end(),
                       [&](std::string_view p) { return StartsWith(m, p); });
  };
  if (any({"claude"})) return "anthropic";
  if (any({"gpt", "chatgpt", "o1", "o3", "o4", "text-embedding-3", "text-embedding-ada",
           "davinci", "babbage", "codex", "computer-use", "omni-moderation"})) {
    return "openai";
  }
  if (any({"gemini", "gemma", "learnlm"})) return "gcp.gemini";
  if (any({"text-embedding-0", "textembedding", "text-multilingual", "multimodalembedding",
           "text-unicorn", "text-bison", "chat-bison"})) {
    return "gcp.vertex_ai";
  }
  if (any({"mistral", "mixtral", "codestral", "ministral", "pixtral", "magistral", "devstral",
           "open-mistral", "open-mixtral", "open-codestral", "voxtral"})) {
    return "mistral_ai";
  }
  if (any({"deepseek"})) return "deepseek";
  if (any({"grok"})) return "x_ai";
  if (any({"command", "embed-", "c4ai"})) return "cohere";
  return "";
}

ParsedModel ParseModelString(std::string_view model) {
  ParsedModel out;
  out.original = std::string(model);
  Builder b(&out);
  std::string s = Lower(Trim(model));
  b.Add(s, "exact", true);

  // Resource paths: ".../publishers/google/models/gemini-2.5-pro" (Vertex)
  // and "models/gemini-2.0-flash" (Gemini API).
  if (size_t pub = s.find("publishers/"); pub != std::string::npos) {
    if (size_t models = s.find("/models/", pub); models != std::string::npos) {
      s = s.substr(models + 8);
      b.SetProvider("gcp.vertex_ai");
      b.Add(s, "vertex resource path", true);
    }
  } else if (StartsWith(s, "models/")) {
    s = s.substr(7);
    b.SetProvider("gcp.gemini");
    b.Add(s, "stripped models/ prefix", true);
  }

  // Provider prefixes, possibly nested ("groq/openai/gpt-oss-20b"): each
  // remainder is a candidate, as some providers' ids contain a slash.
  for (size_t slash = s.find('/'); slash != std::string::npos; slash = s.find('/')) {
    std::string_view provider = KnownProvider(std::string_view(s).substr(0, slash));
    if (provider.empty()) break;
    b.SetProvider(provider);
    std::string prefix = s.substr(0, slash + 1);
    s = s.substr(slash + 1);
    b.Add(s, "stripped provider prefix " + prefix, true);
  }

  // Bedrock ids.
  {
    std::string_view rest = s;
    std::string region;
    size_t dot = rest.find('.');
    if (dot != std::string_view::npos && OneOf(rest.substr(0, dot), kBedrockRegions)) {
      region = std::string(rest.substr(0, dot));
      rest.remove_prefix(dot + 1);
      dot = rest.find('.');
    }
    if (dot != std::string_view::npos && OneOf(rest.substr(0, dot), kBedrockVendors)) {
      b.SetProvider("aws.bedrock");
      if (!region.empty()) b.Add(std::string(rest), "stripped bedrock region prefix " + region + ".", true);
      std::string core = StripBedrockVersion(rest.substr(dot + 1));
      b.Add(core, "bedrock id " + s + " -> " + core, true);
      s = core;
    }
  }

  // Vertex snapshot ids: "claude-sonnet-4@20250514".
  if (size_t at = s.find('@'); at != std::string::npos) {
    b.SetProvider("gcp.vertex_ai");
    std::string base = s.substr(0, at);
    std::string version = s.substr(at + 1);
    if (AllDigits(version) && version.size() == 8) {
      b.Add(base + "-" + version, "vertex id " + s + " -> " + base + "-" + version, true);
    }
    b.Add(base, "stripped vertex version @" + version, false);
  }

  // "claude-sonnet-4.5" is how some SDKs spell "claude-sonnet-4-5".
  if (StartsWith(s, "claude") && s.find('.') != std::string::npos) {
    std::string dashed = s;
    std::replace(dashed.begin(), dashed.end(), '.', '-');
    b.Add(dashed, "dots as dashes", true);
  }

  // Snapshot suffixes, up to two levels ("-20241022" after "-v2:0").
  size_t lossless_count = out.candidates.size();
  for (size_t i = 0; i < lossless_count; ++i) {
    std::string id = out.candidates[i].id;
    std::string why;
    for (int level = 0; level < 2; ++level) {
      auto [base, suffix] = StripSnapshot(id);
      if (base.empty()) break;
      why += (why.empty() ? "stripped date suffix " : ", ") + suffix;
      b.Add(base, why, false);
      id = base;
    }
  }
  return out;
}

}  // namespace loupe::pricing
