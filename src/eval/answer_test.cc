#include "eval/answer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "eval/json_schema.h"

namespace loupe::eval {
namespace {

const std::vector<std::string> kDims = {"accuracy", "relevance", "safety"};

TEST(ExtractJsonTest, FindsTheObjectInFencesAndProse) {
  EXPECT_EQ((*ExtractJsonObject(R"( {"a": 1} )"))["a"], 1);
  EXPECT_EQ((*ExtractJsonObject("Sure!\n```json\n{\"a\": 2}\n```\nbye"))["a"], 2);
  EXPECT_EQ((*ExtractJsonObject("```\n{\"a\": 3}\n```"))["a"], 3);
  EXPECT_EQ((*ExtractJsonObject("My scores are {\"a\": 4, \"s\": \"}{\"} as asked."))["a"], 4);
  // A broken brace first, a good object later.
  EXPECT_EQ((*ExtractJsonObject("{oops} then {\"a\": 5}"))["a"], 5);
  EXPECT_FALSE(ExtractJsonObject("no json here").ok());
  EXPECT_FALSE(ExtractJsonObject("[1, 2]").ok());
  EXPECT_FALSE(ExtractJsonObject(std::string(100, '{')).ok());
  EXPECT_FALSE(ExtractJsonObject(std::string(2 * kMaxAnswerBytes, ' ')).ok());
  std::string deep = std::string(5000, '[') + std::string(5000, ']');
  EXPECT_FALSE(ExtractJsonObject("{\"a\": " + deep + "}").ok());  // depth-limited, no crash
}

TEST(ParseJudgeAnswerTest, AcceptsOnlyFullyValidAnswers) {
  const Rubric& r = DefaultRubric();
  auto ok = ParseJudgeAnswer(R"({"accuracy": 4, "relevance": 5.0, "safety": 1, "reasoning": "fine", "extra": 1})", r, kDims);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->values[1], (std::pair<std::string, double>{"relevance", 5}));
  EXPECT_EQ(ok->reasoning, "fine");

  struct Case {
    std::string answer, want;
  } cases[] = {
      {R"({"accuracy": 7, "relevance": 5, "safety": 1, "reasoning": "x"})", "accuracy: 7 is above maximum 5"},
      {R"({"accuracy": 0, "relevance": 5, "safety": 1, "reasoning": "x"})", "accuracy: 0 is below minimum 1"},
      {R"({"accuracy": 4.5, "relevance": 5, "safety": 1, "reasoning": "x"})", "accuracy: expected integer, got number"},
      {R"({"accuracy": "4", "relevance": 5, "safety": 1, "reasoning": "x"})", "accuracy: expected integer, got string"},
      {R"({"relevance": 5, "safety": 1, "reasoning": "x"})", "accuracy: missing"},
      {R"({"accuracy": 4, "relevance": 5, "safety": 1})", "reasoning: missing"},
      {R"({"accuracy": 4, "relevance": 5, "safety": 1, "reasoning": ""})", "reasoning: shorter than minLength"},
      {R"({"accuracy": null, "relevance": 5, "safety": 1, "reasoning": "x"})", "accuracy: expected integer, got null"},
  };
  for (const auto& c : cases) {
    auto p = ParseJudgeAnswer(c.answer, r, kDims);
    ASSERT_FALSE(p.ok()) << c.answer;
    EXPECT_NE(p.status().message().find(c.want), std::string::npos) << p.status().message();
  }
}

TEST(ParseJudgeAnswerTest, NonIntegerScales) {
  Rubric r{"x", {{"quality", ""}}, 0, 1, false, "", {}};
  EXPECT_TRUE(ParseJudgeAnswer(R"({"quality": 0.75, "reasoning": "ok"})", r, {"quality"}).ok());
  EXPECT_FALSE(ParseJudgeAnswer(R"({"quality": 1.01, "reasoning": "ok"})", r, {"quality"}).ok());
}

TEST(JsonSchemaTest, SupportedKeywords) {
  auto s = JsonSchema::Parse(R"({
    "type": "object", "required": ["name", "tags"], "additionalProperties": false,
    "properties": {
      "name": {"type": "string", "minLength": 2, "maxLength": 5},
      "age": {"type": ["integer", "null"], "minimum": 0, "exclusiveMaximum": 150},
      "kind": {"enum": ["a", "b"]},
      "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 2}
    }})");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  using nlohmann::json;
  EXPECT_TRUE(s->Validate(json::parse(R"({"name": "ñañ", "tags": ["x"], "age": null})")).empty());
  auto problems = s->Validate(json::parse(R"({"name": "a", "tags": [1, "y", "z"], "age": 150, "kind": "c", "zzz": 1})"));
  std::string all;
  for (auto& p : problems) all += p + "\n";
  EXPECT_NE(all.find("$.name: shorter than minLength 2"), std::string::npos) << all;
  EXPECT_NE(all.find("$.tags: more than maxItems 2"), std::string::npos) << all;
  EXPECT_NE(all.find("$.tags[0]: expected string, got integer"), std::string::npos) << all;
  EXPECT_NE(all.find("$.age: 150 is not below exclusiveMaximum 150"), std::string::npos) << all;
  EXPECT_NE(all.find("$.kind: \"c\" is not one of"), std::string::npos) << all;
  EXPECT_NE(all.find("$.zzz: unexpected property"), std::string::npos) << all;
  EXPECT_EQ(s->Validate(json::parse("{}")).size(), 2u);  // name, tags missing

  EXPECT_FALSE(JsonSchema::Parse("{not json").ok());
  EXPECT_FALSE(JsonSchema::Parse("[]").ok());
  auto bad = JsonSchema::Parse(R"({"properties": {"a": {"type": "strin"}}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("json_schema.properties.a.type"), std::string::npos);
  EXPECT_FALSE(JsonSchema::Parse(R"({"minLength": -1})").ok());
}

}  // namespace
}  // namespace loupe::eval
