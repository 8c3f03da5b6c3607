#include "alerting/matcher.h"

#include <gtest/gtest.h>

namespace loupe::alerting {
namespace {

TEST(MatcherTest, Operators) {
  Labels l = {{"severity", "page"}, {"team", "search"}};
  struct Case {
    const char* text;
    bool want;
  };
  for (const Case& c : std::vector<Case>{{"severity=page", true},
                                         {"severity=\"page\"", true},
                                         {"severity!=page", false},
                                         {"team=~sea.*", true},
                                         {"team=~sea", false},  // anchored
                                         {"team!~ads|infra", true},
                                         {"env=", true},  // absent label matches ""
                                         {"env!=", false}}) {
    auto m = ParseMatcher(c.text);
    ASSERT_TRUE(m.ok()) << c.text << ": " << m.status().ToString();
    EXPECT_EQ(m->Matches(l), c.want) << c.text;
  }
}

TEST(MatcherTest, BadMatchers) {
  for (const char* bad : {"severity", "=page", "se-v=1", "team=~("}) {
    EXPECT_FALSE(ParseMatcher(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace loupe::alerting
