#include "cli/query.h"

#include <gtest/gtest.h>

namespace loupe::cli {
namespace {

TEST(RenderTable, AlignsColumnsAndRightAlignsNumbers) {
  std::string t = RenderTable({{"TEAM", "COST"}, {"search", "1.5"}, {"b", "10"}}, {false, true});
  EXPECT_EQ(t, "TEAM    COST\nsearch   1.5\nb         10\n");
}

TEST(EncodeQuery, EscapesValuesKeepsCommasSkipsEmpty) {
  EXPECT_EQ(EncodeQuery({{"q", "a b&c"}, {"team", ""}, {"group_by", "team,feature"}}),
            "q=a%20b%26c&group_by=team,feature");
}

TEST(RenderAnswer, StatsTableWithKeysAndMeasures) {
  std::string out;
  ASSERT_TRUE(RenderAnswer("stats",
                           R"({"groups":[{"key":{"team":"search"},"requests":3,"cost_usd":0.0000035},
                                         {"key":{"team":"billing"},"requests":1,"cost_usd":null}]})",
                           {"team"}, {"requests", "cost_usd"}, &out));
  EXPECT_EQ(out, "TEAM     REQUESTS   COST_USD\nsearch          3  0.0000035\nbilling         1          -\n");
}

TEST(RenderAnswer, StatsSeriesOneRowPerPoint) {
  std::string out;
  ASSERT_TRUE(RenderAnswer("stats",
                           R"({"step_seconds":600,"groups":[{"key":{},"requests":3,"series":[
                                {"start":"2025-06-15T15:06:00Z","requests":2},{"start":"2025-06-15T15:16:00Z","requests":1}]}]})",
                           {}, {"requests"}, &out));
  EXPECT_EQ(out, "START                REQUESTS\n2025-06-15 15:06:00         2\n2025-06-15 15:16:00         1\n");
}

TEST(RenderAnswer, TracesAndCursor) {
  std::string out;
  ASSERT_TRUE(RenderAnswer("traces", R"({"traces":[{"trace_id":"ab","start":"2025-06-15T15:06:00Z","root_name":"r",
      "service":"s","duration_ms":2.5,"spans":3,"llm_calls":2,"tokens":180,"cost_usd":0.000003,"status":"ok"}],
      "next_cursor":"c1"})", {}, {}, &out));
  EXPECT_NE(out.find("ab     2025-06-15 15:06:00  r     s          2.5 ms      3      2     180  0.000003  ok"), std::string::npos) << out;
  EXPECT_NE(out.find("more: --cursor c1"), std::string::npos);
}

TEST(RenderAnswer, RejectsWrongShapes) {
  std::string out;
  EXPECT_FALSE(RenderAnswer("traces", "not json", {}, {}, &out));
  EXPECT_FALSE(RenderAnswer("traces", R"({"traces":5})", {}, {}, &out));
  EXPECT_FALSE(RenderAnswer("trace", R"({"spans":[]})", {}, {}, &out));
}

}  // namespace
}  // namespace loupe::cli
