#include "privacy/json_text.h"

#include <gtest/gtest.h>

namespace loupe::privacy {
namespace {

std::unique_ptr<Redactor> Make() {
  ContentPolicyConfig c;
  c.capture = CaptureMode::kRedact;
  return std::move(Redactor::Create(c)).value();
}

std::string Redact(std::string text) {
  static auto r = Make();
  std::vector<uint64_t> counts;
  RedactText(*r, &text, &counts);
  return text;
}

TEST(JsonTextTest, EscapesDoNotHideMatches) {
  // Raw, "\n415" glues the number to the escape's 'n'; parsed, it is a line start.
  EXPECT_EQ(Redact(R"({"content":"call\n415-555-2671"})"), R"({"content":"call\n[REDACTED:phone]"})");
  // An '@' written as \u0040 is found after parsing.
  EXPECT_EQ(Redact(R"(["jane\u0040example.com"])"), R"(["[REDACTED:email]"])");
}

TEST(JsonTextTest, KeepsOrderTypesAndUnicode) {
  EXPECT_EQ(Redact(R"({"z":1,"a":[true,null,2.5],"m":"é jane@example.com"})"),
            R"({"z":1,"a":[true,null,2.5],"m":"é [REDACTED:email]"})");
}

TEST(JsonTextTest, NestedJsonTextAndKeys) {
  EXPECT_EQ(Redact(R"({"arguments":"{\"to\":\"jane@example.com\"}"})"),
            R"({"arguments":"{\"to\":\"[REDACTED:email]\"}"})");
  EXPECT_EQ(Redact(R"({"jane@example.com":"x"})"), R"({"[REDACTED:email]":"x"})");
}

TEST(JsonTextTest, UnchangedJsonIsNotRewritten) {
  std::string spaced = "{ \"a\" : 415 }";
  EXPECT_EQ(Redact(spaced), spaced);
}

TEST(JsonTextTest, MalformedOrDeepJsonFallsBackToText) {
  EXPECT_EQ(Redact(R"({"a": "jane@example.com")"), R"({"a": "[REDACTED:email]")");
  EXPECT_EQ(Redact("[not json jane@example.com]"), "[not json [REDACTED:email]]");
  std::string deep = std::string(100000, '[') + "\"jane@example.com\"" + std::string(100000, ']');
  std::string out = Redact(deep);
  EXPECT_EQ(out.find("jane@example.com"), std::string::npos);
  EXPECT_NE(out.find("[REDACTED:email]"), std::string::npos);
}

TEST(JsonTextTest, NumbersThatAreCardNumbers) {
  EXPECT_EQ(Redact(R"({"card":4111111111111111,"qty":3,"price":19.99})"),
            R"({"card":"[REDACTED:card]","qty":3,"price":19.99})");
  EXPECT_EQ(Redact(R"({"order":4111111111111112})"), R"({"order":4111111111111112})");  // Luhn fails
}

TEST(JsonTextTest, CustomPatternsAlsoSeeTheJsonText) {
  ContentPolicyConfig c;
  c.capture = CaptureMode::kRedact;
  c.patterns.push_back({"ssn_field", R"("ssn":\s*"[^"]*")", R"("ssn":"***")"});
  c.patterns.push_back({"pin", R"(^\d{4}$)", ""});
  auto r = std::move(Redactor::Create(c)).value();
  std::vector<uint64_t> counts;
  std::string text = R"({"ssn": "078-05-1120", "pin": 1234, "mail": "a@b.io"})";
  EXPECT_TRUE(RedactText(*r, &text, &counts));
  // Walked first (the e-mail, the pin number), then the custom pattern over the text.
  EXPECT_EQ(text, R"({"ssn":"***","pin":"[REDACTED:pin]","mail":"[REDACTED:email]"})");
}

}  // namespace
}  // namespace loupe::privacy
