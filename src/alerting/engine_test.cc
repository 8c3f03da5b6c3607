// The engine against a fake data source and a fake clock: the blueprint's
// three regressions fire, a steady baseline and thin data do not, for /
// keep_firing_for / resolution, unhealthy rules, persistence, silences.
#include "alerting/engine.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "alerting/rule_eval.h"
#include "alerting/test_util.h"

namespace loupe::alerting {
namespace {

using namespace testing;

const std::map<std::string, std::string> kChat = {{"team", "search"}, {"feature", "chat"}, {"model", "gpt-4o"}};
const std::map<std::string, std::string> kAds = {{"team", "ads"}, {"feature", "copy"}, {"model", "claude"}};

Rule RuleNamed(const std::string& name) {
  for (auto& r : DefaultRules()) {
    if (r.name == name) return r;
  }
  ADD_FAILURE() << "no default rule " << name;
  return {};
}

EngineOptions Options() {
  EngineOptions o;
  o.external_url = "https://loupe.example.com/";
  o.lag_seconds = 0;
  return o;
}

// A day of steady traffic before kT0 for both groups: 1 s latency,
// $0.01 per call, 60 calls an hour, judge scores of 4.5.
void SteadyDay(FakeSource& src, uint64_t until = kT0) {
  for (const auto* dims : {&kChat, &kAds}) {
    src.AddCalls(until - kDay - kHour, until, 25 * 60, *dims, 1 * kSec, 10'000'000);
    src.AddScores(until - 2 * kHour, until, 60, *dims, 4.5);
  }
}

std::vector<Alert> Firing(const EvaluationResult& r) {
  std::vector<Alert> out;
  for (const auto& a : r.notify) {
    if (a.state == AlertState::kFiring) out.push_back(a);
  }
  return out;
}

struct Scenario {
  const char* name;
  const char* rule;
  void (*inject)(FakeSource&);  // on top of a steady day
  bool want_fire;
};

TEST(EngineTest, BlueprintRegressionsFireAndSteadyTrafficDoesNot) {
  const std::vector<Scenario> scenarios = {
      {"steady latency", "LlmLatencyRegression", [](FakeSource&) {}, false},
      {"steady quality", "LlmQualityRegression", [](FakeSource&) {}, false},
      {"steady cost", "LlmCostSpike", [](FakeSource&) {}, false},
      {"p95 doubles", "LlmLatencyRegression",
       [](FakeSource& s) { s.AddCalls(kT0 - 10 * kMin, kT0, 200, kChat, 2 * kSec); }, true},
      {"p95 up 30% only", "LlmLatencyRegression",
       [](FakeSource& s) { s.AddCalls(kT0 - 10 * kMin, kT0, 200, kChat, 1300'000'000); }, false},
      {"quality drops to 2.5", "LlmQualityRegression",
       [](FakeSource& s) { s.AddScores(kT0 - kHour, kT0, 200, kChat, 2.5); }, true},
      {"hourly spend x3", "LlmCostSpike",
       [](FakeSource& s) { s.AddCalls(kT0 - kHour, kT0, 250, kChat, 1 * kSec, 10'000'000); }, true},
      {"spend x3 but under the $1 floor", "LlmCostSpike",
       [](FakeSource& s) { s.AddCalls(kT0 - kHour, kT0, 50, kChat, 1 * kSec, 10'000); }, false},
  };
  for (const auto& sc : scenarios) {
    FakeSource src;
    SteadyDay(src);
    sc.inject(src);
    Engine engine(Options(), nullptr);
    engine.SetRules({RuleNamed(sc.rule)});
    auto result = engine.Evaluate(kT0, src);
    auto firing = Firing(result);
    EXPECT_EQ(result.rules_failed, 0u) << sc.name;
    if (!sc.want_fire) {
      EXPECT_TRUE(firing.empty()) << sc.name << ": " << (firing.empty() ? "" : firing[0].summary);
      continue;
    }
    ASSERT_EQ(firing.size(), 1u) << sc.name;
    const Alert& a = firing[0];
    EXPECT_EQ(a.labels.at("alertname"), sc.rule);
    EXPECT_EQ(a.labels.at("team"), "search") << sc.name;
    EXPECT_EQ(a.labels.at("feature"), "chat") << sc.name;
    EXPECT_EQ(a.labels.at("model"), "gpt-4o") << sc.name;
    EXPECT_EQ(a.labels.at("severity"), "warning");
    EXPECT_NE(a.summary.find("feature=chat"), std::string::npos) << a.summary;
    EXPECT_EQ(a.annotations.at("summary"), a.summary);
    EXPECT_TRUE(a.generator_url.starts_with("https://loupe.example.com/traces?since=")) << a.generator_url;
    EXPECT_NE(a.generator_url.find("&feature=chat"), std::string::npos) << a.generator_url;
    EXPECT_NE(a.generator_url.find("&team=search"), std::string::npos);
    EXPECT_NE(a.generator_url.find("&model=gpt-4o"), std::string::npos);
  }
}

TEST(EngineTest, LatencyAlertCarriesNumbersAndExamples) {
  FakeSource src;
  SteadyDay(src);
  src.AddCalls(kT0 - 10 * kMin, kT0, 200, kChat, 4 * kSec);
  Engine engine(Options(), nullptr);
  engine.SetRules({RuleNamed("LlmLatencyRegression")});
  auto firing = Firing(engine.Evaluate(kT0, src));
  ASSERT_EQ(firing.size(), 1u);
  const Alert& a = firing[0];
  // The histogram's buckets bound the error at ~4.5%.
  EXPECT_NEAR(a.value, 4.0, 0.2);
  EXPECT_NEAR(a.baseline, 1.0, 0.05);
  EXPECT_NEAR(a.threshold, 1.5 * a.baseline, 1e-9);
  EXPECT_NE(a.summary.find("p95 latency of feature=chat model=gpt-4o team=search is 4."), std::string::npos)
      << a.summary;
  EXPECT_NE(a.summary.find("its baseline of 1."), std::string::npos) << a.summary;
  EXPECT_NE(a.summary.find("the preceding 1d"), std::string::npos) << a.summary;
  EXPECT_FALSE(a.examples.slowest.empty());
  EXPECT_EQ(a.annotations.at("example_slowest_trace"), a.examples.slowest);
}

TEST(EngineTest, NoAlertBelowMinSamples) {
  for (int current : {3, 19, 20}) {
    FakeSource src;
    SteadyDay(src);
    // Replace the judged window by `current` very slow calls.
    std::erase_if(src.calls, [](const Call& c) { return c.time_ns >= kT0 - 10 * kMin; });
    src.AddCalls(kT0 - 10 * kMin, kT0, current, kChat, 10 * kSec);
    Engine engine(Options(), nullptr);
    engine.SetRules({RuleNamed("LlmLatencyRegression")});
    auto firing = Firing(engine.Evaluate(kT0, src));
    EXPECT_EQ(firing.size(), current >= 20 ? 1u : 0u) << current << " calls";
  }
}

TEST(EngineTest, NoAlertWithoutEnoughBaseline) {
  FakeSource src;  // a brand-new feature: no history at all
  src.AddCalls(kT0 - 10 * kMin, kT0, 200, kChat, 10 * kSec);
  Engine engine(Options(), nullptr);
  engine.SetRules({RuleNamed("LlmLatencyRegression")});
  EXPECT_TRUE(Firing(engine.Evaluate(kT0, src)).empty());
}

TEST(EngineTest, ForKeepFiringForAndResolution) {
  Rule r;
  r.name = "Slow";
  r.kind = RuleKind::kLatencyRegression;
  r.window_seconds = 60;
  r.baseline = BaselineKind::kPrevious;
  r.percentile = 0.5;  // the median: a few slow calls in the baseline do not move it
  r.baseline_window_seconds = 3600;
  r.min_samples = 5;
  r.for_seconds = 60;
  r.keep_firing_for_seconds = 60;
  FakeSource src;
  // Baseline 1 s for the whole hour before; slow from t0 to t0+3m; fast after.
  src.AddCalls(kT0 - kHour, kT0, 3600, kChat, 1 * kSec);
  src.AddCalls(kT0, kT0 + 3 * kMin, 360, kChat, 3 * kSec);
  src.AddCalls(kT0 + 3 * kMin, kT0 + kHour, 3420, kChat, 1 * kSec);
  Engine engine(Options(), nullptr);
  engine.SetRules({r});
  struct Want {
    uint64_t t;
    const char* state;  // "" = no alert tracked
  };
  // Window: the minute before t; baseline: the hour before that.
  const std::vector<Want> steps = {
      {kT0, ""},                        // window all fast
      {kT0 + 30 * kSec, "pending"},     // half the window slow: p95 slow
      {kT0 + 60 * kSec, "pending"},     // 30 s pending, for = 60 s
      {kT0 + 90 * kSec, "firing"},      // 60 s active
      {kT0 + 2 * kMin, "firing"},
      {kT0 + 3 * kMin, "firing"},
      {kT0 + 3 * kMin + 30 * kSec, "firing"},  // last active evaluation
      {kT0 + 4 * kMin, "firing"},              // window fast again: keep_firing_for holds it
      {kT0 + 4 * kMin + 20 * kSec, "firing"},
      {kT0 + 4 * kMin + 30 * kSec, "resolved"},  // 60 s since last active
      {kT0 + 6 * kMin, "resolved"},
  };
  for (const auto& s : steps) {
    engine.Evaluate(s.t, src);
    auto alerts = engine.Alerts();
    std::string got = alerts.empty() ? "" : std::string(AlertStateName(alerts[0].state));
    EXPECT_EQ(got, s.state) << "at t0+" << (s.t - kT0) / kSec << "s";
  }
}

TEST(EngineTest, ResolvedIsNotifiedOnceThenKeptForRetention) {
  FakeSource src;
  SteadyDay(src);
  src.AddCalls(kT0 - 10 * kMin, kT0, 200, kChat, 3 * kSec);
  EngineOptions o = Options();
  o.resolved_retention_seconds = 600;
  Engine engine(o, nullptr);
  engine.SetRules({RuleNamed("LlmLatencyRegression")});
  ASSERT_EQ(Firing(engine.Evaluate(kT0, src)).size(), 1u);
  // 20 minutes later the slow window has passed (no calls since kT0: no data -> resolve).
  auto r = engine.Evaluate(kT0 + 20 * kMin, src);
  ASSERT_EQ(r.notify.size(), 1u);
  EXPECT_EQ(r.notify[0].state, AlertState::kResolved);
  EXPECT_EQ(r.notify[0].resolved_at_ns, kT0 + 20 * kMin);
  EXPECT_TRUE(engine.Evaluate(kT0 + 21 * kMin, src).notify.empty());  // not again
  EXPECT_EQ(engine.Alerts().size(), 1u);                              // still listed as recent
  engine.Evaluate(kT0 + 31 * kMin, src);
  EXPECT_TRUE(engine.Alerts().empty());  // past resolved_retention
}

TEST(EngineTest, NoDataPolicies) {
  for (auto policy : {NoDataPolicy::kResolve, NoDataPolicy::kKeepState, NoDataPolicy::kAlert}) {
    Rule r;
    r.name = "Errors";
    r.kind = RuleKind::kErrorRate;
    r.baseline = BaselineKind::kNone;
    r.window_seconds = 60;
    r.threshold = 0.1;
    r.min_samples = 5;
    r.no_data = policy;
    FakeSource src;
    src.AddCalls(kT0 - kMin, kT0, 10, kChat, kSec, 0, 5);  // 50% errors
    Engine engine(Options(), nullptr);
    engine.SetRules({r});
    ASSERT_EQ(Firing(engine.Evaluate(kT0, src)).size(), 1u);
    auto later = engine.Evaluate(kT0 + 10 * kMin, src);  // no calls at all any more
    auto alerts = engine.Alerts();
    switch (policy) {
      case NoDataPolicy::kResolve:
        ASSERT_EQ(alerts.size(), 1u);
        EXPECT_EQ(alerts[0].state, AlertState::kResolved);
        break;
      case NoDataPolicy::kKeepState:
        ASSERT_EQ(alerts.size(), 1u);
        EXPECT_EQ(alerts[0].state, AlertState::kFiring);
        break;
      case NoDataPolicy::kAlert: {
        // The group's alert keeps firing and the rule raises a nodata alert.
        size_t nodata = 0;
        for (const auto& a : alerts) {
          EXPECT_EQ(a.state, AlertState::kFiring);
          nodata += a.labels.contains("nodata");
        }
        EXPECT_EQ(nodata, 1u);
        break;
      }
    }
  }
}

TEST(EngineTest, LagKeepsTheUnarrivedTailOutOfTheWindow) {
  Rule r;
  r.name = "Quality";
  r.kind = RuleKind::kQualityRegression;
  r.baseline = BaselineKind::kNone;
  r.window_seconds = 3600;
  r.threshold = 3.5;
  r.min_samples = 10;
  FakeSource src;
  src.AddScores(kT0 - 2 * kHour, kT0 - 5 * kMin, 100, kChat, 4.5);
  src.AddScores(kT0 - 5 * kMin, kT0, 100, kChat, 1.0);  // the last 5 minutes are bad...
  EngineOptions o = Options();
  o.lag_seconds = 300;  // ...but they lie inside the scoring lag
  Engine engine(o, nullptr);
  engine.SetRules({r});
  EXPECT_TRUE(Firing(engine.Evaluate(kT0, src)).empty());
  o.lag_seconds = 0;
  Engine eager(o, nullptr);
  eager.SetRules({r});
  EXPECT_EQ(Firing(eager.Evaluate(kT0, src)).size(), 1u);
}

TEST(EngineTest, FailingRuleIsUnhealthyAndOthersRun) {
  FakeSource src;
  SteadyDay(src);
  src.AddCalls(kT0 - 10 * kMin, kT0, 200, kChat, 3 * kSec);
  src.fail_dimension = "user";
  Rule per_user = RuleNamed("LlmCostSpike");
  per_user.name = "UserCost";
  per_user.group_by = {"user"};
  Engine engine(Options(), nullptr);
  engine.SetRules({per_user, RuleNamed("LlmLatencyRegression")});
  auto r = engine.Evaluate(kT0, src);
  EXPECT_EQ(r.rules_failed, 1u);
  EXPECT_EQ(Firing(r).size(), 1u);
  auto rules = engine.Rules();
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].health, "err");
  EXPECT_NE(rules[0].last_error.find("group_by user"), std::string::npos) << rules[0].last_error;
  EXPECT_EQ(rules[0].last_eval_ns, kT0);
  EXPECT_EQ(rules[1].health, "ok");
  EXPECT_EQ(rules[1].firing, 1u);
}

TEST(EngineTest, RulesOfTheSameShapeShareQueries) {
  FakeSource src;
  SteadyDay(src);
  Rule a = RuleNamed("LlmLatencyRegression");
  Rule b = a;
  b.name = "LlmLatencyRegressionP99";
  b.percentile = 0.99;
  b.ratio = 2;
  Rule c = RuleNamed("LlmCostSpike");  // another window: its own queries
  Engine engine(Options(), nullptr);
  engine.SetRules({a, b, c});
  auto r = engine.Evaluate(kT0, src);
  EXPECT_EQ(r.queries, 4u);  // (window, baseline) x 2 shapes
  EXPECT_EQ(r.shared_queries, 2u);
  EXPECT_EQ(src.calls_queries, 4);
}

TEST(EngineTest, PerUserRulesKeepTopK) {
  Rule r;
  r.name = "UserSpend";
  r.kind = RuleKind::kBudget;
  r.baseline = BaselineKind::kNone;
  r.group_by = {"user"};
  r.amount_usd = 0.5;
  r.top_k = 2;
  FakeSource src;
  for (int u = 0; u < 5; ++u) {
    src.AddCalls(kT0, kT0 + kHour, 10 * (u + 1), {{"user", "u" + std::to_string(u)}}, kSec, 100'000'000);
  }
  Engine engine(Options(), nullptr);
  engine.SetRules({r});
  auto firing = Firing(engine.Evaluate(kT0 + 2 * kHour, src));  // since midnight
  ASSERT_EQ(firing.size(), 2u);  // all five are over budget; the top two are watched
  std::set<std::string> users = {firing[0].labels.at("user"), firing[1].labels.at("user")};
  EXPECT_EQ(users, (std::set<std::string>{"u3", "u4"}));
}

TEST(EngineTest, StatePersistsAndRestores) {
  MemoryStateStore store;
  FakeSource src;
  SteadyDay(src);
  src.AddCalls(kT0 - 10 * kMin, kT0, 200, kChat, 3 * kSec);
  std::string fingerprint;
  {
    Engine engine(Options(), &store);
    engine.SetRules({RuleNamed("LlmLatencyRegression")});
    auto firing = Firing(engine.Evaluate(kT0, src));
    ASSERT_EQ(firing.size(), 1u);
    fingerprint = firing[0].fingerprint;
    EXPECT_TRUE(store.values["alert.state"].contains(fingerprint));
    ASSERT_EQ(store.journal.size(), 1u);
    EXPECT_EQ(store.journal[0].kind, "alert");
    EXPECT_EQ(store.journal[0].time_ns, kT0);
    auto payload = nlohmann::json::parse(store.journal[0].payload);
    EXPECT_EQ(payload["state"], "firing");
    EXPECT_EQ(payload["labels"]["feature"], "chat");
  }
  // A restart: the alert is still firing (not re-notified as new) and resolves later.
  Engine engine(Options(), &store);
  engine.SetRules({RuleNamed("LlmLatencyRegression")});
  ASSERT_TRUE(engine.Restore().ok());
  auto r = engine.Evaluate(kT0 + 30 * kSec, src);
  auto alerts = engine.Alerts();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].fingerprint, fingerprint);
  EXPECT_EQ(alerts[0].fired_at_ns, kT0);
  engine.Evaluate(kT0 + 30 * kMin, src);
  ASSERT_EQ(store.journal.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(store.journal[1].payload)["state"], "resolved");
}

TEST(EngineTest, StoreErrorsDoNotStopEvaluation) {
  MemoryStateStore store;
  store.fail = true;
  FakeSource src;
  SteadyDay(src);
  src.AddCalls(kT0 - 10 * kMin, kT0, 200, kChat, 3 * kSec);
  Engine engine(Options(), &store);
  engine.SetRules({RuleNamed("LlmLatencyRegression")});
  EXPECT_FALSE(engine.Restore().ok());
  EXPECT_EQ(Firing(engine.Evaluate(kT0, src)).size(), 1u);
  EXPECT_GT(engine.persist_failures(), 0u);
  EXPECT_NE(engine.persist_error().find("disk on fire"), std::string::npos);
}

TEST(EngineTest, SilencesSuppressNotificationsNotState) {
  MemoryStateStore store;
  FakeSource src;
  SteadyDay(src);
  src.AddCalls(kT0 - 10 * kMin, kT0 + 10 * kMin, 100, kChat, 3 * kSec);
  Engine engine(Options(), &store);
  engine.SetRules({RuleNamed("LlmLatencyRegression")});
  Silence s;
  s.matchers = {"feature=chat", "alertname=~LlmLatency.*"};
  s.ends_at_ns = kT0 + 5 * kMin;
  auto added = engine.AddSilence(s, kT0 - kMin);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_TRUE(store.values["alert.silence"].contains(added->id));
  auto r = engine.Evaluate(kT0, src);
  EXPECT_TRUE(r.notify.empty());
  auto alerts = engine.Alerts();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].state, AlertState::kFiring);
  EXPECT_TRUE(alerts[0].silenced);
  // Once the silence has ended the firing alert is notified.
  EXPECT_EQ(Firing(engine.Evaluate(kT0 + 6 * kMin, src)).size(), 1u);
  // Expiring early works the same.
  s.ends_at_ns = kT0 + kHour;
  auto again = engine.AddSilence(s, kT0 + 6 * kMin);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(engine.Evaluate(kT0 + 7 * kMin, src).notify.empty());
  ASSERT_TRUE(engine.ExpireSilence(again->id, kT0 + 7 * kMin).ok());
  EXPECT_EQ(Firing(engine.Evaluate(kT0 + 8 * kMin, src)).size(), 1u);
  EXPECT_EQ(engine.ExpireSilence("nope", kT0).code(), Status::Code::kNotFound);
  // Bad silences are refused.
  Silence bad;
  bad.matchers = {"team=~("};
  bad.ends_at_ns = kT0 + kHour;
  EXPECT_EQ(engine.AddSilence(bad, kT0).status().code(), Status::Code::kInvalidArgument);
  Silence past;
  past.matchers = {"team=x"};
  past.ends_at_ns = kT0 - 1;
  EXPECT_EQ(engine.AddSilence(past, kT0).status().code(), Status::Code::kInvalidArgument);
}

TEST(EngineTest, ReloadKeepsStateOfRulesThatStay) {
  FakeSource src;
  SteadyDay(src);
  src.AddCalls(kT0 - 10 * kMin, kT0, 200, kChat, 3 * kSec);
  Engine engine(Options(), nullptr);
  engine.SetRules(DefaultRules());
  ASSERT_EQ(Firing(engine.Evaluate(kT0, src)).size(), 1u);
  engine.SetRules({RuleNamed("LlmLatencyRegression")});
  auto alerts = engine.Alerts();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].fired_at_ns, kT0);
  engine.SetRules({RuleNamed("LlmCostSpike")});
  EXPECT_TRUE(engine.Alerts().empty());
}

}  // namespace
}  // namespace loupe::alerting
