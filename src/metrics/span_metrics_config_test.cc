#include "metrics/span_metrics_config.h"

#include <gtest/gtest.h>

namespace loupe::metrics {
namespace {

TEST(SpanMetricsConfig, DefaultsAreTheBlueprintsAndValid) {
  SpanMetricsConfig c;
  EXPECT_TRUE(c.Validate().ok()) << c.Validate().message();
  ASSERT_EQ(c.dimensions.size(), 3u);
  EXPECT_EQ(c.dimensions[0].name, "gen_ai.request.model");
  EXPECT_EQ(c.dimensions[1].name, "ai.feature");
  EXPECT_EQ(c.dimensions[2].name, "ai.team");
  EXPECT_EQ(c.histogram_buckets_ms, (std::vector<double>{100, 250, 500, 1000, 2500, 5000, 10000}));
  EXPECT_EQ(c.cardinality_limit, 10000u);
  EXPECT_FALSE(c.genai_histograms);
}

TEST(SpanMetricsConfig, ErrorsNameTheKeyPath) {
  SpanMetricsConfig c;
  c.dimensions[1].name = "  ";
  EXPECT_EQ(c.Validate().message().rfind("span_metrics.dimensions[1].name:", 0), 0u) << c.Validate().message();

  c = SpanMetricsConfig();
  c.dimensions.push_back({"ai-team", std::nullopt});  // sanitises to ai_team, as ai.team does
  EXPECT_EQ(c.Validate().message().rfind("span_metrics.dimensions[3].name:", 0), 0u) << c.Validate().message();

  c = SpanMetricsConfig();
  c.dimensions.push_back({"status.code", std::nullopt});
  EXPECT_NE(c.Validate().message().find("set by span metrics itself"), std::string::npos);

  c = SpanMetricsConfig();
  c.dimensions.push_back({"__name", std::nullopt});
  EXPECT_FALSE(c.Validate().ok());

  c = SpanMetricsConfig();
  c.histogram_buckets_ms = {100, 100};
  EXPECT_EQ(c.Validate().message().rfind("span_metrics.histogram_buckets_ms[1]:", 0), 0u);
  c.histogram_buckets_ms = {-1};
  EXPECT_EQ(c.Validate().message().rfind("span_metrics.histogram_buckets_ms[0]:", 0), 0u);
  c.histogram_buckets_ms = {};
  EXPECT_FALSE(c.Validate().ok());

  c = SpanMetricsConfig();
  c.cardinality_limit = 0;
  EXPECT_EQ(c.Validate().message().rfind("span_metrics.cardinality_limit:", 0), 0u);
  c = SpanMetricsConfig();
  c.series_expiry_seconds = -1;
  EXPECT_EQ(c.Validate().message().rfind("span_metrics.series_expiry_seconds:", 0), 0u);
  c = SpanMetricsConfig();
  c.dedup_capacity = 0;
  EXPECT_EQ(c.Validate().message().rfind("span_metrics.dedup_capacity:", 0), 0u);
}

TEST(SpanMetricsConfig, SanitizeLabelName) {
  EXPECT_EQ(SanitizeLabelName("gen_ai.request.model"), "gen_ai_request_model");
  EXPECT_EQ(SanitizeLabelName("ai.team"), "ai_team");
  EXPECT_EQ(SanitizeLabelName("http/route-x"), "http_route_x");
  EXPECT_EQ(SanitizeLabelName("1abc"), "key_1abc");
}

}  // namespace
}  // namespace loupe::metrics
