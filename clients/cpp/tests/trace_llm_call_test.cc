// LlmCallScope's attributes and status, captured by a recording exporter.
#include "loupe/trace_llm_call.h"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

namespace loupe {
namespace {

class RecordingExporter : public SpanExporter {
 public:
  void Export(SpanData span) override { spans.push_back(std::move(span)); }
  std::vector<SpanData> spans;
};

const AttrValue* Find(const SpanData& s, const std::string& key) {
  for (const auto& [k, v] : s.attributes) {
    if (k == key) return &v;
  }
  return nullptr;
}
std::string Str(const SpanData& s, const std::string& key) {
  const AttrValue* v = Find(s, key);
  return v != nullptr && std::holds_alternative<std::string>(*v) ? std::get<std::string>(*v) : "<missing>";
}
int64_t Int(const SpanData& s, const std::string& key) {
  const AttrValue* v = Find(s, key);
  return v != nullptr && std::holds_alternative<int64_t>(*v) ? std::get<int64_t>(*v) : -999;
}

TEST(InferProviderTest, MatchesThePythonHelper) {
  EXPECT_EQ(InferProvider("claude-sonnet-4-5-20250929"), "anthropic");
  EXPECT_EQ(InferProvider("anthropic.claude-3-haiku"), "anthropic");
  EXPECT_EQ(InferProvider("GPT-4o"), "openai");
  EXPECT_EQ(InferProvider("o3-mini"), "openai");
  EXPECT_EQ(InferProvider("text-embedding-3-small"), "openai");
  EXPECT_EQ(InferProvider("models/gemini-2.0-flash"), "gcp.gemini");
  EXPECT_EQ(InferProvider("mixtral-8x7b"), "mistral_ai");
  EXPECT_EQ(InferProvider("command-r-plus"), "cohere");
  EXPECT_EQ(InferProvider("deepseek-chat"), "deepseek");
  EXPECT_EQ(InferProvider("grok-2"), "x_ai");
  EXPECT_EQ(InferProvider("llama-3-70b"), "unknown");
}

TEST(LlmCallScopeTest, ThreeLinesProduceTheConventionsAndBlueprintKeys) {
  RecordingExporter exp;
  SpanContext ctx;
  {
    LlmCallScope call(exp, "claude-sonnet-4-5-20250929", "support-chat", "v3", "growth");
    call.input_tokens(1500).output_tokens(150).cache_read_tokens(1000).cache_write_tokens(300).reasoning_tokens(20);
    call.response_model("claude-sonnet-4-5-20250929").response_id("msg_1").finish_reason("end_turn");
    ctx = call.context();
    EXPECT_TRUE(exp.spans.empty()) << "the span must end with the scope, not before";
  }
  ASSERT_EQ(exp.spans.size(), 1u);
  const SpanData& s = exp.spans[0];
  EXPECT_TRUE(s.context.valid());
  EXPECT_EQ(s.context.SpanIdHex(), ctx.SpanIdHex());
  EXPECT_EQ(s.name, "chat claude-sonnet-4-5-20250929");
  EXPECT_EQ(s.kind, SpanKind::kClient);
  EXPECT_LE(s.start_unix_nano, s.end_unix_nano);
  EXPECT_GT(s.start_unix_nano, 1'600'000'000'000'000'000ULL);
  EXPECT_EQ(Str(s, "gen_ai.operation.name"), "chat");
  EXPECT_EQ(Str(s, "gen_ai.provider.name"), "anthropic");
  EXPECT_EQ(Str(s, "gen_ai.system"), "anthropic");
  EXPECT_EQ(Str(s, "gen_ai.request.model"), "claude-sonnet-4-5-20250929");
  EXPECT_EQ(Str(s, "gen_ai.response.model"), "claude-sonnet-4-5-20250929");
  EXPECT_EQ(Str(s, "gen_ai.response.id"), "msg_1");
  EXPECT_EQ(Str(s, "ai.feature"), "support-chat");
  EXPECT_EQ(Str(s, "ai.prompt_version"), "v3");
  EXPECT_EQ(Str(s, "ai.team"), "growth");
  EXPECT_EQ(Int(s, "gen_ai.usage.input_tokens"), 1500);
  EXPECT_EQ(Int(s, "gen_ai.usage.output_tokens"), 150);
  EXPECT_EQ(Int(s, "gen_ai.usage.cache_read.input_tokens"), 1000);
  EXPECT_EQ(Int(s, "gen_ai.usage.cache_creation.input_tokens"), 300);
  EXPECT_EQ(Int(s, "gen_ai.usage.reasoning.output_tokens"), 20);
  EXPECT_GE(Int(s, "ai.latency_ms"), 0);
  EXPECT_EQ(std::get<std::vector<std::string>>(*Find(s, "gen_ai.response.finish_reasons")),
            std::vector<std::string>{"end_turn"});
  EXPECT_EQ(s.status_code, StatusCode::kOk);
  EXPECT_EQ(Find(s, "error.type"), nullptr);
}

TEST(LlmCallScopeTest, DefaultsAndUnsetUsage) {
  RecordingExporter exp;
  { LlmCallScope call(exp, "llama-3-70b", "search"); }
  const SpanData& s = exp.spans.at(0);
  EXPECT_EQ(Str(s, "ai.prompt_version"), "unknown");
  EXPECT_EQ(Str(s, "ai.team"), "default");
  EXPECT_EQ(Str(s, "gen_ai.provider.name"), "unknown");
  EXPECT_EQ(Find(s, "gen_ai.usage.input_tokens"), nullptr);
  EXPECT_EQ(Find(s, "gen_ai.usage.cache_read.input_tokens"), nullptr);
}

TEST(LlmCallScopeTest, OptionsOverrideProviderOperationAndParent) {
  RecordingExporter exp;
  LlmCallOptions o;
  o.provider = "aws.bedrock";
  o.operation = "embeddings";
  o.attributes = {{"tenant", std::string("acme")}};
  ASSERT_TRUE(SpanContext::FromHex("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", &o.parent));
  { LlmCallScope call(exp, "titan-embed", "rag", "", "", o); }
  const SpanData& s = exp.spans.at(0);
  EXPECT_EQ(s.name, "embeddings titan-embed");
  EXPECT_EQ(Str(s, "gen_ai.provider.name"), "aws.bedrock");
  EXPECT_EQ(Str(s, "gen_ai.operation.name"), "embeddings");
  EXPECT_EQ(Str(s, "tenant"), "acme");
  EXPECT_EQ(s.context.TraceIdHex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_NE(s.context.SpanIdHex(), "00f067aa0ba902b7");
  SpanContext parent;
  parent.span_id = s.parent_span_id;
  EXPECT_EQ(parent.SpanIdHex(), "00f067aa0ba902b7");
}

TEST(LlmCallScopeTest, FailKeepsUsageAndRecordsTheError) {
  RecordingExporter exp;
  {
    LlmCallScope call(exp, "gpt-4o", "chat");
    call.input_tokens(40);
    call.fail("ConnectionError", "provider unreachable");
  }
  const SpanData& s = exp.spans.at(0);
  EXPECT_EQ(s.status_code, StatusCode::kError);
  EXPECT_EQ(s.status_message, "provider unreachable");
  EXPECT_EQ(Str(s, "error.type"), "ConnectionError");
  EXPECT_EQ(Int(s, "gen_ai.usage.input_tokens"), 40);
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].name, "exception");
  EXPECT_EQ(std::get<std::string>(s.events[0].attributes.at(1).second), "provider unreachable");
}

TEST(LlmCallScopeTest, ExceptionThroughTheScopeIsAnError) {
  RecordingExporter exp;
  EXPECT_THROW(
      {
        LlmCallScope call(exp, "gpt-4o", "chat");
        call.input_tokens(10);
        throw std::runtime_error("boom");
      },
      std::runtime_error);
  const SpanData& s = exp.spans.at(0);
  EXPECT_EQ(s.status_code, StatusCode::kError);
  EXPECT_EQ(Str(s, "error.type"), "_OTHER");
  EXPECT_EQ(Int(s, "gen_ai.usage.input_tokens"), 10);
}

TEST(LlmCallScopeTest, ScopeInsideACatchHandlerIsNotAnError) {
  // uncaught_exceptions() is compared with its value at construction, so a
  // scope created while another exception unwinds ends OK.
  RecordingExporter exp;
  struct Guard {
    RecordingExporter& exp;
    ~Guard() { LlmCallScope call(exp, "gpt-4o", "cleanup"); }
  };
  try {
    Guard g{exp};
    throw std::runtime_error("outer");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(exp.spans.at(0).status_code, StatusCode::kOk);
}

TEST(LlmCallScopeTest, ContentOnlyWhenCaptureIsOn) {
  RecordingExporter exp;
  for (bool on : {false, true}) {
    LlmCallOptions o;
    o.capture_content = on;
    LlmCallScope call(exp, "gpt-4o", "chat", "", "", o);
    call.system_instructions("Be brief.");
    call.input_message("user", "Say \"hi\"\n");
    call.input_message("user", "again");
    call.output_message("assistant", "hi", "stop");
  }
  ASSERT_EQ(exp.spans.size(), 2u);
  EXPECT_EQ(Find(exp.spans[0], "gen_ai.input.messages"), nullptr);
  EXPECT_EQ(Find(exp.spans[0], "gen_ai.system_instructions"), nullptr);
  const SpanData& s = exp.spans[1];
  EXPECT_EQ(Str(s, "gen_ai.system_instructions"), R"([{"type":"text","content":"Be brief."}])");
  EXPECT_EQ(Str(s, "gen_ai.input.messages"),
            R"([{"role":"user","parts":[{"type":"text","content":"Say \"hi\"\n"}]},)"
            R"({"role":"user","parts":[{"type":"text","content":"again"}]}])");
  EXPECT_EQ(Str(s, "gen_ai.output.messages"),
            R"([{"role":"assistant","parts":[{"type":"text","content":"hi"}],"finish_reason":"stop"}])");
}

TEST(LlmCallScopeTest, CaptureFollowsTheEnvironmentWhenNotExplicit) {
  RecordingExporter exp;
  ::setenv("LOUPE_CAPTURE_CONTENT", " True ", 1);
  {
    LlmCallScope call(exp, "gpt-4o", "chat");
    EXPECT_TRUE(call.capture_content());
    call.input_messages_json(R"([{"role":"user","parts":[]}])");
  }
  ::unsetenv("LOUPE_CAPTURE_CONTENT");
  { LlmCallScope call(exp, "gpt-4o", "chat"); EXPECT_FALSE(call.capture_content()); }
  EXPECT_EQ(Str(exp.spans.at(0), "gen_ai.input.messages"), R"([{"role":"user","parts":[]}])");
}

TEST(LlmCallScopeTest, EverySpanGetsFreshIds) {
  RecordingExporter exp;
  for (int i = 0; i < 50; ++i) LlmCallScope call(exp, "gpt-4o", "chat");
  std::set<std::string> ids;
  for (const SpanData& s : exp.spans) ids.insert(s.context.TraceIdHex() + s.context.SpanIdHex());
  EXPECT_EQ(ids.size(), 50u);
}

}  // namespace
}  // namespace loupe
