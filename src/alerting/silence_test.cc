#include "alerting/silence.h"

#include <gtest/gtest.h>

#include "alerting/time_format.h"

namespace loupe::alerting {
namespace {

TEST(SilenceTest, JsonRoundTrip) {
  auto s = SilenceFromJson(R"({"matchers": ["team=search", {"name": "alertname", "value": "Llm.*", "isRegex": true}],
                               "startsAt": "2025-06-16T00:00:00Z", "endsAt": "2025-06-16T02:30:00.500+02:00",
                               "createdBy": "ana", "comment": "deploy"})");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->matchers, (std::vector<std::string>{"team=search", "alertname=~Llm.*"}));
  EXPECT_EQ(Rfc3339(s->ends_at_ns), "2025-06-16T00:30:00.500Z");
  EXPECT_EQ(s->created_by, "ana");
  auto again = SilenceFromJson(SilenceToJson(*s));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->matchers, s->matchers);
  EXPECT_EQ(again->ends_at_ns, s->ends_at_ns);
  EXPECT_TRUE(s->ActiveAt(s->starts_at_ns));
  EXPECT_FALSE(s->ActiveAt(s->ends_at_ns));
}

TEST(SilenceTest, BadBodiesNameTheField) {
  struct Case {
    const char* body;
    const char* want;
  };
  for (const auto& c : std::vector<Case>{{"{", "body"},
                                         {"[]", "body"},
                                         {R"({"endsAt": "2025-06-16T00:00:00Z"})", "matchers"},
                                         {R"({"matchers": [], "endsAt": "2025-06-16T00:00:00Z"})", "matchers"},
                                         {R"({"matchers": ["a=b"]})", "endsAt"},
                                         {R"({"matchers": ["a=b"], "endsAt": "tomorrow"})", "endsAt"},
                                         {R"({"matchers": [7], "endsAt": "2025-06-16T00:00:00Z"})", "matchers[0]"},
                                         {R"({"matchers": ["a=~("], "endsAt": "2025-06-16T00:00:00Z"})", "matchers[0]"},
                                         {R"({"matchers": [{"name": "a", "value": "b", "isRegex": "yes"}], "endsAt": "2025-06-16T00:00:00Z"})", "body"},
                                         {R"({"matchers": ["a=b"], "endsAt": "2025-06-16T00:00:00Z", "comment": 3})", "comment"}}) {
    auto s = SilenceFromJson(c.body);
    ASSERT_FALSE(s.ok()) << c.body;
    EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
    EXPECT_TRUE(s.status().message().starts_with(c.want)) << c.body << " -> " << s.status().message();
  }
}

TEST(TimeFormatTest, Rfc3339) {
  EXPECT_EQ(Rfc3339(1'750'032'000'000'000'000ull), "2025-06-16T00:00:00Z");
  auto t = ParseRfc3339("2025-06-16T00:00:00Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, 1'750'032'000'000'000'000ull);
  EXPECT_FALSE(ParseRfc3339("2025-13-01T00:00:00Z").ok());
  EXPECT_FALSE(ParseRfc3339("2025-06-16 00:00:00").ok());
  EXPECT_EQ(UrlEncode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
}

}  // namespace
}  // namespace loupe::alerting
