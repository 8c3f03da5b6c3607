// ContentPolicy::Apply in each mode, over every place content can hide.
#include "privacy/policy.h"

#include <gtest/gtest.h>

#include "genai/normalizer.h"
#include "metrics/registry.h"
#include "privacy/test_util.h"

namespace loupe::privacy {
namespace {

using model::AnyValue;
using testing::Occurrences;

const std::vector<std::string> kSecrets = {"jane.doe@example.com", "4111 1111 1111 1111", "415-555-2671",
                                           "sk-proj-Ab3dEf6hIj9kLmN0pQrStUvWxYz12345", "EMP-314159"};

ContentPolicyConfig Config(CaptureMode mode) {
  ContentPolicyConfig c;
  c.capture = mode;
  c.patterns.push_back({"employee_id", R"(EMP-\d{6})", ""});
  return c;
}

std::unique_ptr<ContentPolicy> Policy(const ContentPolicyConfig& c, metrics::Registry* registry = nullptr) {
  auto p = ContentPolicy::Create(c, registry);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return std::move(p).value();
}

model::SpanId Id(uint8_t n) { return model::SpanId{1, 2, 3, 4, 5, 6, 7, n}; }
const model::TraceId kTrace{9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};

// A span carrying a secret in every location a span has, and an LLM call
// in the current GenAI conventions whose messages repeat them.
model::Batch EveryLocation(std::shared_ptr<const model::Resource> resource = nullptr) {
  model::Batch batch;
  model::SpanRecord rec;
  model::Span& s = rec.span;
  s.trace_id = kTrace;
  s.span_id = Id(1);
  s.name = "chat for jane.doe@example.com";
  s.status.message = "card 4111 1111 1111 1111 declined";
  s.attributes.Add("gen_ai.operation.name", "chat");
  s.attributes.Add("gen_ai.provider.name", "openai");
  s.attributes.Add("gen_ai.request.model", "gpt-4o");
  s.attributes.Add("gen_ai.usage.input_tokens", 120);
  s.attributes.Add("gen_ai.usage.output_tokens", 30);
  s.attributes.Add("user.id", "jane.doe@example.com");
  s.attributes.Add("gen_ai.system_instructions", R"([{"type":"text","content":"Employee EMP-314159 only."}])");
  // A JSON escape right before the phone number: the raw text reads "\n415".
  s.attributes.Add("gen_ai.input.messages",
                   R"([{"role":"user","parts":[{"type":"text","content":"Call me:\n415-555-2671 or mail jane.doe@example.com"}]}])");
  s.attributes.Add("gen_ai.output.messages",
                   R"([{"role":"assistant","finish_reason":"tool_call","parts":[{"type":"tool_call","id":"c1","name":"charge","arguments":{"card":"4111 1111 1111 1111"}}]}])");
  s.attributes.Add("app.note", model::ArrayValue{{AnyValue("key sk-proj-Ab3dEf6hIj9kLmN0pQrStUvWxYz12345"), AnyValue(7)}});
  s.attributes.Add("app.nested", model::KeyValueList{{{"who", AnyValue("EMP-314159")}}});
  s.attributes.Add("app.bytes", model::Bytes{"binary stays"});
  model::Event e;
  e.name = "exception";
  e.attributes.Add("exception.message", "bad key sk-proj-Ab3dEf6hIj9kLmN0pQrStUvWxYz12345");
  s.events.push_back(e);
  model::Link link;
  link.attributes.Add("origin", "415-555-2671");
  s.links.push_back(link);
  model::LogRecord joined;
  joined.event_name = "app.audit";
  joined.body = AnyValue("audit for EMP-314159");
  joined.attributes.Add("ip", "jane.doe@example.com");
  s.logs.push_back(joined);
  if (resource == nullptr) {
    auto r = std::make_shared<model::Resource>();
    r->attributes.Add("service.name", "support-bot");
    r->attributes.Add("owner", "jane.doe@example.com");
    resource = r;
  }
  s.resource = resource;
  auto scope = std::make_shared<model::Scope>();
  scope->name = "demo";
  scope->attributes.Add("contact", "415-555-2671");
  s.scope = scope;
  batch.spans.push_back(std::move(rec));

  model::LogRecord loose;
  loose.body = AnyValue(model::KeyValueList{{{"content", AnyValue("my card is 4111-1111-1111-1111")}}});
  loose.attributes.Add("note", "EMP-314159");
  loose.resource = resource;
  batch.logs.push_back(loose);
  return batch;
}

model::Batch Normalized(model::Batch batch) {
  genai::Normalizer normalizer{genai::NormalizerConfig{}};
  normalizer.Normalize(&batch);
  return batch;
}

TEST(ContentPolicyTest, FullChangesNothing) {
  model::Batch batch = Normalized(EveryLocation());
  auto before = testing::AllStrings(batch);
  Policy(Config(CaptureMode::kFull))->Apply(batch);
  EXPECT_EQ(testing::AllStrings(batch), before);
}

TEST(ContentPolicyTest, RedactLeavesNoSecretAnywhere) {
  model::Batch batch = Normalized(EveryLocation());
  const auto& call = *batch.spans[0].llm;
  ASSERT_FALSE(call.input_messages.empty());
  ASSERT_FALSE(Occurrences(batch, kSecrets).empty());  // the test plants them where it says

  metrics::Registry registry;
  auto policy = Policy(Config(CaptureMode::kRedact), &registry);
  policy->Apply(batch);
  EXPECT_EQ(Occurrences(batch, kSecrets), std::vector<std::string>{});

  const model::Span& s = batch.spans[0].span;
  // Content is redacted, not dropped: the structure and the rest survive.
  EXPECT_EQ(s.name, "chat for [REDACTED:email]");
  ASSERT_EQ(call.input_messages.size(), 1u);
  EXPECT_EQ(call.input_messages[0].parts[0].content, "Call me:\n[REDACTED:phone] or mail [REDACTED:email]");
  EXPECT_EQ(call.output_messages[0].parts[0].arguments, R"({"card":"[REDACTED:card]"})");
  EXPECT_EQ(call.system_instructions[0].content, "Employee [REDACTED:employee_id] only.");
  EXPECT_EQ(call.user, "[REDACTED:email]");
  EXPECT_EQ(call.tokens.input, 120);
  // The raw JSON attribute is still JSON, and re-reads as the same content.
  genai::Normalizer normalizer{genai::NormalizerConfig{}};
  auto reread = normalizer.NormalizeSpan(s);
  ASSERT_TRUE(reread.has_value());
  EXPECT_EQ(reread->input_messages, call.input_messages);
  EXPECT_EQ(std::get<model::Bytes>(s.attributes.Find("app.bytes")->v).data, "binary stays");
  EXPECT_EQ(*s.attributes.Find("app.note")->AsArray()->values[1].AsInt(), 7);

  const AnyValue* marker = s.attributes.Find(kRedactedAttribute);
  ASSERT_NE(marker, nullptr);
  EXPECT_GE(*marker->AsInt(), 10);
  EXPECT_NE(batch.logs[0].attributes.Find(kRedactedAttribute), nullptr);
  EXPECT_GE(policy->redactions("email"), 4u);
  EXPECT_GE(policy->redactions("employee_id"), 4u);
  EXPECT_GE(policy->redactions("card"), 3u);
  EXPECT_EQ(policy->redactions("ipv4"), 0u);  // off by default
  std::string scrape = registry.Render();
  EXPECT_NE(scrape.find("loupe_redactions_total{pattern=\"email\"}"), std::string::npos) << scrape;
}

TEST(ContentPolicyTest, SharedResourcesAreCopiedOnceAndCleanOnesKept) {
  auto dirty = std::make_shared<model::Resource>();
  dirty->attributes.Add("owner", "jane.doe@example.com");
  model::Batch batch = EveryLocation(dirty);
  model::Batch second = EveryLocation(dirty);
  batch.spans.push_back(std::move(second.spans[0]));
  auto clean = std::make_shared<const model::Resource>(model::Resource{model::Attributes(std::vector<model::KeyValue>{{"service.name", "x"}})});
  model::Batch third = EveryLocation(clean);
  batch.spans.push_back(std::move(third.spans[0]));

  Policy(Config(CaptureMode::kRedact))->Apply(batch);
  EXPECT_NE(batch.spans[0].span.resource.get(), dirty.get());
  EXPECT_EQ(batch.spans[0].span.resource.get(), batch.spans[1].span.resource.get());
  EXPECT_EQ(batch.spans[0].span.resource.get(), batch.logs[0].resource.get());
  EXPECT_EQ(batch.spans[2].span.resource.get(), clean.get());
  EXPECT_EQ(dirty->attributes.Find("owner")->ToText(), "jane.doe@example.com");  // the original is untouched
}

TEST(ContentPolicyTest, KeepKeysKeepAttributionGroupable) {
  ContentPolicyConfig c = Config(CaptureMode::kRedact);
  c.keep_keys = {"user.id"};
  model::Batch batch = Normalized(EveryLocation());
  Policy(c)->Apply(batch);
  const model::Span& s = batch.spans[0].span;
  EXPECT_EQ(s.attributes.Find("user.id")->ToText(), "jane.doe@example.com");
  EXPECT_EQ(batch.spans[0].llm->user, "jane.doe@example.com");
  // The same address inside content is still redacted.
  EXPECT_EQ(batch.spans[0].llm->input_messages[0].parts[0].content,
            "Call me:\n[REDACTED:phone] or mail [REDACTED:email]");
}

TEST(ContentPolicyTest, NoneDropsContentKeepsTokensAndMarks) {
  model::Batch batch = Normalized(EveryLocation());
  metrics::Registry registry;
  auto policy = Policy(Config(CaptureMode::kNone), &registry);
  policy->Apply(batch);
  const model::SpanRecord& rec = batch.spans[0];
  const model::Span& s = rec.span;
  for (const char* key : {"gen_ai.system_instructions", "gen_ai.input.messages", "gen_ai.output.messages"}) {
    EXPECT_EQ(s.attributes.Find(key), nullptr) << key;
  }
  EXPECT_TRUE(rec.llm->input_messages.empty());
  EXPECT_TRUE(rec.llm->output_messages.empty());
  EXPECT_TRUE(rec.llm->system_instructions.empty());
  EXPECT_EQ(rec.llm->tokens.input, 120);
  EXPECT_EQ(rec.llm->tokens.output, 30);
  EXPECT_EQ(rec.llm->model(), "gpt-4o");
  EXPECT_EQ(*s.attributes.Find("gen_ai.usage.input_tokens")->AsInt(), 120);
  ASSERT_NE(s.attributes.Find(kDroppedAttribute), nullptr);
  EXPECT_TRUE(*s.attributes.Find(kDroppedAttribute)->AsBool());
  EXPECT_EQ(policy->dropped(), 1u);
  // What remains is redacted too.
  EXPECT_EQ(Occurrences(batch, kSecrets), std::vector<std::string>{});
  // The store re-reads stored spans: no content comes back.
  genai::Normalizer normalizer{genai::NormalizerConfig{}};
  auto reread = normalizer.NormalizeSpan(s);
  ASSERT_TRUE(reread.has_value());
  EXPECT_TRUE(reread->input_messages.empty());
  EXPECT_EQ(reread->tokens.input, 120);
}

// One span per dialect content location (shared/reference/genai-attributes.md),
// each carrying the planted e-mail.
struct Location {
  const char* what;
  model::Span span;
  std::vector<model::LogRecord> logs;  // joined by the normalizer
};

model::Span Base(uint8_t id, std::vector<model::KeyValue> attrs) {
  model::Span s;
  s.trace_id = kTrace;
  s.span_id = Id(id);
  s.name = "chat gpt-4o";
  s.attributes = model::Attributes(std::move(attrs));
  s.attributes.Add("gen_ai.usage.input_tokens", 10);
  s.resource = std::make_shared<model::Resource>();
  s.scope = std::make_shared<model::Scope>();
  return s;
}

model::Event Ev(const char* name, std::vector<model::KeyValue> attrs) {
  model::Event e;
  e.name = name;
  e.attributes = model::Attributes(std::move(attrs));
  return e;
}

std::vector<Location> DialectLocations() {
  const std::string m = "jane.doe@example.com";
  const std::string json_msgs = R"([{"role":"user","content":"hi )" + m + R"("}])";
  std::vector<Location> out;
  uint8_t id = 10;
  auto add = [&](const char* what, std::vector<model::KeyValue> attrs) {
    out.push_back({what, Base(id++, std::move(attrs)), {}});
  };
  add("otel semconv", {{"gen_ai.operation.name", "chat"}, {"gen_ai.input.messages", json_msgs}});
  add("deprecated indexed", {{"gen_ai.system", "openai"}, {"gen_ai.prompt.0.role", "user"},
                             {"gen_ai.prompt.0.content", m}, {"gen_ai.completion.0.content", m}});
  add("openllmetry tool call", {{"llm.request.type", "chat"}, {"gen_ai.completion.0.tool_calls.0.arguments",
                                                               R"({"to":")" + m + R"("})"}});
  add("openinference", {{"openinference.span.kind", "LLM"}, {"llm.input_messages.0.message.role", "user"},
                        {"llm.input_messages.0.message.content", m}, {"input.value", json_msgs},
                        {"output.value", m}, {"retrieval.documents.0.document.content", m}});
  add("vercel", {{"ai.operationId", "ai.generateText.doGenerate"}, {"ai.model.id", "gpt-4o"},
                 {"ai.prompt.messages", json_msgs}, {"ai.response.text", m},
                 {"ai.response.toolCalls", R"([{"toolName":"mail","args":")" + m + R"("}])"}});
  add("vercel root", {{"ai.operationId", "ai.generateText"}, {"ai.prompt", R"({"prompt":")" + m + R"("})"}});
  add("langfuse", {{"langfuse.observation.type", "generation"}, {"langfuse.observation.input", m},
                   {"langfuse.observation.output", m}});
  add("traceloop", {{"traceloop.span.kind", "task"}, {"traceloop.entity.input", m}, {"traceloop.entity.output", m}});
  add("pydantic ai", {{"gen_ai.system", "openai"}, {"events", R"([{"event.name":"gen_ai.user.message","content":")" + m + R"("}])"}});
  add("logfire openai", {{"gen_ai.system", "openai"}, {"request_data", R"({"messages":[{"role":"user","content":")" + m + R"("}]})"},
                         {"response_data", m}});
  add("deprecated plain", {{"gen_ai.system", "openai"}, {"gen_ai.prompt", m}, {"gen_ai.completion", m}});

  Location events{"span events", Base(id++, {{"gen_ai.system", "openai"}}), {}};
  events.span.events.push_back(Ev("gen_ai.user.message", {{"content", AnyValue(m)}}));
  events.span.events.push_back(Ev("gen_ai.choice", {{"index", 0}, {"message", AnyValue(R"({"content":")" + m + R"("})")}}));
  events.span.events.push_back(Ev("gen_ai.content.prompt", {{"gen_ai.prompt", AnyValue(m)}}));
  events.span.events.push_back(Ev("gen_ai.client.inference.operation.details", {{"gen_ai.output.messages", json_msgs},
                                                                                 {"gen_ai.usage.output_tokens", 5}}));
  events.span.events.push_back(Ev("az", {{"gen_ai.event.content", AnyValue(R"({"content":")" + m + R"("})")}}));
  out.push_back(std::move(events));

  Location logs{"log events", Base(id++, {{"gen_ai.system", "openai"}}), {}};
  model::LogRecord user;
  user.event_name = "gen_ai.user.message";
  user.body = AnyValue(model::KeyValueList{{{"content", AnyValue(m)}}});
  model::LogRecord choice;
  choice.attributes.Add("event.name", "gen_ai.choice");
  choice.body = AnyValue(model::KeyValueList{{{"message", AnyValue(model::KeyValueList{{{"content", AnyValue(m)}}})}}});
  model::LogRecord details;
  details.event_name = "gen_ai.client.inference.operation.details";
  details.attributes.Add("gen_ai.input.messages", json_msgs);
  for (auto* l : {&user, &choice, &details}) {
    l->trace_id = kTrace;
    l->span_id = logs.span.span_id;
    logs.logs.push_back(*l);
  }
  out.push_back(std::move(logs));
  return out;
}

class DialectTest : public ::testing::TestWithParam<CaptureMode> {};

TEST_P(DialectTest, NoSecretSurvivesInAnyDialect) {
  for (Location& loc : DialectLocations()) {
    model::Batch batch;
    batch.spans.push_back({loc.span, std::nullopt});
    batch.logs = loc.logs;
    batch = Normalized(std::move(batch));
    ASSERT_FALSE(Occurrences(batch, {"jane.doe@example.com"}).empty()) << loc.what;
    ContentPolicyConfig c;
    c.capture = GetParam();
    if (c.capture == CaptureMode::kNone) c.builtin["email"] = false;  // dropping alone must remove it
    Policy(c)->Apply(batch);
    EXPECT_EQ(Occurrences(batch, {"jane.doe@example.com"}), std::vector<std::string>{}) << loc.what;
    if (c.capture == CaptureMode::kNone) {
      EXPECT_NE(batch.spans[0].span.attributes.Find(kDroppedAttribute), nullptr) << loc.what;
      EXPECT_EQ(*batch.spans[0].span.attributes.Find("gen_ai.usage.input_tokens")->AsInt(), 10) << loc.what;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, DialectTest, ::testing::Values(CaptureMode::kRedact, CaptureMode::kNone),
                         [](const auto& info) { return std::string(CaptureModeName(info.param)); });

TEST(ContentPolicyTest, NoneKeepsNonContentEventAttributes) {
  model::Batch batch;
  model::Span s = Base(1, {{"gen_ai.system", "openai"}, {"gen_ai.prompt.name", "support-v2"}});
  s.events.push_back(Ev("gen_ai.choice", {{"index", 0}, {"finish_reason", "stop"}, {"message", "secret"}}));
  s.events.push_back(Ev("exception", {{"exception.type", "ValueError"}}));
  batch.spans.push_back({s, std::nullopt});
  ContentPolicyConfig c;
  c.capture = CaptureMode::kNone;
  Policy(c)->Apply(batch);
  const model::Span& out = batch.spans[0].span;
  EXPECT_EQ(out.attributes.Find("gen_ai.prompt.name")->ToText(), "support-v2");
  EXPECT_EQ(out.events[0].attributes.Find("message"), nullptr);
  EXPECT_EQ(out.events[0].attributes.Find("finish_reason")->ToText(), "stop");
  EXPECT_EQ(out.events[1].attributes.Find("exception.type")->ToText(), "ValueError");
}

TEST(ContentPolicyTest, InvalidConfigIsRefused) {
  ContentPolicyConfig c;
  c.capture = CaptureMode::kRedact;
  c.patterns.push_back({"broken", "(", ""});
  auto p = ContentPolicy::Create(c, nullptr);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("content.redact.patterns[0].regex"), std::string::npos);
  c.capture = CaptureMode::kFull;  // even when it would not be used
  EXPECT_FALSE(ContentPolicy::Create(c, nullptr).ok());
}

}  // namespace
}  // namespace loupe::privacy
