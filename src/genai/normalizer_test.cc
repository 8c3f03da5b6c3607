#include "genai/normalizer.h"

#include <gtest/gtest.h>

#include "genai/fixture.h"

namespace loupe::genai {
namespace {

using testing::MakeSpan;
using testing::SpanIdFor;
using testing::TraceIdFor;

model::Attributes VercelUsage(std::string_view op, int64_t in, int64_t out) {
  model::Attributes a;
  a.Add("ai.operationId", std::string(op));
  a.Add("ai.model.id", "gpt-4o");
  a.Add("ai.model.provider", "openai.chat");
  a.Add("ai.usage.promptTokens", in);
  a.Add("ai.usage.completionTokens", out);
  return a;
}

model::Span Child(std::string_view id, std::string_view parent, std::string_view name, model::Attributes a,
                  std::string_view scope = "") {
  model::Span s = MakeSpan(id, name, std::move(a), scope);
  if (!parent.empty()) s.parent_span_id = SpanIdFor(parent);
  return s;
}

model::Attributes ChatUsage(int64_t in, int64_t out) {
  model::Attributes a;
  a.Add("gen_ai.operation.name", "chat");
  a.Add("gen_ai.provider.name", "openai");
  a.Add("gen_ai.request.model", "gpt-4o");
  a.Add("gen_ai.usage.input_tokens", in);
  a.Add("gen_ai.usage.output_tokens", out);
  return a;
}

// The blueprint's own span: neither call-level nor a known aggregate.
model::Attributes BlueprintUsage(int64_t in, int64_t out) {
  model::Attributes a;
  a.Add("gen_ai.system", "openai");
  a.Add("gen_ai.request.model", "gpt-4o");
  a.Add("ai.feature", "chat");
  a.Add("gen_ai.usage.input_tokens", in);
  a.Add("gen_ai.usage.output_tokens", out);
  return a;
}

const model::SpanRecord& Find(const model::Batch& b, std::string_view id) {
  for (const auto& r : b.spans) {
    if (r.span.span_id == SpanIdFor(id)) return r;
  }
  ADD_FAILURE() << "no span " << id;
  return b.spans.front();
}

TEST(DoubleCount, VercelRootAndDoGenerateInOneBatch) {
  Normalizer n(NormalizerConfig{});
  model::Batch b;
  // Parent first in the batch: the order must not matter.
  b.spans.push_back({MakeSpan("root", "ai.generateText", VercelUsage("ai.generateText", 30, 5), "ai"), {}});
  b.spans.push_back(
      {Child("call", "root", "ai.generateText.doGenerate", VercelUsage("ai.generateText.doGenerate", 30, 5), "ai"),
       {}});
  n.Normalize(&b);
  ASSERT_TRUE(Find(b, "root").llm && Find(b, "call").llm);
  EXPECT_FALSE(Find(b, "root").llm->counts_usage);
  EXPECT_TRUE(Find(b, "call").llm->counts_usage);
  EXPECT_EQ(Find(b, "root").llm->tokens.input, 30);  // still shown
  EXPECT_EQ(n.stats().aggregate_not_counted, 1u);
}

TEST(DoubleCount, VercelRootInLaterBatch) {
  Normalizer n(NormalizerConfig{});
  model::Batch first, second;
  first.spans.push_back(
      {Child("call", "root", "ai.streamText.doStream", VercelUsage("ai.streamText.doStream", 10, 2), "ai"), {}});
  second.spans.push_back({MakeSpan("root", "ai.streamText", VercelUsage("ai.streamText", 10, 2), "ai"), {}});
  n.Normalize(&first);
  n.Normalize(&second);
  EXPECT_TRUE(first.spans[0].llm->counts_usage);
  EXPECT_FALSE(second.spans[0].llm->counts_usage);
}

TEST(DoubleCount, UnclassifiedParentWithCountedDescendantAcrossBatches) {
  // blueprint "llm.call" > app span (no GenAI keys) > OTel chat span: the
  // chat span arrives first; its grandparent repeats the same usage.
  Normalizer n(NormalizerConfig{});
  model::Batch b1, b2, b3;
  b1.spans.push_back({Child("chat", "mid", "chat gpt-4o", ChatUsage(100, 10)), {}});
  model::Attributes plain;
  plain.Add("http.route", "/x");
  b2.spans.push_back({Child("mid", "outer", "handler", plain), {}});
  b3.spans.push_back({MakeSpan("outer", "llm.call", BlueprintUsage(100, 10)), {}});
  n.Normalize(&b1);
  n.Normalize(&b2);
  n.Normalize(&b3);
  EXPECT_TRUE(b1.spans[0].llm->counts_usage);
  EXPECT_FALSE(b2.spans[0].llm.has_value());
  ASSERT_TRUE(b3.spans[0].llm.has_value());
  EXPECT_FALSE(b3.spans[0].llm->counts_usage);
  EXPECT_EQ(n.stats().descendant_not_counted, 1u);

  // The same blueprint span in a trace without counted children counts.
  model::Batch alone;
  model::Span s = MakeSpan("outer", "llm.call", BlueprintUsage(100, 10));
  s.trace_id = TraceIdFor("other");
  alone.spans.push_back({s, {}});
  n.Normalize(&alone);
  EXPECT_TRUE(alone.spans[0].llm->counts_usage);
}

// @anthropic-ai/sdk's own span under Traceloop's span of the same call:
// whichever arrives first counts, the other does not.
TEST(DoubleCount, NestedCallsOfOneModelCallCountOnceInEitherOrder) {
  for (bool parent_first : {false, true}) {
    Normalizer n{NormalizerConfig{}};
    model::Batch parent, child;
    parent.spans.push_back(
        {Child("traceloop", "", "chat claude", ChatUsage(200, 150), "@traceloop/instrumentation-anthropic"), {}});
    child.spans.push_back({Child("sdk", "traceloop", "anthropic.messages.create", ChatUsage(1500, 150),
                                 "com.anthropic.sdk.typescript"), {}});
    n.Normalize(parent_first ? &parent : &child);
    n.Normalize(parent_first ? &child : &parent);
    EXPECT_EQ(parent.spans[0].llm->counts_usage, parent_first) << parent_first;
    EXPECT_EQ(child.spans[0].llm->counts_usage, !parent_first) << parent_first;
    EXPECT_EQ(n.stats().parent_not_counted, parent_first ? 1u : 0u);
    EXPECT_EQ(n.stats().descendant_not_counted, parent_first ? 0u : 1u);
  }
  // Siblings are separate calls: a counted sibling stops nobody.
  Normalizer n{NormalizerConfig{}};
  model::Batch a, b;
  a.spans.push_back({Child("one", "workflow", "chat", ChatUsage(10, 1)), {}});
  b.spans.push_back({Child("two", "workflow", "chat", ChatUsage(10, 1)), {}});
  n.Normalize(&a);
  n.Normalize(&b);
  EXPECT_TRUE(a.spans[0].llm->counts_usage);
  EXPECT_TRUE(b.spans[0].llm->counts_usage);
}

TEST(DoubleCount, InvokeAgentRootNeverCounts) {
  Normalizer n(NormalizerConfig{});
  model::Attributes a = ChatUsage(500, 50);
  a.Set("gen_ai.operation.name", "invoke_agent");
  model::Batch b;
  b.spans.push_back({MakeSpan("agent", "invoke_agent planner", a), {}});
  n.Normalize(&b);
  ASSERT_TRUE(b.spans[0].llm.has_value());
  EXPECT_FALSE(b.spans[0].llm->counts_usage);
  EXPECT_EQ(b.spans[0].llm->operation, "invoke_agent");
  // Without usage an agent span is not an LLM call at all.
  model::Attributes empty;
  empty.Add("gen_ai.operation.name", "invoke_agent");
  EXPECT_FALSE(n.NormalizeSpan(MakeSpan("a2", "invoke_agent x", empty)).has_value());
}

TEST(DoubleCount, PydanticAgentRunNeverCounts) {
  model::Attributes a;
  a.Add("model_name", "gpt-4o");
  a.Add("agent_name", "support");
  a.Add("gen_ai.usage.input_tokens", 300);
  a.Add("gen_ai.usage.output_tokens", 60);
  Normalizer n(NormalizerConfig{});
  auto call = n.NormalizeSpan(MakeSpan("run", "agent run", a, "pydantic-ai", "0.4.0"));
  ASSERT_TRUE(call.has_value());
  EXPECT_EQ(call->dialect, "logfire");
  EXPECT_FALSE(call->counts_usage);
}

TEST(DoubleCount, DuplicateDeliveryOfACountedSpanDoesNotCountTwice) {
  Normalizer n(NormalizerConfig{});
  model::Batch b1, b2;
  b1.spans.push_back({MakeSpan("chat", "chat gpt-4o", ChatUsage(1, 1)), {}});
  b2.spans.push_back({MakeSpan("chat", "chat gpt-4o", ChatUsage(1, 1)), {}});
  n.Normalize(&b1);
  n.Normalize(&b2);  // a client retry after a lost acknowledgement
  EXPECT_TRUE(b1.spans[0].llm->counts_usage);
  EXPECT_FALSE(b2.spans[0].llm->counts_usage);
}

TEST(DoubleCount, ParentCycleInHostileInputTerminates) {
  Normalizer n(NormalizerConfig{});
  model::Batch b;
  b.spans.push_back({Child("a", "b", "chat", ChatUsage(1, 1)), {}});
  b.spans.push_back({Child("b", "a", "chat", ChatUsage(1, 1)), {}});
  n.Normalize(&b);
  EXPECT_TRUE(b.spans[0].llm.has_value());
  EXPECT_TRUE(b.spans[1].llm.has_value());
}

TEST(UsageLedger, MemoryIsBounded) {
  UsageLedger ledger(2, 3);
  model::SpanId zero{};
  for (int i = 0; i < 5; ++i) {
    ledger.MarkCounted(TraceIdFor("t" + std::to_string(i)), SpanIdFor("s"), zero);
  }
  EXPECT_EQ(ledger.traces(), 2u);
  EXPECT_EQ(ledger.evicted_traces(), 3u);
  EXPECT_FALSE(ledger.HasCountedBelow(TraceIdFor("t0"), SpanIdFor("s")));
  EXPECT_TRUE(ledger.HasCountedBelow(TraceIdFor("t4"), SpanIdFor("s")));
  for (int i = 0; i < 10; ++i) ledger.MarkCounted(TraceIdFor("t4"), SpanIdFor("x" + std::to_string(i)), zero);
  EXPECT_GT(ledger.dropped_marks(), 0u);
}

// The first ids of a trace live inline, later ones in a map: both answer.
TEST(UsageLedger, BigTracesKeepEveryMark) {
  UsageLedger ledger(10, 1024);
  const model::TraceId t = TraceIdFor("big");
  for (int i = 0; i < 20; ++i) {
    ledger.MarkCounted(t, SpanIdFor("c" + std::to_string(i)), SpanIdFor("p" + std::to_string(i)));
  }
  for (int i = 0; i < 20; ++i) {
    SCOPED_TRACE(i);
    EXPECT_TRUE(ledger.HasCounted(t, SpanIdFor("c" + std::to_string(i))));
    EXPECT_TRUE(ledger.HasCountedBelow(t, SpanIdFor("c" + std::to_string(i))));
    EXPECT_TRUE(ledger.HasCountedBelow(t, SpanIdFor("p" + std::to_string(i))));
    EXPECT_FALSE(ledger.HasCounted(t, SpanIdFor("p" + std::to_string(i))));  // marked, not counted
  }
  // Marks climb through ancestors as they arrive.
  ledger.Propagate(t, SpanIdFor("p3"), SpanIdFor("root"));
  EXPECT_TRUE(ledger.HasCountedBelow(t, SpanIdFor("root")));
  ledger.Propagate(t, SpanIdFor("unmarked"), SpanIdFor("other"));
  EXPECT_FALSE(ledger.HasCountedBelow(t, SpanIdFor("other")));
  EXPECT_EQ(ledger.dropped_marks(), 0u);
}

TEST(LogJoin, RecordsWithASpanInTheBatchAreJoined) {
  Normalizer n(NormalizerConfig{});
  model::Batch b;
  model::Attributes a = ChatUsage(5, 2);
  b.spans.push_back({MakeSpan("chat", "chat gpt-4o", a), {}});
  model::LogRecord choice;
  choice.trace_id = TraceIdFor("t");
  choice.span_id = SpanIdFor("chat");
  choice.event_name = "gen_ai.choice";
  model::KeyValueList msg;
  msg.values.push_back({"role", "assistant"});
  msg.values.push_back({"content", "hello"});
  model::KeyValueList body;
  body.values.push_back({"index", 0});
  body.values.push_back({"finish_reason", "stop"});
  body.values.push_back({"message", model::AnyValue(msg)});
  choice.body = model::AnyValue(body);
  model::LogRecord elsewhere = choice;
  elsewhere.span_id = SpanIdFor("not-in-batch");
  model::LogRecord no_span;
  no_span.event_name = "app.log";
  b.logs = {choice, elsewhere, no_span};
  n.Normalize(&b);
  ASSERT_EQ(b.spans[0].span.logs.size(), 1u);
  EXPECT_EQ(b.logs.size(), 2u);
  EXPECT_EQ(n.stats().logs_joined, 1u);
  EXPECT_EQ(n.stats().logs_unjoined, 2u);
  const auto& call = *b.spans[0].llm;
  ASSERT_EQ(call.output_messages.size(), 1u);
  EXPECT_EQ(call.output_messages[0].parts.at(0).content, "hello");
  EXPECT_EQ(call.finish_reasons, std::vector<std::string>{"stop"});
}

TEST(Attribution, ConfiguredKeysAndResourceFallback) {
  NormalizerConfig config;
  config.attribution.team_keys = {"ai.team", "traceloop.association.properties.team"};
  config.attribution.feature_keys.insert(config.attribution.feature_keys.begin() + 1, "app.feature");
  config.attribution.user_keys.push_back("customer.id");
  Normalizer n(config);

  model::Attributes a = ChatUsage(1, 1);
  a.Add("traceloop.association.properties.team", "growth");
  a.Add("app.feature", "checkout");
  a.Add("customer.id", "c-1");
  model::Attributes res;
  res.Add("service.name", "svc");
  res.Add("ai.team", "from-resource");
  res.Add("deployment.environment", "staging");
  // Every key on the span before any on the resource: the span's configured
  // team key wins over the resource's ai.team.
  auto call = n.NormalizeSpan(MakeSpan("s", "chat", a, "", "", res));
  ASSERT_TRUE(call.has_value());
  EXPECT_EQ(call->team, "growth");
  EXPECT_EQ(call->feature, "checkout");
  EXPECT_EQ(call->user, "c-1");
  EXPECT_EQ(call->environment, "staging");

  // Nothing on the span: the resource's ai.team, then service.name as feature.
  call = n.NormalizeSpan(MakeSpan("s", "chat", ChatUsage(1, 1), "", "", res));
  EXPECT_EQ(call->team, "from-resource");
  EXPECT_EQ(call->feature, "svc");
  // Nothing anywhere: the default team.
  call = n.NormalizeSpan(MakeSpan("s", "chat", ChatUsage(1, 1)));
  EXPECT_EQ(call->team, "default");
  EXPECT_EQ(call->feature, "");
}

TEST(Attribution, EnvironmentNamePreferredOverDeprecatedKey) {
  model::Attributes res;
  res.Add("deployment.environment", "old");
  res.Add("deployment.environment.name", "new");
  auto call = Normalizer(NormalizerConfig{}).NormalizeSpan(MakeSpan("s", "chat", ChatUsage(1, 1), "", "", res));
  EXPECT_EQ(call->environment, "new");
}

TEST(Config, ValidateNamesTheKeyPath) {
  NormalizerConfig c;
  EXPECT_TRUE(c.Validate().ok());
  c.attribution.team_keys = {"ai.team", "x", ""};
  Status s = c.Validate();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("attribution.team_keys[2]"), std::string::npos) << s.message();
  c = NormalizerConfig{};
  c.attribution.user_keys.push_back("user.id");
  EXPECT_NE(c.Validate().message().find("attribution.user_keys[7]"), std::string::npos);
  c = NormalizerConfig{};
  c.attribution.default_team = "";
  EXPECT_FALSE(c.Validate().ok());
  c = NormalizerConfig{};
  c.dedup_trace_capacity = 0;
  EXPECT_FALSE(c.Validate().ok());
}

}  // namespace
}  // namespace loupe::genai

