#include "eval/builtin.h"

#include <gtest/gtest.h>

#include "eval/testing/spans.h"

namespace loupe::eval {
namespace {

using testing::CallSpec;
using testing::MakeCall;

const BuiltinResult* Find(const std::vector<BuiltinResult>& rs, const std::string& name) {
  for (const auto& r : rs) {
    if (r.evaluator == name) return &r;
  }
  return nullptr;
}

std::vector<BuiltinResult> RunWith(const BuiltinConfig& c, const CallSpec& spec) {
  auto b = BuiltinEvaluators::Create({c});
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  return (*b)->Run(MakeCall(spec));
}

TEST(BuiltinTest, JsonValidityAndSchema) {
  BuiltinConfig c;
  c.json_schema = R"({"type": "object", "required": ["city"], "properties": {"city": {"type": "string"}}})";
  auto good = RunWith(c, {.answer = R"({"city": "Paris"})"});
  EXPECT_EQ(Find(good, "json_valid")->value, 1);
  EXPECT_EQ(Find(good, "json_schema")->value, 1);
  auto fenced = RunWith(c, {.answer = "```json\n{\"city\": \"Paris\"}\n```"});
  EXPECT_EQ(Find(fenced, "json_schema")->value, 1);
  auto mismatch = RunWith(c, {.answer = R"({"town": "Paris"})"});
  EXPECT_EQ(Find(mismatch, "json_valid")->value, 1);
  EXPECT_EQ(Find(mismatch, "json_schema")->value, 0);
  EXPECT_NE(Find(mismatch, "json_schema")->reasoning.find("$.city: missing"), std::string::npos);
  auto broken = RunWith(c, {.answer = "{\"city\": "});
  EXPECT_EQ(Find(broken, "json_valid")->value, 0);
  EXPECT_EQ(Find(broken, "json_schema")->label, "invalid_json");
  // Not configured: not run.
  EXPECT_EQ(Find(RunWith(BuiltinConfig{}, {}), "json_valid"), nullptr);
}

TEST(BuiltinTest, PolicyRegexesAndKeywords) {
  BuiltinConfig c;
  c.policy_regexes = {"(?i)internal[- ]only", "\\bpassword\\s*[:=]"};
  c.policy_keywords = {"Project Falcon"};
  EXPECT_EQ(Find(RunWith(c, {.answer = "All good."}), "policy")->value, 1);
  auto r = RunWith(c, {.answer = "This doc is INTERNAL-ONLY."});
  EXPECT_EQ(Find(r, "policy")->value, 0);
  EXPECT_NE(Find(r, "policy")->reasoning.find("internal"), std::string::npos);
  EXPECT_EQ(Find(RunWith(c, {.answer = "the password: hunter2"}), "policy")->value, 0);
  EXPECT_EQ(Find(RunWith(c, {.answer = "about project falcon..."}), "policy")->value, 0);
  c.policy_regexes = {"(unclosed"};
  auto bad = BuiltinEvaluators::Create({c});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("evaluation.builtins[0].policy_regexes[0]"), std::string::npos);
}

TEST(BuiltinTest, EmptyAndTruncated) {
  EXPECT_EQ(Find(RunWith({}, {.answer = "Paris."}), "completeness")->value, 1);
  const auto empty_results = RunWith({}, {.answer = "  \n"});
  const BuiltinResult* empty = Find(empty_results, "completeness");
  EXPECT_EQ(empty->value, 0);
  EXPECT_EQ(empty->label, "empty");
  const auto cut_results = RunWith({}, {.answer = "The answer is", .finish_reason = "length"});
  const BuiltinResult* cut = Find(cut_results, "completeness");
  EXPECT_EQ(cut->value, 0);
  EXPECT_EQ(cut->label, "truncated");
  EXPECT_EQ(Find(RunWith({}, {.answer = "x", .finish_reason = "max_tokens"}), "completeness")->label, "truncated");
  // A tool call with no text is a complete answer.
  auto call = MakeCall({.answer = ""});
  call.llm->output_messages[0].parts = {{"tool_call", "", "id1", "search", "{}", "", ""}};
  EXPECT_EQ(BuiltinEvaluators::CheckCompleteness(*call.llm, AnswerText(*call.llm)).value, 1);
}

TEST(BuiltinTest, Refusals) {
  for (const char* text : {"I'm sorry, but I can't help with that.", "I cannot assist with this request.",
                           "I must decline.", "As an AI language model, I cannot browse the web.",
                           "I am unable to provide medical advice."}) {
    EXPECT_EQ(Find(RunWith({}, {.answer = text}), "refusal")->value, 0) << text;
  }
  for (const char* text : {"Paris is the capital of France.", "I can help with that! Here it is.",
                           "Sorry for the delay, here is your summary."}) {
    EXPECT_EQ(Find(RunWith({}, {.answer = text}), "refusal")->value, 1) << text;
  }
  EXPECT_EQ(Find(RunWith({}, {.answer = "", .finish_reason = "content_filter"}), "refusal")->value, 0);
}

TEST(BuiltinTest, Pii) {
  auto pii = [](const std::string& s) { return BuiltinEvaluators::CheckPii(s); };
  EXPECT_EQ(pii("Nothing personal here, version 1.2.3 on 2024-01-15, 100 200 300 items.").value, 1);
  auto email = pii("Write to jane.doe@example.co.uk today");
  EXPECT_EQ(email.value, 0);
  EXPECT_EQ(email.label, "email");
  EXPECT_EQ(email.reasoning.find("jane"), std::string::npos);  // never repeats the PII
  EXPECT_EQ(pii("Call +1 415-555-0134 now").label, "phone");
  EXPECT_EQ(pii("Call (415) 555-0134").label, "phone");
  EXPECT_NE(pii("Card 4111 1111 1111 1111 exp 12/29").label.find("card"), std::string::npos);
  EXPECT_EQ(pii("Order 4111111111111112 shipped").value, 1);  // fails Luhn: not a card
  EXPECT_EQ(pii("key sk-proj-abcdefghijklmnopqrstuvwx1234").label, "api_key");
  EXPECT_EQ(pii("AKIAIOSFODNN7EXAMPLE").label, "api_key");
  EXPECT_TRUE(BuiltinEvaluators::LuhnValid("4111111111111111"));
  EXPECT_FALSE(BuiltinEvaluators::LuhnValid("4111111111111112"));
  EXPECT_FALSE(BuiltinEvaluators::LuhnValid("1234"));
}

TEST(BuiltinTest, PerFeatureConfig) {
  BuiltinConfig extract;
  extract.feature = "extract";
  extract.json_valid = true;
  extract.pii = false;
  BuiltinConfig rest;  // every other feature
  rest.refusal = false;
  auto b = BuiltinEvaluators::Create({extract, rest});
  ASSERT_TRUE(b.ok());
  auto e = (*b)->Run(MakeCall({.feature = "extract", .answer = "{}"}));
  EXPECT_NE(Find(e, "json_valid"), nullptr);
  EXPECT_EQ(Find(e, "pii"), nullptr);
  EXPECT_NE(Find(e, "refusal"), nullptr);
  auto chat = (*b)->Run(MakeCall({.feature = "chat"}));
  EXPECT_EQ(Find(chat, "json_valid"), nullptr);
  EXPECT_EQ(Find(chat, "refusal"), nullptr);
  EXPECT_NE(Find(chat, "pii"), nullptr);
}

}  // namespace
}  // namespace loupe::eval
