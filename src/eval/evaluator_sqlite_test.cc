// The evaluator on the real SQLite store and a real data directory: the
// queue survives a restart of both in the middle of a backlog; nothing is
// lost and nothing is scored twice.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <thread>

#include "eval/evaluator.h"
#include "eval/testing/fake_judge_process.h"
#include "eval/testing/spans.h"
#include "store/store.h"

namespace loupe::eval {
namespace {

constexpr uint64_t kSec = 1'000'000'000ull;

class EvaluatorSqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() / ("loupe-eval-sqlite-" + std::to_string(::getpid()))).string();
    std::filesystem::remove_all(dir_);
    config_.data_dir = dir_;
    config_.index_poll = std::chrono::milliseconds(10);
    config_.fsync = false;
    config_.clock = &clock_;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  EvalConfig Config() {
    EvalConfig c;
    c.enabled = true;
    c.default_rate = 1.0;
    c.burst.enabled = false;
    c.builtins_enabled = false;
    c.delay_seconds = 0;
    c.poll_seconds = 0.01;
    c.per_trace_cap = 100;
    c.limits.concurrency = 2;
    c.judge.base_url = fake_.base_url();
    c.judge.canary = false;
    return c;
  }

  struct Running {
    std::unique_ptr<store::Store> store;
    std::unique_ptr<Evaluator> evaluator;
  };
  Running Open() {
    Running r;
    auto s = store::OpenStore(config_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    r.store = std::move(*s);
    Evaluator::Deps deps;
    deps.store = r.store.get();
    deps.clock = &clock_;
    auto e = Evaluator::Create(Config(), deps);
    EXPECT_TRUE(e.ok());
    r.evaluator = std::move(*e);
    Evaluator* ev = r.evaluator.get();
    r.store->SetNewSpansListener([ev](auto spans) { ev->OnNewSpans(spans); });
    EXPECT_TRUE(r.store->Start().ok());
    return r;
  }

  testing::FakeJudgeProcess fake_;
  std::string dir_;
  ManualClock clock_{SystemClock::Get().NowUnixNanos()};
  store::StoreConfig config_;
};

TEST_F(EvaluatorSqliteTest, RestartMidBacklog) {
  fake_.Control(R"({"default": {"mode": "latency", "seconds": 0.15, "score": 4}})");
  const int kCalls = 10;
  {
    Running a = Open();
    Status started = a.evaluator->Start();
    if (!started.ok() && started.code() == Status::Code::kFailedPrecondition) {
      GTEST_SKIP() << "the store has no evaluation queue yet: " << started.ToString();
    }
    ASSERT_TRUE(started.ok()) << started.ToString();
    model::Batch batch;
    for (int i = 0; i < kCalls; ++i) {
      batch.spans.push_back(testing::MakeCall({.trace = static_cast<uint64_t>(i + 1), .start_ns = clock_.NowUnixNanos() - 60 * kSec}));
    }
    model::Batch* ptr = &batch;
    ASSERT_TRUE(a.store->Consume(std::span<model::Batch* const>(&ptr, 1)).ok());
    ASSERT_TRUE(a.store->WaitForIndexer(std::chrono::seconds(10)).ok());
    for (int i = 0; i < 300; ++i) {
      store::ScoreQuery q;
      q.limit = 1000;
      auto page = a.store->QueryScores(q);
      if (page.ok() && page->scores.size() >= 6) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    a.evaluator->Shutdown();
    a.store->Shutdown();
  }
  Running b = Open();
  auto mid = b.store->EvaluationStats();
  ASSERT_TRUE(mid.ok());
  EXPECT_EQ(mid->pending + mid->done, static_cast<uint64_t>(kCalls));
  EXPECT_GT(mid->pending, 0u) << "the test should stop mid-backlog";
  ASSERT_TRUE(b.evaluator->Start().ok());
  ASSERT_TRUE(b.evaluator->WaitIdle(std::chrono::seconds(30)));
  store::ScoreQuery q;
  q.limit = 1000;
  q.latest_only = false;
  auto page = b.store->QueryScores(q);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->scores.size(), static_cast<size_t>(kCalls) * 3);  // nothing lost, nothing twice
  std::set<std::tuple<model::TraceId, std::string>> seen;
  for (const auto& s : page->scores) {
    EXPECT_EQ(s.version, 1u);
    EXPECT_TRUE(seen.insert({s.trace_id, s.dimension}).second);
    EXPECT_EQ(s.value, 4);
    EXPECT_EQ(s.feature, "chat");
  }
  auto done = b.store->EvaluationStats();
  EXPECT_EQ(done->done, static_cast<uint64_t>(kCalls));
  EXPECT_EQ(done->pending, 0u);
  b.evaluator->Shutdown();
  b.store->Shutdown();
}

}  // namespace
}  // namespace loupe::eval
