#include "genai/content.h"

#include <gtest/gtest.h>

#include <cmath>

#include "genai/fixture.h"
#include "genai/json_value.h"

namespace loupe::genai {
namespace {

using testing::MakeSpan;

std::vector<model::Message> FromJson(std::string_view json, std::string_view role = "user") {
  return MessagesFromValue(model::AnyValue(std::string(json)), role);
}

TEST(Messages, SemconvPartsFromJsonText) {
  auto m = FromJson(R"([{"role":"user","parts":[{"type":"text","content":"hi"},
      {"type":"blob","modality":"image","mime_type":"image/png","content":"AAAA"},
      {"type":"uri","modality":"image","uri":"https://x/y.png"}]},
    {"role":"assistant","parts":[{"type":"reasoning","content":"think"},
      {"type":"tool_call","id":"c1","name":"f","arguments":{"a":1}}],"finish_reason":"tool_call"}])");
  ASSERT_EQ(m.size(), 2u);
  ASSERT_EQ(m[0].parts.size(), 3u);
  EXPECT_EQ(m[0].parts[1].type, "blob");
  EXPECT_EQ(m[0].parts[1].mime_type, "image/png");
  EXPECT_EQ(m[0].parts[1].content, "");  // binary payloads are not kept as text
  EXPECT_EQ(m[0].parts[2].type, "uri");
  EXPECT_EQ(m[0].parts[2].content, "https://x/y.png");
  EXPECT_EQ(m[1].parts[0].type, "reasoning");
  EXPECT_EQ(m[1].parts[1].arguments, R"({"a":1})");
  EXPECT_EQ(m[1].finish_reason, "tool_call");
}

TEST(Messages, OpenAiAnthropicAndVercelShapes) {
  auto openai = FromJson(R"([{"role":"developer","content":"rules"},
    {"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},
    {"role":"tool","tool_call_id":"c","content":"42"}])");
  ASSERT_EQ(openai.size(), 3u);
  EXPECT_EQ(openai[0].role, "system");
  EXPECT_EQ(openai[1].parts.at(0).type, "tool_call");
  EXPECT_EQ(openai[1].parts.at(0).name, "f");
  EXPECT_EQ(openai[2].parts.at(0).type, "tool_call_response");
  EXPECT_EQ(openai[2].parts.at(0).id, "c");
  EXPECT_EQ(openai[2].parts.at(0).response, "42");

  auto anthropic = FromJson(R"([{"role":"assistant","content":[{"type":"thinking","thinking":"hmm"},
      {"type":"tool_use","id":"t1","name":"search","input":{"q":"x"}}]},
    {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"text","text":"found"}]}]}])");
  ASSERT_EQ(anthropic.size(), 2u);
  EXPECT_EQ(anthropic[0].parts.at(0).type, "reasoning");
  EXPECT_EQ(anthropic[0].parts.at(0).content, "hmm");
  EXPECT_EQ(anthropic[0].parts.at(1).arguments, R"({"q":"x"})");
  EXPECT_EQ(anthropic[1].parts.at(0).type, "tool_call_response");
  EXPECT_EQ(anthropic[1].parts.at(0).response, "found");

  auto vercel = FromJson(R"([{"role":"assistant","content":[{"type":"tool-call","toolCallId":"v1","toolName":"w","args":{"c":"Oslo"}}]},
    {"role":"tool","content":[{"type":"tool-result","toolCallId":"v1","toolName":"w","result":{"t":3}}]}])");
  EXPECT_EQ(vercel[0].parts.at(0).id, "v1");
  EXPECT_EQ(vercel[1].parts.at(0).response, R"({"t":3})");
}

TEST(Messages, GeminiShapes) {
  auto m = FromJson(R"({"contents":[{"role":"user","parts":[{"text":"hi"}]},
    {"role":"model","parts":[{"functionCall":{"name":"f","args":{"x":1}}}]}]})");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[1].role, "assistant");
  EXPECT_EQ(m[1].parts.at(0).type, "tool_call");
  auto out = FromJson(R"({"candidates":[{"content":{"role":"model","parts":[{"text":"yo"}]},"finishReason":"STOP"}]})",
                      "assistant");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].finish_reason, "STOP");
  EXPECT_EQ(out[0].parts.at(0).content, "yo");
}

TEST(Messages, PlainTextAndOddValues) {
  auto m = FromJson("just text", "user");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].role, "user");
  EXPECT_EQ(m[0].parts.at(0).content, "just text");
  // Looks like JSON but is not: kept as text, not dropped.
  m = FromJson("[not json", "user");
  EXPECT_EQ(m.at(0).parts.at(0).content, "[not json");
  EXPECT_TRUE(FromJson("").empty());
  EXPECT_EQ(MessagesFromValue(model::AnyValue(int64_t{5}), "user").at(0).parts.at(0).content, "5");
  // An object of unknown shape is shown as its JSON.
  m = FromJson(R"({"question": "q?"})");
  EXPECT_EQ(m.at(0).parts.at(0).content, R"({"question":"q?"})");
}

TEST(Messages, DeeplyNestedJsonDoesNotRecurseForever) {
  std::string deep(100000, '[');
  auto m = FromJson(deep);  // invalid (unclosed): kept as text
  EXPECT_EQ(m.size(), 1u);
  std::string closed = std::string(5000, '[') + std::string(5000, ']');
  m = FromJson(closed);
  EXPECT_LE(m.size(), 1u);
}

