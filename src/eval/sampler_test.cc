#include "eval/sampler.h"

#include <gtest/gtest.h>

#include <cmath>

#include "eval/testing/spans.h"

namespace loupe::eval {
namespace {

using testing::CallSpec;
using testing::MakeCall;

constexpr uint64_t kSec = 1'000'000'000ull;

EvalConfig NoBurst() {
  EvalConfig c;
  c.burst.enabled = false;
  c.per_trace_cap = 1000;
  return c;
}

TEST(SamplerTest, DecisionsAreDeterministicAndSeeded) {
  EvalConfig c = NoBurst();
  c.default_rate = 0.5;
  Sampler a(c), b(c);
  EvalConfig other = c;
  other.seed = "another";
  Sampler d(other);
  int same = 0, differs_by_seed = 0;
  for (uint64_t i = 1; i <= 400; ++i) {
    auto rec = MakeCall({.trace = i, .span = i * 7});
    bool x = a.Decide(rec).judge;
    EXPECT_EQ(x, b.Decide(rec).judge);
    EXPECT_EQ(x, a.Decide(rec).judge);  // redelivery decides the same
    same += x;
    differs_by_seed += x != d.Decide(rec).judge;
  }
  EXPECT_GT(same, 0);
  EXPECT_GT(differs_by_seed, 100);  // independent hash per seed: ~50% differ
}

TEST(SamplerTest, SpanIdMattersNotJustTraceId) {
  // Upstream samplers keep whole traces by trace id; ours must not line up.
  int sampled = 0;
  EvalConfig c = NoBurst();
  c.default_rate = 0.5;
  Sampler s(c);
  for (uint64_t span = 1; span <= 200; ++span) sampled += s.Decide(MakeCall({.trace = 42, .span = span})).judge;
  EXPECT_GT(sampled, 60);
  EXPECT_LT(sampled, 140);
}

TEST(SamplerTest, RatesWithinStatisticalTolerance) {
  for (double rate : {0.01, 0.1, 0.5, 0.9}) {
    EvalConfig c = NoBurst();
    c.default_rate = rate;
    Sampler s(c);
    const int n = 20'000;
    int hits = 0;
    for (int i = 0; i < n; ++i) hits += s.Decide(MakeCall({.trace = static_cast<uint64_t>(i) + 1, .span = 3})).judge;
    const double sd = std::sqrt(n * rate * (1 - rate));
    EXPECT_NEAR(hits, n * rate, 5 * sd) << "rate " << rate;  // 5 sigma
  }
}

TEST(SamplerTest, FirstMatchingRuleWinsAndPicksRubric) {
  EvalConfig c = NoBurst();
  c.default_rate = 0;
  c.rubrics.push_back({"support", {{"helpfulness", ""}}, 1, 5, true, "", {}});
  c.rules.push_back({"beta-env", "", "", "", "", "staging", "", 0.0, ""});
  c.rules.push_back({"chat", "chat", "", "", "", "", "", 1.0, "support"});
  Sampler s(c);
  auto prod = s.Decide(MakeCall({.trace = 1, .feature = "chat"}));
  EXPECT_TRUE(prod.judge);
  EXPECT_EQ(prod.rubric, "support");
  EXPECT_NE(prod.reason.find("rule chat"), std::string::npos);
  EXPECT_FALSE(s.Decide(MakeCall({.trace = 2, .feature = "chat", .environment = "staging"})).judge);
  EXPECT_FALSE(s.Decide(MakeCall({.trace = 3, .feature = "search"})).judge);  // default 0
  // Rules match on model and service too.
  EvalConfig m = NoBurst();
  m.default_rate = 0;
  m.rules.push_back({"m", "", "", "claude", "", "", "svc", 1.0, ""});
  Sampler sm(m);
  EXPECT_TRUE(sm.Decide(MakeCall({.trace = 4, .model = "claude", .service = "svc"})).judge);
  EXPECT_FALSE(sm.Decide(MakeCall({.trace = 5, .model = "claude", .service = "other"})).judge);
}

TEST(SamplerTest, NeverInternalContentlessOrEmbeddings) {
  EvalConfig c = NoBurst();
  c.default_rate = 1.0;
  Sampler s(c);
  auto internal = MakeCall({.trace = 1});
  internal.span.attributes.Add("loupe.internal", true);
  EXPECT_FALSE(s.Decide(internal).judge);
  EXPECT_FALSE(s.Decide(internal).builtins);
  EXPECT_FALSE(s.Decide(MakeCall({.trace = 2, .content = false})).judge);
  auto emb = MakeCall({.trace = 3});
  emb.llm->operation = "embeddings";
  EXPECT_FALSE(s.Decide(emb).judge);
  model::SpanRecord plain;  // not an LLM call
  EXPECT_FALSE(s.Decide(plain).judge);
  EXPECT_TRUE(s.Decide(MakeCall({.trace = 4})).judge);
}

TEST(SamplerTest, PerTraceCap) {
  EvalConfig c = NoBurst();
  c.default_rate = 1.0;
  c.per_trace_cap = 3;
  Sampler s(c);
  int judged = 0, builtins = 0;
  for (uint64_t span = 1; span <= 50; ++span) {
    auto d = s.Decide(MakeCall({.trace = 9, .span = span}));
    judged += d.judge;
    builtins += d.builtins;
  }
  EXPECT_EQ(judged, 3);
  EXPECT_EQ(builtins, 50);  // free evaluators are not capped
}

TEST(SamplerTest, BurstAfterPromptVersionChange) {
  EvalConfig c;
  c.default_rate = 0;
  c.per_trace_cap = 1000;
  c.burst.calls = 5;
  c.burst.seconds = 3600;
  Sampler s(c);
  const uint64_t t0 = 1'700'000'000 * kSec;
  int judged = 0;
  for (uint64_t i = 1; i <= 20; ++i) {
    auto d = s.Decide(MakeCall({.trace = i, .start_ns = t0 + i * kSec, .prompt_version = "v7"}));
    judged += d.judge;
    if (i <= 5) {
      EXPECT_EQ(d.reason, "burst prompt v7");
    }
  }
  EXPECT_EQ(judged, 5);  // the first 5 calls, then the rate (0)
  // Another version of the same feature bursts on its own.
  EXPECT_TRUE(s.Decide(MakeCall({.trace = 100, .start_ns = t0, .prompt_version = "v8"})).judge);
  // The period ends the burst even if the count is not reached.
  EXPECT_FALSE(s.Decide(MakeCall({.trace = 101, .start_ns = t0 + 3601 * kSec, .prompt_version = "v8"})).judge);
  // No version: no burst.
  EXPECT_FALSE(s.Decide(MakeCall({.trace = 102, .start_ns = t0, .prompt_version = ""})).judge);
}

TEST(SamplerTest, RestartDoesNotBurstAgain) {
  EvalConfig c;
  c.default_rate = 0;
  c.per_trace_cap = 1000;
  c.burst.calls = 3;
  const uint64_t t0 = 1'700'000'000 * kSec;
  std::vector<std::pair<std::string, std::string>> persisted;
  {
    Sampler s(c);
    EXPECT_TRUE(s.Decide(MakeCall({.trace = 1, .start_ns = t0, .prompt_version = "v2"})).judge);
    EXPECT_TRUE(s.Decide(MakeCall({.trace = 2, .start_ns = t0, .prompt_version = "v2"})).judge);
    persisted = s.TakeDirtyFirstSeen();
    EXPECT_TRUE(s.TakeDirtyFirstSeen().empty());
  }
  ASSERT_EQ(persisted.size(), 1u);
  EXPECT_EQ(persisted[0].first, Sampler::FirstSeenKey("chat", "v2"));
  Sampler restarted(c);
  restarted.LoadFirstSeen(persisted);
  // One call of the burst is left; then nothing, and the period is kept
  // from the first sighting, not from the restart.
  EXPECT_TRUE(restarted.Decide(MakeCall({.trace = 3, .start_ns = t0 + kSec, .prompt_version = "v2"})).judge);
  EXPECT_FALSE(restarted.Decide(MakeCall({.trace = 4, .start_ns = t0 + kSec, .prompt_version = "v2"})).judge);
  Sampler late(c);
  late.LoadFirstSeen({{Sampler::FirstSeenKey("chat", "v2"), std::to_string(t0) + " 0"}});
  EXPECT_FALSE(late.Decide(MakeCall({.trace = 5, .start_ns = t0 + 7200 * kSec, .prompt_version = "v2"})).judge);
}

TEST(SamplerTest, AbWindow) {
  EvalConfig c = NoBurst();
  c.default_rate = 0;
  const uint64_t t0 = 1'700'000'000 * kSec;
  c.ab_windows.push_back({"chat", {"v6", "v7"}, t0, t0 + 3600 * kSec, 1.0});
  Sampler s(c);
  EXPECT_TRUE(s.Decide(MakeCall({.trace = 1, .start_ns = t0 + kSec, .prompt_version = "v6"})).judge);
  EXPECT_TRUE(s.Decide(MakeCall({.trace = 2, .start_ns = t0 + kSec, .prompt_version = "v7"})).judge);
  EXPECT_FALSE(s.Decide(MakeCall({.trace = 3, .start_ns = t0 + kSec, .prompt_version = "v5"})).judge);
  EXPECT_FALSE(s.Decide(MakeCall({.trace = 4, .start_ns = t0 + 3600 * kSec, .prompt_version = "v6"})).judge);
}

}  // namespace
}  // namespace loupe::eval
