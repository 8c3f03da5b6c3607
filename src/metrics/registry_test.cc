#include "metrics/registry.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace loupe::metrics {
namespace {

TEST(RegistryTest, RendersSortedFamiliesAndSeries) {
  Registry r;
  r.GetGauge("loupe_b", "B gauge.").Set(2.5);
  r.GetCounter("loupe_a_total", "A counter.", {{"z", "2"}}).Inc(5);
  r.GetCounter("loupe_a_total", "A counter.", {{"z", "1"}}).Inc();
  EXPECT_EQ(r.Render(),
            "# HELP loupe_a_total A counter.\n"
            "# TYPE loupe_a_total counter\n"
            "loupe_a_total{z=\"1\"} 1\n"
            "loupe_a_total{z=\"2\"} 5\n"
            "# HELP loupe_b B gauge.\n"
            "# TYPE loupe_b gauge\n"
            "loupe_b 2.5\n");
}

TEST(RegistryTest, SameLabelsInAnyOrderAreOneSeries) {
  Registry r;
  Counter& a = r.GetCounter("loupe_x_total", "X.", {{"b", "2"}, {"a", "1"}});
  Counter& b = r.GetCounter("loupe_x_total", "X.", {{"a", "1"}, {"b", "2"}});
  EXPECT_EQ(&a, &b);
  a.Inc();
  b.Inc();
  EXPECT_NE(r.Render().find("loupe_x_total{a=\"1\",b=\"2\"} 2\n"), std::string::npos);
}

TEST(RegistryTest, EscapesLabelValuesInOutput) {
  Registry r;
  r.GetCounter("loupe_x_total", "X.", {{"path", "a\"b\\c\nd"}}).Inc();
  EXPECT_NE(r.Render().find(R"(loupe_x_total{path="a\"b\\c\nd"} 1)"), std::string::npos);
}

TEST(RegistryTest, HistogramBucketsAreCumulative) {
  Registry r;
  Histogram& h = r.GetHistogram("loupe_lat_seconds", "Latency.", {1, 0.5}, {{"op", "x"}});
  h.Observe(0.1);
  h.Observe(0.5);  // le is inclusive
  h.Observe(0.7);
  h.Observe(3);
  EXPECT_EQ(r.Render(),
            "# HELP loupe_lat_seconds Latency.\n"
            "# TYPE loupe_lat_seconds histogram\n"
            "loupe_lat_seconds_bucket{op=\"x\",le=\"0.5\"} 2\n"
            "loupe_lat_seconds_bucket{op=\"x\",le=\"1\"} 3\n"
            "loupe_lat_seconds_bucket{op=\"x\",le=\"+Inf\"} 4\n"
            "loupe_lat_seconds_sum{op=\"x\"} 4.3\n"
            "loupe_lat_seconds_count{op=\"x\"} 4\n");
}

TEST(RegistryTest, MisuseReturnsUnexportedSeriesAndCountsIt) {
  Registry r;
  r.GetCounter("loupe_x_total", "X.").Inc();
  Gauge& clash = r.GetGauge("loupe_x_total", "X as gauge.");  // type clash
  clash.Set(7);
  r.GetCounter("bad-name", "Bad.").Inc();
  r.GetCounter("loupe_y_total", "Bad label.", {{"le", "1"}}).Inc();
  std::string out = r.Render();
  EXPECT_EQ(out.find("gauge"), std::string::npos);
  EXPECT_EQ(out.find("bad-name"), std::string::npos);
  EXPECT_EQ(out.find("loupe_y_total"), std::string::npos);
  EXPECT_NE(out.find("loupe_metrics_registration_errors_total 3\n"), std::string::npos);
  EXPECT_NE(out.find("loupe_x_total 1\n"), std::string::npos);
}

class FixedCollector : public Collector {
 public:
  void Collect(ExpositionWriter& w) const override {
    w.BeginFamily("traces_span_metrics_calls_total", "Calls.", MetricType::kCounter);
    w.Sample("traces_span_metrics_calls_total", {{"service_name", "svc"}}, uint64_t{9});
  }
};

TEST(RegistryTest, RendersAddedCollectorsAfterOwnFamilies) {
  Registry r;
  FixedCollector c;
  r.GetCounter("loupe_z_total", "Z.").Inc();
  r.AddCollector(&c);
  std::string out = r.Render();
  size_t own = out.find("loupe_z_total 1");
  size_t ext = out.find("traces_span_metrics_calls_total{service_name=\"svc\"} 9");
  ASSERT_NE(own, std::string::npos);
  ASSERT_NE(ext, std::string::npos);
  EXPECT_LT(own, ext);
  r.RemoveCollector(&c);
  EXPECT_EQ(r.Render().find("traces_span"), std::string::npos);
}

TEST(RegistryTest, ConcurrentIncrementsAreNotLost) {
  Registry r;
  Counter& c = r.GetCounter("loupe_n_total", "N.");
  Histogram& h = r.GetHistogram("loupe_h", "H.", {1});
  Gauge& g = r.GetGauge("loupe_g", "G.");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.Inc();
        h.Observe(0.5);
        g.Add(1);
        if (i % 1000 == 0) (void)r.Render();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.Value(), 40000u);
  EXPECT_EQ(h.Count(), 40000u);
  EXPECT_DOUBLE_EQ(h.Sum(), 20000);
  EXPECT_DOUBLE_EQ(g.Value(), 40000);
}

}  // namespace
}  // namespace loupe::metrics
