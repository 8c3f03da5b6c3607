#include "genai/usage.h"

#include <gtest/gtest.h>

#include "genai/dialect.h"
#include "genai/fixture.h"

namespace loupe::genai {
namespace {

using testing::MakeSpan;

model::TokenUsage Normalize(const model::Span& span, const std::map<std::string, bool>& overrides = {},
                            UsageNotes* notes_out = nullptr) {
  SpanFacts facts = ClassifySpan(span);
  RawUsage raw = ReadRawUsage(span);
  std::string provider = "anthropic";
  UsageRules rules = DecideUsageRules(span, facts, provider, raw, overrides);
  UsageNotes notes;
  model::TokenUsage t = ApplyUsageRules(raw, rules, &notes);
  if (notes_out) *notes_out = notes;
  return t;
}

model::Attributes SpecAnthropic(int64_t input, int64_t cache_read) {
  model::Attributes a;
  a.Add("gen_ai.operation.name", "chat");
  a.Add("gen_ai.provider.name", "anthropic");
  a.Add("gen_ai.request.model", "claude-sonnet-4-5");
  a.Add("gen_ai.usage.input_tokens", input);
  a.Add("gen_ai.usage.cache_read.input_tokens", cache_read);
  a.Add("gen_ai.usage.output_tokens", 50);
  return a;
}

TEST(CacheRule, SpecCountsCacheInsideInput) {
  model::TokenUsage t = Normalize(MakeSpan("s", "chat", SpecAnthropic(1000, 800)));
  EXPECT_EQ(t.input, 200);
  EXPECT_EQ(t.cache_read, 800);
  EXPECT_EQ(t.output, 50);
  EXPECT_EQ(t.total, 1050);
  EXPECT_EQ(t.Sum(), *t.total);
}

TEST(CacheRule, OpenLitAnthropicReportsCacheSeparately) {
  model::Attributes a;
  a.Add("gen_ai.operation.name", "chat");
  a.Add("gen_ai.system", "anthropic");
  a.Add("gen_ai.request.model", "claude-3-5-sonnet");
  a.Add("gen_ai.usage.input_tokens", 200);
  a.Add("gen_ai.usage.cache_read_input_tokens", 800);
  a.Add("gen_ai.usage.output_tokens", 10);
  model::Span span = MakeSpan("s", "chat", a, "openlit.otel.tracing", "1.33.0");
  EXPECT_EQ(ClassifySpan(span).dialect, Dialect::kOpenLit);
  model::TokenUsage t = Normalize(span);
  EXPECT_EQ(t.input, 200);
  EXPECT_EQ(t.cache_read, 800);
}

TEST(CacheRule, TraceloopJsAnthropicExcludesCacheEvenWhenInputIsLarger) {
  // @traceloop/instrumentation-anthropic 0.27 passes Anthropic's raw
  // input_tokens on. With an uncached input larger than the cache, only the
  // scope rule (not the input < cache guard) keeps it whole.
  model::Attributes a = SpecAnthropic(2000, 300);
  a.Add("gen_ai.usage.cache_creation.input_tokens", 100);
  model::Span js = MakeSpan("s", "chat claude-sonnet-4-5", a, "@traceloop/instrumentation-anthropic", "0.27.0");
  model::TokenUsage t = Normalize(js);
  EXPECT_EQ(t.input, 2000);
  EXPECT_EQ(t.cache_read, 300);
  EXPECT_EQ(t.cache_write, 100);
  // opentelemetry.instrumentation.anthropic 0.62 (OpenLLMetry Python) and
  // the SDK's own com.anthropic.sdk.typescript spans count cache inside.
  for (const char* scope : {"opentelemetry.instrumentation.anthropic", "com.anthropic.sdk.typescript"}) {
    model::TokenUsage py = Normalize(MakeSpan("s", "anthropic.chat", a, scope, "0.62.4"));
    EXPECT_EQ(py.input, 1600) << scope;
  }
}

TEST(CacheRule, AnthropicSdkCacheWriteKey) {
  // @anthropic-ai/sdk 0.137 names cache writes cache_write, not cache_creation.
  model::Attributes a = SpecAnthropic(1500, 1000);
  a.Add("gen_ai.usage.cache_write.input_tokens", 300);
  model::TokenUsage t = Normalize(MakeSpan("s", "anthropic.messages.create", a, "com.anthropic.sdk.typescript"));
  EXPECT_EQ(t.input, 200);
  EXPECT_EQ(t.cache_write, 300);
}

TEST(CacheRule, PerServiceOverrideWinsOverScope) {
  model::Attributes res;
  res.Add("service.name", "claude-proxy");
  model::Span span = MakeSpan("s", "chat", SpecAnthropic(1000, 800), "", "", res);
  EXPECT_EQ(Normalize(span).input, 200);
  EXPECT_EQ(Normalize(span, {{"claude-proxy", false}}).input, 1000);
  // And the other way round: an OpenLIT service declared "inside".
  model::Attributes a;
  a.Add("gen_ai.system", "anthropic");
  a.Add("gen_ai.operation.name", "chat");
  a.Add("gen_ai.usage.input_tokens", 1000);
  a.Add("gen_ai.usage.cache_read_input_tokens", 800);
  model::Span openlit = MakeSpan("s", "chat", a, "openlit.otel.tracing", "1.0", res);
  EXPECT_EQ(Normalize(openlit).input, 1000);
  EXPECT_EQ(Normalize(openlit, {{"claude-proxy", true}}).input, 200);
  EXPECT_EQ(Normalize(openlit, {{"other-service", true}}).input, 1000);
}

TEST(CacheRule, InputSmallerThanCacheIsTakenAsSeparate) {
  UsageNotes notes;
  model::TokenUsage t = Normalize(MakeSpan("s", "chat", SpecAnthropic(200, 800)), {}, &notes);
  EXPECT_EQ(t.input, 200);
  EXPECT_TRUE(notes.cache_reported_separately);
}

TEST(CacheRule, VercelVersionsDiffer) {
  // v5 + Anthropic provider: inputTokens excludes cache.
  model::Attributes v5;
  v5.Add("ai.operationId", "ai.generateText.doGenerate");
  v5.Add("ai.model.provider", "anthropic.messages");
  v5.Add("ai.usage.inputTokens", 1000);
  v5.Add("ai.usage.cachedInputTokens", 800);
  EXPECT_EQ(Normalize(MakeSpan("s", "ai.generateText.doGenerate", v5, "ai")).input, 1000);
  // v5 + OpenAI: OpenAI's prompt_tokens include cached tokens.
  model::Attributes v5o = v5;
  v5o.Set("ai.model.provider", "openai.chat");
  SpanFacts facts = ClassifySpan(MakeSpan("s", "x", v5o, "ai"));
  EXPECT_EQ(facts.vercel_major, 5);
  RawUsage raw = ReadRawUsage(MakeSpan("s", "x", v5o, "ai"));
  UsageRules rules = DecideUsageRules(MakeSpan("s", "x", v5o, "ai"), facts, "openai", raw, {});
  EXPECT_TRUE(rules.input_includes_cache);
  // v6 + Anthropic: normalised, cache inside input.
  model::Attributes v6 = v5;
  v6.Add("ai.usage.inputTokenDetails.cacheReadTokens", 800);
  EXPECT_EQ(ClassifySpan(MakeSpan("s", "x", v6, "ai")).vercel_major, 6);
  EXPECT_EQ(Normalize(MakeSpan("s", "x", v6, "ai")).input, 200);
  // A tracer version, when present, beats the key-set guess.
  EXPECT_EQ(ClassifySpan(MakeSpan("s", "x", v5, "ai", "6.0.3")).vercel_major, 6);
}

TEST(ReasoningRule, OpenAiStyleOutputIncludesReasoning) {
  model::Attributes a;
  a.Add("gen_ai.operation.name", "chat");
  a.Add("gen_ai.provider.name", "openai");
  a.Add("gen_ai.usage.input_tokens", 100);
  a.Add("gen_ai.usage.output_tokens", 500);
  a.Add("gen_ai.usage.reasoning.output_tokens", 400);
  model::TokenUsage t = Normalize(MakeSpan("s", "chat o3", a));
  EXPECT_EQ(t.output, 100);
  EXPECT_EQ(t.reasoning, 400);
  EXPECT_EQ(t.total, 600);
}

TEST(ReasoningRule, GeminiCountsThoughtsApart) {
  model::Attributes a;
  a.Add("gen_ai.operation.name", "generate_content");
  a.Add("gen_ai.provider.name", "gcp.gemini");
  a.Add("gen_ai.usage.input_tokens", 100);
  a.Add("gen_ai.usage.output_tokens", 50);
  a.Add("gen_ai.usage.reasoning.output_tokens", 400);
  model::Span span = MakeSpan("s", "generate_content gemini-2.5-pro", a);
  RawUsage raw = ReadRawUsage(span);
  UsageRules rules = DecideUsageRules(span, ClassifySpan(span), "gcp.gemini", raw, {});
  EXPECT_FALSE(rules.output_includes_reasoning);
  UsageNotes notes;
  model::TokenUsage t = ApplyUsageRules(raw, rules, &notes);
  EXPECT_EQ(t.output, 50);
  EXPECT_EQ(t.reasoning, 400);
}

TEST(ReasoningRule, ReportedTotalDecides) {
  model::Attributes a;
  a.Add("gen_ai.operation.name", "chat");
  a.Add("gen_ai.provider.name", "openai");
  a.Add("gen_ai.usage.input_tokens", 100);
  a.Add("gen_ai.usage.output_tokens", 50);
  a.Add("gen_ai.usage.reasoning.output_tokens", 30);
  a.Add("gen_ai.usage.total_tokens", 180);  // 100 + 50 + 30: reasoning on top
  model::Span span = MakeSpan("s", "chat", a);
  RawUsage raw = ReadRawUsage(span);
  EXPECT_FALSE(DecideUsageRules(span, ClassifySpan(span), "openai", raw, {}).output_includes_reasoning);
  a.Set("gen_ai.usage.total_tokens", 150);  // 100 + 50: reasoning inside
  span = MakeSpan("s", "chat", a);
  raw = ReadRawUsage(span);
  EXPECT_TRUE(DecideUsageRules(span, ClassifySpan(span), "openai", raw, {}).output_includes_reasoning);
}

TEST(ApplyUsageRules, NegativeAndHugeValuesAreClamped) {
  RawUsage raw;
  raw.input = -5;
  raw.output = 10;
  raw.total = -1;
  UsageNotes notes;
  model::TokenUsage t = ApplyUsageRules(raw, UsageRules{}, &notes);
  EXPECT_TRUE(notes.clamped_negative);
  EXPECT_EQ(t.input, 0);
  EXPECT_EQ(t.total, 10);
  raw = RawUsage{};
  raw.input = INT64_MAX;
  raw.cache_read = INT64_MAX;
  notes = UsageNotes{};
  t = ApplyUsageRules(raw, UsageRules{}, &notes);  // must not overflow
  EXPECT_TRUE(notes.clamped_negative);
  EXPECT_GE(*t.total, 0);
}

TEST(ApplyUsageRules, ReportedTotalBelowPartsIsReplacedBySum) {
  RawUsage raw;
  raw.input = 200;
  raw.cache_read = 800;
  raw.output = 100;
  raw.total = 300;  // omits the cache
  UsageRules rules;
  rules.input_includes_cache = false;
  UsageNotes notes;
  EXPECT_EQ(ApplyUsageRules(raw, rules, &notes).total, 1100);
  raw.total = 1200;  // more than the parts (e.g. audio): kept
  EXPECT_EQ(ApplyUsageRules(raw, rules, &notes).total, 1200);
}

TEST(ReadRawUsage, StringsAndLangfuseDetails) {
  model::Attributes a;
  a.Add("gen_ai.usage.input_tokens", "42");  // some SDKs stringify
  a.Add("gen_ai.usage.output_tokens", 7.0);
  RawUsage raw = ReadRawUsage(MakeSpan("s", "x", a));
  EXPECT_EQ(raw.input, 42);
  EXPECT_EQ(raw.output, 7);

  model::Attributes lf;
  lf.Add("langfuse.observation.type", "generation");
  lf.Add("langfuse.observation.usage_details", R"({"input": 10, "output": 5, "cache_read_input_tokens": 3})");
  raw = ReadRawUsage(MakeSpan("s", "x", lf));
  EXPECT_TRUE(raw.from_langfuse_details);
  EXPECT_EQ(raw.input, 10);
  EXPECT_EQ(raw.cache_read, 3);

  model::Attributes bad;
  bad.Add("langfuse.observation.usage_details", "{not json");
  raw = ReadRawUsage(MakeSpan("s", "x", bad));
  EXPECT_FALSE(raw.input.has_value());
}

}  // namespace
}  // namespace loupe::genai
