// The evaluation service end to end: MemoryStore (the store's documented
// queue semantics) + the fake judge over HTTP.
#include "eval/evaluator.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "eval/testing/fake_judge_process.h"
#include "eval/testing/memory_store.h"
#include "eval/testing/spans.h"
#include "metrics/registry.h"
#include "pricing/pricer.h"

namespace loupe::eval {
namespace {

using testing::CallSpec;
using testing::MakeCall;
using nlohmann::json;

constexpr uint64_t kSec = 1'000'000'000ull;
constexpr uint64_t kDay = 86'400 * kSec;

class EvaluatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { fake_ = new testing::FakeJudgeProcess(); }
  static void TearDownTestSuite() {
    delete fake_;
    fake_ = nullptr;
  }
  void SetUp() override {
    fake_->Reset();
    pricer_ = std::move(*pricing::Pricer::Create(pricing::PricingConfig{}));
  }

  EvalConfig Config() {
    EvalConfig c;
    c.enabled = true;
    c.default_rate = 1.0;
    c.burst.enabled = false;
    c.delay_seconds = 0;
    c.poll_seconds = 0.01;
    c.per_trace_cap = 100;
    c.judge.base_url = fake_->base_url();
    c.judge.canary = false;
    c.judge.backoff_initial_seconds = 0.01;
    c.judge.backoff_max_seconds = 0.05;
    c.limits.concurrency = 2;
    c.limits.requests_per_minute = 100'000;
    c.limits.tokens_per_minute = 100'000'000;
    return c;
  }

  std::unique_ptr<Evaluator> Make(const EvalConfig& c, const Clock* clock = nullptr) {
    Evaluator::Deps deps;
    deps.store = &store_;
    deps.pricer = pricer_.get();
    deps.registry = &registry_;
    deps.clock = clock ? clock : &clock_;
    auto e = Evaluator::Create(c, deps);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return std::move(*e);
  }

  void Attach(Evaluator* e) {
    store_.SetNewSpansListener([e](auto spans) { e->OnNewSpans(spans); });
  }

  std::vector<model::SpanRecord> Calls(int n, uint64_t first_trace = 1) {
    std::vector<model::SpanRecord> out;
    for (int i = 0; i < n; ++i) out.push_back(MakeCall({.trace = first_trace + i, .span = 1}));
    return out;
  }

  std::vector<store::Score> ScoresOf(const std::string& evaluator) {
    std::vector<store::Score> out;
    for (auto& s : store_.AllScores()) {
      if (s.evaluator == evaluator) out.push_back(s);
    }
    return out;
  }

