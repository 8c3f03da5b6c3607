#include "metrics/exposition.h"

#include <gtest/gtest.h>

#include <limits>

namespace loupe::metrics {
namespace {

TEST(ExpositionTest, EscapesLabelValues) {
  EXPECT_EQ(EscapeLabelValue(R"(a\b"c)" "\n" "d"), R"(a\\b\"c\nd)");
  EXPECT_EQ(EscapeLabelValue("plain"), "plain");
}

TEST(ExpositionTest, EscapesHelpButNotQuotes) {
  EXPECT_EQ(EscapeHelp("say \"hi\"\\\nnext"), "say \"hi\"\\\\\\nnext");
}

TEST(ExpositionTest, FormatsValues) {
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(0.25), "0.25");
  EXPECT_EQ(FormatValue(1e21), "1e+21");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(ExpositionTest, ValidatesNames) {
  EXPECT_TRUE(IsValidMetricName("loupe_x:y_total"));
  EXPECT_FALSE(IsValidMetricName("9x"));
  EXPECT_FALSE(IsValidMetricName("a-b"));
  EXPECT_FALSE(IsValidMetricName(""));
  EXPECT_TRUE(IsValidLabelName("_a1"));
  EXPECT_FALSE(IsValidLabelName("a:b"));
}

TEST(ExpositionTest, WritesFamilyAndSamples) {
  std::string out;
  ExpositionWriter w(&out);
  w.BeginFamily("x_total", "Things.\nMore.", MetricType::kCounter);
  w.Sample("x_total", {}, uint64_t{3});
  w.Sample("x_total", {{"a", "1"}, {"b", "q\""}}, 1.5);
  w.Sample("x_bucket", {{"a", "1"}}, uint64_t{2}, "le", "0.5");
  w.Sample("x_bucket", {}, uint64_t{2}, "le", "+Inf");
  EXPECT_EQ(out,
            "# HELP x_total Things.\\nMore.\n"
            "# TYPE x_total counter\n"
            "x_total 3\n"
            "x_total{a=\"1\",b=\"q\\\"\"} 1.5\n"
            "x_bucket{a=\"1\",le=\"0.5\"} 2\n"
            "x_bucket{le=\"+Inf\"} 2\n");
}

}  // namespace
}  // namespace loupe::metrics
