// StoreDataSource against the real embedded SQLite store.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "alerting/data_source.h"
#include "alerting/engine.h"
#include "store/store.h"
#include "store/test_util.h"

namespace loupe::alerting {
namespace {

namespace fs = std::filesystem;
using store::testing::kTestEpoch;
using store::testing::LlmSpan;
using store::testing::LlmSpec;

constexpr uint64_t kMinute = 60'000'000'000ull;
constexpr uint64_t kBase = kTestEpoch - kTestEpoch % (60 * kMinute);

class StoreDataSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("loupe-alert-store-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir_);
    store::StoreConfig config;
    config.data_dir = dir_;
    config.index_poll = std::chrono::milliseconds(20);
    config.clock = store::testing::PinnedClock();
    auto s = store::OpenStore(config);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    ASSERT_TRUE(store_->Start().ok());
  }
  void TearDown() override {
    store_->Shutdown();
    fs::remove_all(dir_);
  }

  void Add(int n, uint64_t start, uint64_t latency, const std::string& feature, uint64_t first_id) {
    std::vector<model::Batch> group(1);
    for (int i = 0; i < n; ++i) {
      LlmSpec spec;
      spec.trace = first_id + static_cast<uint64_t>(i);
      spec.span = 1;
      spec.start_ns = start + static_cast<uint64_t>(i) * 1'000'000'000ull;
      spec.duration_ns = latency;
      spec.feature = feature;
      spec.cost_nanos = 2'000'000;
      spec.error = i % 10 == 0;
      group[0].spans.push_back(LlmSpan(spec));
    }
    model::Batch* ptr = &group[0];
    ASSERT_TRUE(store_->Consume({&ptr, 1}).ok());
    ASSERT_TRUE(store_->WaitForIndexer(std::chrono::seconds(10)).ok());
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(StoreDataSourceTest, CallsComeFromRollups) {
  Add(30, kBase, 100'000'000, "answer", 1);
  Add(20, kBase + 2 * kMinute, 400'000'000, "summarize", 1000);
  StoreDataSource src(store_.get());
  WindowQuery q;
  q.start_ns = kBase;
  q.end_ns = kBase + 10 * kMinute;
  q.group_by = {"feature", "team"};
  auto rows = src.Calls(q);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  std::map<std::string, GroupStats> by_feature;
  for (const auto& r : *rows) by_feature[r.key[0]] = r;
  EXPECT_EQ(by_feature["answer"].requests, 30);
  EXPECT_EQ(by_feature["answer"].errors, 3);
  EXPECT_EQ(by_feature["answer"].cost_nanos, 60'000'000);
  EXPECT_EQ(by_feature["answer"].key[1], "search");
  EXPECT_NEAR(by_feature["summarize"].latency.QuantileNanos(0.95) / 1e6, 400, 20);
  q.where = {{"feature", "summarize"}};
  rows = src.Calls(q);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].requests, 20);
}

TEST_F(StoreDataSourceTest, UnknownDimensionIsAnError) {
  StoreDataSource src(store_.get());
  WindowQuery q;
  q.end_ns = kBase;
  q.group_by = {"planet"};
  auto rows = src.Calls(q);
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.status().message().find("group_by planet"), std::string::npos);
}

TEST_F(StoreDataSourceTest, EngineFiresOnTheRealStoreWithExamples) {
  // Baseline: 40 fast calls over the previous 20 minutes; then 30 slow ones.
  Add(40, kBase, 200'000'000, "answer", 1);
  Add(30, kBase + 20 * kMinute, 900'000'000, "answer", 500);
  Rule r;
  r.name = "Slow";
  r.kind = RuleKind::kLatencyRegression;
  r.window_seconds = 60;
  r.baseline_window_seconds = 1200;
  r.min_samples = 10;
  EngineOptions o;
  o.lag_seconds = 0;
  Engine engine(o, nullptr);
  engine.SetRules({r});
  StoreDataSource src(store_.get());
  auto result = engine.Evaluate(kBase + 21 * kMinute, src);
  ASSERT_EQ(result.rules_failed, 0u) << engine.Rules()[0].last_error;
  ASSERT_EQ(result.notify.size(), 1u);
  const Alert& a = result.notify[0];
  EXPECT_EQ(a.labels.at("feature"), "answer");
  EXPECT_EQ(a.labels.at("team"), "search");
  EXPECT_EQ(a.labels.at("model"), "gpt-4o");
  EXPECT_EQ(a.examples.slowest.size(), 32u);  // a hex trace id
  EXPECT_FALSE(a.examples.most_expensive.empty());
}

}  // namespace
}  // namespace loupe::alerting