TEST(ReadContent, AttributesWinOverEventsAndIndexedKeys) {
  model::Attributes a;
  a.Add("gen_ai.input.messages", R"([{"role":"user","parts":[{"type":"text","content":"from attr"}]}])");
  a.Add("gen_ai.prompt.0.role", "user");
  a.Add("gen_ai.prompt.0.content", "from indexed");
  a.Add("gen_ai.completion.0.content", "indexed out");
  model::Span span = MakeSpan("s", "chat", a);
  Content c = ReadContent(span);
  EXPECT_EQ(c.input.at(0).parts.at(0).content, "from attr");
  EXPECT_EQ(c.output.at(0).parts.at(0).content, "indexed out");
  EXPECT_EQ(c.output.at(0).role, "assistant");
}

TEST(ReadContent, IndexedKeysAreOrderedNumerically) {
  model::Attributes a;
  for (int i : {10, 2, 0, 1}) {
    a.Add("gen_ai.prompt." + std::to_string(i) + ".content", "m" + std::to_string(i));
  }
  a.Add("gen_ai.prompt.name", "not-an-index");
  a.Add("gen_ai.prompt.99999999999.content", "overflowing index is ignored");
  Content c = ReadContent(MakeSpan("s", "chat", a));
  ASSERT_EQ(c.input.size(), 4u);
  EXPECT_EQ(c.input[0].parts.at(0).content, "m0");
  EXPECT_EQ(c.input[3].parts.at(0).content, "m10");
}

TEST(ReadContent, SpanEventsAndLogsInterleaveByTime) {
  model::Span span = MakeSpan("s", "chat", {});
  model::Event user;
  user.name = "gen_ai.user.message";
  user.time_unix_nano = 20;
  user.attributes.Add("content", "second");
  span.events.push_back(user);
  model::LogRecord sys;
  sys.event_name = "gen_ai.system.message";
  sys.time_unix_nano = 10;
  model::KeyValueList body;
  body.values.push_back({"content", "first"});
  sys.body = model::AnyValue(body);
  span.logs.push_back(sys);
  Content c = ReadContent(span);
  ASSERT_EQ(c.input.size(), 2u);
  EXPECT_EQ(c.input[0].role, "system");
  EXPECT_EQ(c.input[1].parts.at(0).content, "second");
}

TEST(JsonValue, ParseErrorsAreStatuses) {
  EXPECT_FALSE(ParseJson("{\"a\":").ok());
  EXPECT_FALSE(ParseJson("\"\xff\"").ok());  // invalid UTF-8
  auto v = ParseJson(R"({"n": 18446744073709551615, "i": -3, "f": 1.5, "z": null})");
  ASSERT_TRUE(v.ok());
  const auto* kv = v->AsKvList();
  ASSERT_NE(kv, nullptr);
  EXPECT_NE(kv->values[0].value.AsDouble(), nullptr);  // beyond int64
  EXPECT_EQ(*kv->values[1].value.AsInt(), -3);
  EXPECT_TRUE(kv->values[3].value.empty());
}

// ParseJson has a simdjson fast path and an nlohmann fallback; these are
// the cases where the two libraries differ unless handled.
TEST(JsonValue, FastPathKeepsTheSameShapes) {
  // A duplicate key keeps its first position and its last value.
  auto dup = ParseJson(R"({"a": 1, "b": 2, "a": 3})");
  ASSERT_TRUE(dup.ok());
  ASSERT_EQ(dup->AsKvList()->values.size(), 2u);
  EXPECT_EQ(dup->AsKvList()->values[0].key, "a");
  EXPECT_EQ(*dup->AsKvList()->values[0].value.AsInt(), 3);
  // The same in an object large enough to be indexed.
  std::string big = "{";
  for (int i = 0; i < 40; ++i) big += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  big += "\"k7\":\"last\"}";
  auto b = ParseJson(big);
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->AsKvList()->values.size(), 40u);
  EXPECT_EQ(*b->AsKvList()->values[7].value.AsString(), "last");
  // -0 is the integer 0, -0.0 a double; integers past int64 are doubles.
  auto z = ParseJson("[-0, -0.0, 9223372036854775807, 9223372036854775808, 1e2]");
  ASSERT_TRUE(z.ok());
  const auto& a = z->AsArray()->values;
  ASSERT_EQ(a.size(), 5u);
  ASSERT_NE(a[0].AsInt(), nullptr);
  EXPECT_EQ(*a[0].AsInt(), 0);
  ASSERT_NE(a[1].AsDouble(), nullptr);
  EXPECT_TRUE(std::signbit(*a[1].AsDouble()));
  EXPECT_EQ(*a[2].AsInt(), INT64_MAX);
  ASSERT_NE(a[3].AsDouble(), nullptr);
  EXPECT_EQ(*a[3].AsDouble(), 9223372036854775808.0);
  ASSERT_NE(a[4].AsDouble(), nullptr);
  EXPECT_EQ(a[4].ToText(), "100");
  // Deeper than kMaxJsonDepth: a marker, not a crash; deeper than simdjson
  // allows: the fallback parses it the same way.
  for (int depth : {kMaxJsonDepth + 5, 3000}) {
    std::string deep(static_cast<size_t>(depth), '[');
    deep += std::string(static_cast<size_t>(depth), ']');
    auto d = ParseJson(deep);
    ASSERT_TRUE(d.ok()) << depth;
    const model::AnyValue* v = &*d;
    for (int i = 0; i <= kMaxJsonDepth && v->AsArray() != nullptr; ++i) v = &v->AsArray()->values.at(0);
    EXPECT_EQ(v->ToText(), "[nested too deep]") << depth;
  }
  // Strings, escapes and member order survive.
  auto s = ParseJson(R"({"z":"a\u00e9\n","y":[true,false,null]})");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->ToJson(), R"({"z":"aé\n","y":[true,false,null]})");
}

}  // namespace
}  // namespace loupe::genai