namespace loupe::genai {
namespace {

model::LogRecord ChoiceLog(std::string_view span, std::string_view text) {
  model::LogRecord choice;
  choice.trace_id = testing::TraceIdFor("t");
  choice.span_id = testing::SpanIdFor(span);
  choice.event_name = "gen_ai.choice";
  model::KeyValueList msg;
  msg.values.push_back({"role", "assistant"});
  msg.values.push_back({"content", std::string(text)});
  model::KeyValueList body;
  body.values.push_back({"index", 0});
  body.values.push_back({"finish_reason", "stop"});
  body.values.push_back({"message", model::AnyValue(msg)});
  choice.body = model::AnyValue(body);
  return choice;
}

TEST(LogJoin, LogsArrivingBeforeTheirSpanAreJoinedWhenItArrives) {
  Normalizer n(NormalizerConfig{});
  model::Batch logs_first;
  logs_first.logs = {ChoiceLog("chat", "early hello")};
  n.Normalize(&logs_first);
  // The original stays in its batch, so it is stored and acknowledged.
  ASSERT_EQ(logs_first.logs.size(), 1u);

  model::Batch spans_later;
  model::Attributes a;
  a.Add("gen_ai.operation.name", "chat");
  a.Add("gen_ai.request.model", "gpt-4o");
  a.Add("gen_ai.usage.input_tokens", 5);
  a.Add("gen_ai.usage.output_tokens", 2);
  spans_later.spans.push_back({testing::MakeSpan("chat", "chat gpt-4o", a), {}});
  n.Normalize(&spans_later);
  ASSERT_EQ(spans_later.spans[0].span.logs.size(), 1u);
  EXPECT_EQ(n.stats().logs_joined_early, 1u);
  const auto& call = *spans_later.spans[0].llm;
  ASSERT_EQ(call.output_messages.size(), 1u);
  EXPECT_EQ(call.output_messages[0].parts.at(0).content, "early hello");
}

TEST(EarlyLogsTest, BoundedByCountAndAge) {
  EarlyLogs early(2, 1000);
  early.Add(ChoiceLog("a", "1"), 0);
  early.Add(ChoiceLog("b", "2"), 10);
  early.Add(ChoiceLog("c", "3"), 20);  // pushes out "a"
  EXPECT_EQ(early.size(), 2u);
  EXPECT_EQ(early.dropped(), 1u);
  EXPECT_TRUE(early.Take(testing::TraceIdFor("t"), testing::SpanIdFor("a")).empty());
  EXPECT_EQ(early.Take(testing::TraceIdFor("t"), testing::SpanIdFor("b")).size(), 1u);
  EXPECT_EQ(early.size(), 1u);
  early.Expire(5000);  // "c" is older than 1000
  EXPECT_EQ(early.size(), 0u);
  EXPECT_EQ(early.dropped(), 2u);
}

}  // namespace
}  // namespace loupe::genai
