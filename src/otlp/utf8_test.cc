// UTF-8 repair, the JSON string pre-pass and the rejection message.
#include "otlp/utf8.h"

#include <gtest/gtest.h>

#include "otlp/json_repair.h"
#include "otlp/validate.h"

namespace loupe::otlp {
namespace {

constexpr char kFffd[] = "\xEF\xBF\xBD";

std::string Sanitized(std::string_view in, bool* changed = nullptr) {
  std::string out;
  bool c = SanitizeUtf8(in, &out);
  if (changed != nullptr) *changed = c;
  return out;
}

TEST(Utf8Test, ValidTextIsUnchanged) {
  for (std::string s : {std::string(""), std::string("plain"), std::string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
                        std::string("\xf4\x8f\xbf\xbf"), std::string(200, 'x') + "\xc3\xa9"}) {
    bool changed = true;
    EXPECT_EQ(Sanitized(s, &changed), s);
    EXPECT_FALSE(changed);
    EXPECT_TRUE(IsValidUtf8(s));
  }
}

TEST(Utf8Test, InvalidSequencesBecomeReplacementCharacters) {
  auto f = [](int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += kFffd;
    return out;
  };
  EXPECT_EQ(Sanitized("a\xff" "b"), "a" + f(1) + "b");
  EXPECT_EQ(Sanitized("\x80"), f(1));                   // lone continuation
  EXPECT_EQ(Sanitized("\xe2\x82"), f(1));               // truncated 3-byte: one maximal subpart
  EXPECT_EQ(Sanitized("\xe2\x82x"), f(1) + "x");
  EXPECT_EQ(Sanitized("\xc0\xaf"), f(2));               // overlong
  EXPECT_EQ(Sanitized("\xed\xa0\x80"), f(3));           // UTF-16 surrogate
  EXPECT_EQ(Sanitized("\xf4\x90\x80\x80"), f(4));       // above U+10FFFF
  EXPECT_EQ(Sanitized("\xf0\x9f\x98"), f(1));           // emoji cut short
  std::string long_bad = std::string(100, 'y') + "\xfe" + std::string(100, 'z');
  EXPECT_FALSE(IsValidUtf8(long_bad));
  EXPECT_EQ(Sanitized(long_bad), std::string(100, 'y') + f(1) + std::string(100, 'z'));
}

TEST(Utf8Test, TruncateKeepsWholeCharacters) {
  EXPECT_EQ(TruncateUtf8("ab\xc3\xa9", 3), "ab");
  EXPECT_EQ(TruncateUtf8("ab\xc3\xa9", 4), "ab\xc3\xa9");
  EXPECT_EQ(TruncateUtf8("abc", 10), "abc");
}

TEST(JsonRepairTest, RepairsOnlyInsideStringsAndCountsStrings) {
  std::string out;
  EXPECT_EQ(RepairJsonStrings(R"({"a":"\ud83d\ude00","b":"\"\\ud800"})", &out), 0);
  EXPECT_EQ(out, R"({"a":"\ud83d\ude00","b":"\"\\ud800"})");  // escaped backslash: no surrogate
  EXPECT_EQ(RepairJsonStrings("{\"a\":\"\\ud83d\",\"b\":\"x\xff\xfey\",\"\\udc00\":1}", &out), 3);
  EXPECT_EQ(out, "{\"a\":\"\\ufffd\",\"b\":\"x" + std::string(kFffd) + kFffd + "y\",\"\\ufffd\":1}");
  EXPECT_EQ(RepairJsonStrings(R"(["\ud83d\ud83d\ude00"])", &out), 1);
  EXPECT_EQ(out, R"(["\ufffd\ud83d\ude00"])");
}

TEST(RejectionsTest, DescribeCutsLongNames) {
  std::string name(100, 'n');
  EXPECT_EQ(Rejections::Describe("span", 7, name), "span 7 (name \"" + std::string(64, 'n') + "...\")");
  Rejections r;
  EXPECT_EQ(r.Message(), "");
  r.Add(Rejections::Describe("span", 0, "a"), "trace_id is all zeros");
  EXPECT_EQ(r.count(), 1);
  EXPECT_EQ(r.Message(), "span 0 (name \"a\"): trace_id is all zeros");
}

}  // namespace
}  // namespace loupe::otlp
