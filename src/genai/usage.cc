#include "genai/usage.h"

#include "genai/json_value.h"
#include "genai/lookup.h"

namespace loupe::genai {
namespace {

// No real call comes near this; bigger values are garbage, and capping them
// keeps the sums below from overflowing.
constexpr int64_t kMaxTokens = 1'000'000'000'000'000;

std::optional<int64_t> MemberInt(const model::AnyValue& obj, KeyList keys) {
  for (std::string_view key : keys) {
    if (auto i = IntOf(Member(obj, key))) return i;
  }
  return std::nullopt;
}

void ReadLangfuseDetails(const model::Span& span, RawUsage* u) {
  const model::AnyValue* v = FindOnSpan(span, "langfuse.observation.usage_details");
  if (v == nullptr) return;
  model::AnyValue d = Structured(*v);
  if (d.AsKvList() == nullptr) return;
  u->input = MemberInt(d, {"input", "prompt_tokens", "input_tokens"});
  u->output = MemberInt(d, {"output", "completion_tokens", "output_tokens"});
  u->total = MemberInt(d, {"total", "total_tokens"});
  u->cache_read = MemberInt(d, {"cache_read_input_tokens", "input_cached_tokens", "input_cache_read", "cached_tokens",
                                "cache_read"});
  u->cache_write = MemberInt(d, {"cache_creation_input_tokens", "input_cache_creation", "input_cache_write",
                                 "cache_write"});
  u->reasoning = MemberInt(d, {"output_reasoning_tokens", "reasoning_tokens", "output_reasoning"});
  u->from_langfuse_details = true;
}

// Vercel AI SDK v4/v5 report cache tokens only in provider metadata.
void ReadVercelProviderMetadata(const model::Span& span, RawUsage* u) {
  const model::AnyValue* v = FindOnSpan(span, "ai.response.providerMetadata");
  if (v == nullptr) return;
  model::AnyValue md = Structured(*v);
  if (const auto* a = Member(md, "anthropic")) {
    if (!u->cache_read) u->cache_read = MemberInt(*a, {"cacheReadInputTokens"});
    if (!u->cache_write) u->cache_write = MemberInt(*a, {"cacheCreationInputTokens"});
  }
  if (const auto* o = Member(md, "openai")) {
    if (!u->cache_read) u->cache_read = MemberInt(*o, {"cachedPromptTokens"});
    if (!u->reasoning) u->reasoning = MemberInt(*o, {"reasoningTokens"});
  }
  if (const auto* b = Member(Member(md, "bedrock"), "usage")) {
    if (!u->cache_read) u->cache_read = MemberInt(*b, {"cacheReadInputTokens"});
    if (!u->cache_write) u->cache_write = MemberInt(*b, {"cacheWriteInputTokens"});
  }
}

// Logfire's logfire.metrics: {"gen_ai.client.token.usage": {"details":
// [{"attributes": {"gen_ai.token.type": "input", ...}, "total": N}, ...]}}.
void ReadLogfireMetrics(const model::Span& span, RawUsage* u) {
  const model::AnyValue* v = FindOnSpan(span, "logfire.metrics");
  if (v == nullptr) return;
  model::AnyValue m = Structured(*v);
  const auto* details = Member(Member(m, "gen_ai.client.token.usage"), "details");
  if (details == nullptr || details->AsArray() == nullptr) return;
  for (const auto& d : details->AsArray()->values) {
    std::string type = TextOf(Member(Member(d, "attributes"), "gen_ai.token.type"));
    auto n = IntOf(Member(d, "total"));
    if (!n) continue;
    if (type == "input") u->input = u->input.value_or(0) + *n;
    if (type == "output") u->output = u->output.value_or(0) + *n;
  }
}

bool Clamp(std::optional<int64_t>* v) {
  if (!v->has_value()) return false;
  if (**v < 0) { *v = 0; return true; }
  if (**v > kMaxTokens) { *v = kMaxTokens; return true; }
  return false;
}

}  // namespace

RawUsage ReadRawUsage(const model::Span& span) {
  RawUsage u;
  u.input = FirstInt(span, {"gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt",
                            "ai.usage.inputTokens", "ai.usage.promptTokens"});
  u.output = FirstInt(span, {"gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens",
                             "llm.token_count.completion", "ai.usage.outputTokens", "ai.usage.completionTokens"});
  u.cache_read = FirstInt(span, {"gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens",
                                 "llm.token_count.prompt_details.cache_read",
                                 "ai.usage.inputTokenDetails.cacheReadTokens", "ai.usage.cachedInputTokens",
                                 "gen_ai.usage.details.cache_read_tokens",
                                 "gen_ai.usage.prompt_tokens_details.cached_tokens"});
  // cache_write.input_tokens: @anthropic-ai/sdk 0.137's own spans.
  u.cache_write = FirstInt(span, {"gen_ai.usage.cache_creation.input_tokens",
                                  "gen_ai.usage.cache_write.input_tokens",
                                  "gen_ai.usage.cache_creation_input_tokens",
                                  "llm.token_count.prompt_details.cache_write",
                                  "ai.usage.inputTokenDetails.cacheWriteTokens",
                                  "gen_ai.usage.details.cache_write_tokens",
                                  "gen_ai.usage.prompt_tokens_details.cache_creation_tokens"});
  u.reasoning = FirstInt(span, {"gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.reasoning_tokens",
                                "llm.usage.reasoning_tokens", "llm.token_count.completion_details.reasoning",
                                "ai.usage.outputTokenDetails.reasoningTokens", "ai.usage.reasoningTokens",
                                "gen_ai.usage.details.reasoning_tokens",
                                "gen_ai.usage.completion_tokens_details.reasoning_tokens"});
  u.total = FirstInt(span, {"gen_ai.usage.total_tokens", "llm.usage.total_tokens", "llm.token_count.total",
                            "ai.usage.totalTokens", "ai.usage.tokens"});
  if (!u.input && !u.output) ReadLangfuseDetails(span, &u);
  if (!u.cache_read || !u.cache_write) ReadVercelProviderMetadata(span, &u);
  if (!u.input && !u.output) ReadLogfireMetrics(span, &u);
  return u;
}

UsageRules DecideUsageRules(const model::Span& span, const SpanFacts& facts, const std::string& provider,
                            const RawUsage& raw, const std::map<std::string, bool>& by_service) {
  UsageRules r;
  const std::string scope = span.scope ? Lower(span.scope->name) : "";
  const std::string vercel_provider = Lower(TextOf(FindOnSpan(span, "ai.model.provider")));

  if (raw.from_langfuse_details) {
    r.input_includes_cache = false;
  } else if (scope.starts_with("@traceloop/instrumentation-anthropic")) {
    // OpenLLMetry JS (@traceloop/instrumentation-anthropic 0.27) passes
    // Anthropic's raw input_tokens on, which exclude cache reads and writes
    // (its total is input + output). OpenLLMetry Python
    // (opentelemetry.instrumentation.anthropic 0.62) and the SDK's own spans
    // (com.anthropic.sdk.typescript 0.137) add them in: the default below.
    r.input_includes_cache = false;
  } else if (facts.dialect == Dialect::kOpenLit) {
    // OpenLIT's Anthropic instrumentation reports Anthropic's raw
    // input_tokens, which exclude cache reads and writes.
    r.input_includes_cache = !(provider == "anthropic" || scope.find("anthropic") != std::string::npos);
  } else if (facts.dialect == Dialect::kVercelAi && facts.vercel_major < 6) {
    // Before v6 each provider passed its own input count through: Anthropic
    // (direct, on Vertex) and Bedrock exclude cache tokens, OpenAI includes them.
    bool exclusive = vercel_provider.find("anthropic") != std::string::npos || provider == "anthropic" ||
                     provider == "aws.bedrock";
    r.input_includes_cache = !exclusive;
  }
  const std::string service = span.resource ? TextOf(span.resource->attributes.Find("service.name")) : "";
  if (auto it = by_service.find(service); it != by_service.end()) r.input_includes_cache = it->second;

  if (raw.from_langfuse_details) {
    r.output_includes_reasoning = false;
  } else if (raw.total && raw.input && raw.output && raw.reasoning && *raw.reasoning > 0) {
    // A reported total settles it: does it add reasoning on top of output?
    int64_t in = *raw.input;
    if (!r.input_includes_cache) in += raw.cache_read.value_or(0) + raw.cache_write.value_or(0);
    if (*raw.total == in + *raw.output + *raw.reasoning) r.output_includes_reasoning = false;
    else if (*raw.total == in + *raw.output) r.output_includes_reasoning = true;
    else r.output_includes_reasoning = !(provider.starts_with("gcp.") && facts.vercel_major < 6);
  } else {
    // Gemini counts thoughts apart from candidates; OpenAI-style usage
    // counts reasoning inside completion tokens. Vercel v6 normalises both
    // to "inside".
    r.output_includes_reasoning = !(provider.starts_with("gcp.") && facts.vercel_major < 6);
  }
  return r;
}

model::TokenUsage ApplyUsageRules(const RawUsage& raw, const UsageRules& rules, UsageNotes* notes) {
  RawUsage u = raw;
  bool clamped = false;
  for (auto* v : {&u.input, &u.output, &u.cache_read, &u.cache_write, &u.reasoning, &u.total}) {
    clamped |= Clamp(v);
  }
  if (clamped) notes->clamped_negative = true;

  model::TokenUsage t;
  t.cache_read = u.cache_read;
  t.cache_write = u.cache_write;
  t.reasoning = u.reasoning;
  if (u.input) {
    int64_t cache = u.cache_read.value_or(0) + u.cache_write.value_or(0);
    if (rules.input_includes_cache && cache > 0) {
      // An input smaller than its own cache share cannot include it: the
      // emitter reported cache separately whatever its scope says.
      if (*u.input >= cache) {
        t.input = *u.input - cache;
      } else {
        t.input = u.input;
        notes->cache_reported_separately = true;
      }
    } else {
      t.input = u.input;
    }
  }
  if (u.output) {
    int64_t reasoning = u.reasoning.value_or(0);
    if (rules.output_includes_reasoning && reasoning > 0) {
      if (*u.output >= reasoning) {
        t.output = *u.output - reasoning;
      } else {
        t.output = u.output;
        notes->reasoning_reported_separately = true;
      }
    } else {
      t.output = u.output;
    }
  }
  // A reported total may include types not broken out (audio, Gemini's
  // tool-use prompt), so it wins when it is at least the sum of the parts;
  // one below the sum left some parts out (OpenLIT's Anthropic total omits
  // cache tokens), and the sum is the truth.
  if (t.any()) {
    t.total = u.total && *u.total >= t.Sum() ? *u.total : t.Sum();
  } else {
    t.total = u.total;
  }
  return t;
}

}  // namespace loupe::genai