  static testing::FakeJudgeProcess* fake_;
  testing::MemoryStore store_;
  metrics::Registry registry_;
  std::unique_ptr<pricing::Pricer> pricer_;
  ManualClock clock_{1'750'000'000 * kSec};
};

testing::FakeJudgeProcess* EvaluatorTest::fake_ = nullptr;

TEST_F(EvaluatorTest, ScoresSampledCallsWithJudgeAndBuiltins) {
  fake_->Control(R"({"default": {"mode": "ok", "scores": {"accuracy": 5, "relevance": 4, "safety": 5}}})");
  auto e = Make(Config());
  Attach(e.get());
  ASSERT_TRUE(e->Start().ok());
  store_.Add(Calls(4));
  ASSERT_TRUE(e->WaitIdle(std::chrono::seconds(90)));
  auto judge = ScoresOf("judge/default");
  ASSERT_EQ(judge.size(), 12u);  // 4 calls x 3 dimensions
  for (const auto& s : judge) {
    EXPECT_EQ(s.source, store::ScoreSource::kJudge);
    EXPECT_EQ(s.judge_model, "claude-haiku-4-5");
    ASSERT_TRUE(s.judge_cost_nanos.has_value());
    EXPECT_GT(*s.judge_cost_nanos, 0);
    EXPECT_EQ(s.feature, "chat");
    EXPECT_EQ(s.prompt_version, "v1");
    EXPECT_EQ(s.reasoning, "fake judge reasoning");
    EXPECT_EQ(s.value, s.dimension == "relevance" ? 4 : 5);
  }
  EXPECT_EQ(ScoresOf("refusal").size(), 4u);
  EXPECT_EQ(ScoresOf("pii").size(), 4u);
  EXPECT_EQ(ScoresOf("completeness")[0].value, 1);
  // A redelivered call is not evaluated again.
  auto again = Calls(4);
  std::vector<const model::SpanRecord*> ptrs;
  for (auto& r : again) ptrs.push_back(&r);
  e->OnNewSpans(ptrs);
  ASSERT_TRUE(e->WaitIdle(std::chrono::seconds(90)));
  EXPECT_EQ(ScoresOf("judge/default").size(), 12u);
  EXPECT_EQ(json::parse(fake_->Requests()).size(), 4u);

  const std::string m = registry_.Render();
  EXPECT_NE(m.find("ai_quality_score_bucket{ai_feature=\"chat\",ai_prompt_version=\"v1\",ai_team=\"core\","
                   "deployment_environment_name=\"prod\",dimension=\"accuracy\",evaluator=\"judge/default\","
                   "gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o\",service_name=\"app\",le=\"5\"} 4"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("ai_evals_total{evaluator=\"judge/default\",result=\"scored\"} 4"), std::string::npos);
  EXPECT_NE(m.find("ai_eval_cost_usd_total{judge_model=\"claude-haiku-4-5\"}"), std::string::npos);
  EXPECT_NE(m.find("loupe_eval_judge_requests_total{status=\"200\"} 4"), std::string::npos);
  EvalStatus st = e->GetStatus();
  EXPECT_EQ(st.queue.done, 8u);
  EXPECT_GT(st.spent_today_nanos, 0);
  EXPECT_FALSE(st.budget_paused);
}

TEST_F(EvaluatorTest, GroundednessFromRetrievalSpansOfTheTrace) {
  auto e = Make(Config());
  Attach(e.get());
  ASSERT_TRUE(e->Start().ok());
  store_.Add({testing::MakeRetrieval(77, 1, "Paris is the capital of France."), MakeCall({.trace = 77, .span = 2})});
  ASSERT_TRUE(e->WaitIdle(std::chrono::seconds(90)));
  std::set<std::string> dims;
  for (const auto& s : ScoresOf("judge/default")) dims.insert(s.dimension);
  EXPECT_EQ(dims, (std::set<std::string>{"accuracy", "relevance", "safety", "groundedness"}));
  const std::string prompt = json::parse(fake_->Requests())[0]["body"]["messages"][0]["content"];
  EXPECT_NE(prompt.find("Paris is the capital of France."), std::string::npos);
}

TEST_F(EvaluatorTest, FailuresAreRecordedWithTheRawAnswerAndNoScore) {
  fake_->Control(R"({"default": {"mode": "out_of_range"}})");
  EvalConfig c = Config();
  c.builtins_enabled = false;
  auto e = Make(c);
  Attach(e.get());
  ASSERT_TRUE(e->Start().ok());
  store_.Add(Calls(2));
  ASSERT_TRUE(e->WaitIdle(std::chrono::seconds(90)));
  EXPECT_TRUE(store_.AllScores().empty());
  auto tasks = store_.AllTasks();
  ASSERT_EQ(tasks.size(), 2u);
  for (const auto& t : tasks) {
    EXPECT_EQ(t.state, store::EvalState::kFailed);
    EXPECT_NE(t.error.find("7 is above maximum 5"), std::string::npos) << t.error;
    EXPECT_NE(t.raw_answer.find("\"accuracy\":7"), std::string::npos) << t.raw_answer;
  }
  EXPECT_NE(registry_.Render().find("ai_evals_total{evaluator=\"judge/default\",result=\"failed\"} 2"), std::string::npos);
}

TEST_F(EvaluatorTest, ThrottledJudgeIsDeferredThenGivesUpVisibly) {
  fake_->Control(R"({"default": {"mode": "status", "status": 429, "retry_after": "0"}})");
  EvalConfig c = Config();
  c.builtins_enabled = false;
  c.judge.max_retries = 0;
  c.max_attempts = 3;
  auto e = Make(c);
  Attach(e.get());
  ASSERT_TRUE(e->Start().ok());
  store_.Add(Calls(1));
  ASSERT_TRUE(e->WaitIdle(std::chrono::seconds(90)));
  auto tasks = store_.AllTasks();
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].state, store::EvalState::kFailed);
  EXPECT_EQ(tasks[0].attempts, 3u);
  EXPECT_NE(tasks[0].error.find("gave up after 3 attempts"), std::string::npos) << tasks[0].error;
  EXPECT_EQ(json::parse(fake_->Requests()).size(), 3u);
}

TEST_F(EvaluatorTest, BudgetExhaustionPausesUntilTheNextUtcDay) {
  EvalConfig c = Config();
  c.builtins_enabled = false;
  c.limits.concurrency = 1;
  c.daily_budget_usd = 0.0008;  // ~1-2 fake judge calls a day
  ManualClock clock(20'300 * kDay + 3600 * kSec);
  auto e = Make(c, &clock);
  Attach(e.get());
  ASSERT_TRUE(e->Start().ok());
  store_.Add(Calls(5));
  ASSERT_TRUE(e->WaitIdle(std::chrono::seconds(90)));
  size_t scored = ScoresOf("judge/default").size() / 3;
  EXPECT_GE(scored, 1u);
  EXPECT_LT(scored, 5u);
  EvalStatus st = e->GetStatus();
  EXPECT_TRUE(st.budget_paused);
  EXPECT_EQ(st.resumes_at_ns, 20'301 * kDay);
  EXPECT_GE(st.spent_today_nanos, st.budget_nanos);
  for (const auto& t : store_.AllTasks()) {
    if (t.state == store::EvalState::kPending) {
      EXPECT_EQ(t.due_ns, 20'301 * kDay);
    }
  }
  const std::string m = registry_.Render();
  EXPECT_NE(m.find("loupe_eval_budget_paused 1"), std::string::npos) << m;
  // Spend is persisted per day.
  auto saved = store_.GetValue(kSpendNamespace, Budget::DayKey(clock.NowUnixNanos()));
  ASSERT_TRUE(saved.ok() && saved->has_value());
  EXPECT_EQ(std::stoll(**saved), st.spent_today_nanos);

  // New samples while paused are skipped, visibly.
  store_.Add(Calls(1, 100));
  ASSERT_TRUE(e->WaitIdle(std::chrono::seconds(90)));
  EXPECT_EQ(e->GetStatus().skipped_budget, 1u);

  // Each next day resumes until everything pending is scored.
  for (int day = 1; day <= 5 && scored < 5; ++day) {
    clock.Set((20'300 + day) * kDay + kSec);
    ASSERT_TRUE(e->WaitIdle(std::chrono::seconds(90)));
    const size_t now_scored = ScoresOf("judge/default").size() / 3;
    EXPECT_GT(now_scored, scored) << "day " << day;
    scored = now_scored;
  }
  EXPECT_EQ(scored, 5u);
}

TEST_F(EvaluatorTest, RestartMidBacklogLosesNothingAndScoresNothingTwice) {
  fake_->Control(R"({"default": {"mode": "latency", "seconds": 0.15}})");
  EvalConfig c = Config();
  c.builtins_enabled = false;
  const int kCalls = 12;
  {
    auto a = Make(c);
    Attach(a.get());
    ASSERT_TRUE(a->Start().ok());
    store_.Add(Calls(kCalls));
    // Let a few finish, then stop in the middle of the backlog.
    for (int i = 0; i < 200 && ScoresOf("judge/default").size() < 6; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    a->Shutdown();
    store_.SetNewSpansListener(nullptr);
  }
  auto mid = store_.AllTasks();
  ASSERT_EQ(mid.size(), static_cast<size_t>(kCalls));
  size_t pending = 0;
  for (const auto& t : mid) pending += t.state == store::EvalState::kPending;
  EXPECT_GT(pending, 0u) << "the test should stop mid-backlog";
  EXPECT_LT(pending, static_cast<size_t>(kCalls));

  auto b = Make(c);
  ASSERT_TRUE(b->Start().ok());
  ASSERT_TRUE(b->WaitIdle(std::chrono::seconds(30)));
  std::map<std::tuple<model::TraceId, model::SpanId, std::string>, int> per_identity;
  for (const auto& s : ScoresOf("judge/default")) {
    EXPECT_EQ(s.version, 1u);
    ++per_identity[{s.trace_id, s.span_id, s.dimension}];
  }
  std::set<model::TraceId> traces;
  for (const auto& s : ScoresOf("judge/default")) traces.insert(s.trace_id);
  EXPECT_EQ(traces.size(), static_cast<size_t>(kCalls));  // nothing lost
  for (const auto& [k, n] : per_identity) EXPECT_EQ(n, 1);  // nothing twice
  for (const auto& t : store_.AllTasks()) EXPECT_EQ(t.state, store::EvalState::kDone);
  EXPECT_EQ(store_.finish_rejections(), 0u);
}

TEST_F(EvaluatorTest, BacklogIsBounded) {
  EvalConfig c = Config();
  c.builtins_enabled = false;
  c.delay_seconds = 3600;  // nothing becomes due: the backlog only grows
  c.max_backlog = 5;
  auto e = Make(c);
  Attach(e.get());
  ASSERT_TRUE(e->Start().ok());
  for (int i = 0; i < 4; ++i) {
    store_.Add(Calls(10, 1 + i * 10));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  ASSERT_TRUE(e->WaitIdle(std::chrono::seconds(10)));
  EXPECT_EQ(store_.AllTasks().size(), 5u);
  EXPECT_EQ(e->GetStatus().skipped_backlog, 35u);
  EXPECT_NE(registry_.Render().find("result=\"skipped_backlog\""), std::string::npos);
}

TEST_F(EvaluatorTest, BurstStateSurvivesRestartThroughTheStore) {
  EvalConfig c = Config();
  c.builtins_enabled = false;
  c.default_rate = 0;
  c.burst.enabled = true;
  c.burst.calls = 3;
  {
    auto a = Make(c);
    Attach(a.get());
    ASSERT_TRUE(a->Start().ok());
    store_.Add(Calls(2));
    ASSERT_TRUE(a->WaitIdle(std::chrono::seconds(90)));
    a->Shutdown();
  }
  auto saved = store_.ListValues(kFirstSeenNamespace);
  ASSERT_TRUE(saved.ok());
  ASSERT_EQ(saved->size(), 1u);
  auto b = Make(c);
  Attach(b.get());
  ASSERT_TRUE(b->Start().ok());
  store_.Add(Calls(5, 100));
  ASSERT_TRUE(b->WaitIdle(std::chrono::seconds(90)));
  EXPECT_EQ(store_.AllTasks().size(), 3u);  // 2 before the restart + the 1 left of the burst
}

TEST_F(EvaluatorTest, SliceRunAndForcedRerun) {
  EvalConfig c = Config();
  c.builtins_enabled = false;
  c.default_rate = 0;  // nothing sampled automatically
  auto e = Make(c);
  Attach(e.get());
  ASSERT_TRUE(e->Start().ok());
  std::vector<model::SpanRecord> calls = Calls(3);
  calls.push_back(MakeCall({.trace = 50, .feature = "search"}));
  store_.Add(calls);
  SliceRequest req;
  req.feature = "chat";
  auto run = e->EnqueueSlice(req);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->tasks.size(), 3u);
  EXPECT_EQ(run->run, 0u);
  ASSERT_TRUE(e->WaitIdle(std::chrono::seconds(90)));
  EXPECT_EQ(ScoresOf("judge/default").size(), 9u);
  ASSERT_TRUE(e->FindRun(run->id).ok());
  // Again without force: nothing new. With force: a new version each.
  EXPECT_EQ(e->EnqueueSlice(req)->enqueued, 0u);
  req.force = true;
  auto forced = e->EnqueueSlice(req);
  ASSERT_TRUE(forced.ok());
  EXPECT_EQ(forced->run, 1u);
  EXPECT_EQ(forced->enqueued, 3u);
  ASSERT_TRUE(e->WaitIdle(std::chrono::seconds(90)));
  auto all = ScoresOf("judge/default");
  EXPECT_EQ(all.size(), 18u);
  size_t v2 = 0;
  for (const auto& s : all) v2 += s.version == 2;
  EXPECT_EQ(v2, 9u);
  req.rubric = "nope";
  EXPECT_FALSE(e->EnqueueSlice(req).ok());
}

TEST_F(EvaluatorTest, CanaryFlagsAnObeyingJudge) {
  fake_->Control(R"({"default": {"mode": "obey", "score": 2}})");
  EvalConfig c = Config();
  c.judge.canary = true;
  auto e = Make(c);
  ASSERT_TRUE(e->Start().ok());
  for (int i = 0; i < 500 && e->GetStatus().canary.detail.find("judge") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EvalStatus st = e->GetStatus();
  EXPECT_TRUE(st.canary.ran);
  EXPECT_FALSE(st.canary.passed) << st.canary.detail;
  EXPECT_NE(registry_.Render().find("loupe_eval_judge_canary 0"), std::string::npos);
}

}  // namespace
}  // namespace loupe::eval
