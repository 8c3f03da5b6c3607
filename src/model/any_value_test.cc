#include "model/any_value.h"

#include <gtest/gtest.h>

namespace loupe::model {
namespace {

TEST(AttributesTest, FindReturnsLastDuplicate) {
  Attributes a;
  a.Add("k", "first");
  a.Add("k", "second");
  ASSERT_NE(a.Find("k"), nullptr);
  EXPECT_EQ(*a.Find("k")->AsString(), "second");
  EXPECT_EQ(a.Find("missing"), nullptr);
}

// Find compares size and last byte before the rest: keys sharing either
// (or a long prefix) must still be told apart, and the empty key found.
TEST(AttributesTest, FindTellsApartKeysOfOneFamily) {
  Attributes a;
  a.Add("gen_ai.usage.input_tokens", 1);
  a.Add("gen_ai.usage.inpub_tokens", 2);  // same size and last byte
  a.Add("", 3);
  a.Add("x", 4);
  EXPECT_EQ(*a.Find("gen_ai.usage.input_tokens")->AsInt(), 1);
  EXPECT_EQ(*a.Find("gen_ai.usage.inpub_tokens")->AsInt(), 2);
  EXPECT_EQ(a.Find("gen_ai.usage.inpuc_tokens"), nullptr);
  EXPECT_EQ(a.Find("gen_ai.usage.input_tokenz"), nullptr);
  EXPECT_EQ(*a.Find("")->AsInt(), 3);
  EXPECT_EQ(*a.Find("x")->AsInt(), 4);
  EXPECT_EQ(a.Find("y"), nullptr);
  EXPECT_EQ(Attributes().Find(""), nullptr);
}

TEST(AttributesTest, GetIntAcceptsIntsDoublesAndNumericStrings) {
  Attributes a;
  a.Add("i", int64_t{7});
  a.Add("d", 12.9);
  a.Add("s", "42");
  a.Add("bad", "4x");
  int64_t v = 0;
  EXPECT_TRUE(a.GetInt("i", &v));
  EXPECT_EQ(v, 7);
  EXPECT_TRUE(a.GetInt("d", &v));
  EXPECT_EQ(v, 12);
  EXPECT_TRUE(a.GetInt("s", &v));
  EXPECT_EQ(v, 42);
  EXPECT_FALSE(a.GetInt("bad", &v));
}

TEST(AnyValueTest, ToJsonEscapesAndNests) {
  AnyValue v(KeyValueList{{{"role", "user"}, {"parts", ArrayValue{{AnyValue("a\"b\n"), AnyValue(int64_t{3})}}}}});
  EXPECT_EQ(v.ToJson(), R"({"role":"user","parts":["a\"b\n",3]})");
  EXPECT_EQ(AnyValue("plain").ToText(), "plain");
  EXPECT_EQ(AnyValue(true).ToText(), "true");
}

}  // namespace
}  // namespace loupe::model
