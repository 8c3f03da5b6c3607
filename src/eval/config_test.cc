#include "eval/config.h"

#include <gtest/gtest.h>

#include "eval/config_read.h"
#include "server/config_reader.h"

namespace loupe::eval {
namespace {

std::vector<std::string> Read(const std::string& yaml, EvalConfig* out) {
  auto r = server::ConfigReader::FromText(yaml, "test.yaml");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  ReadEvalConfig(**r, out);
  return (*r)->Errors();
}

TEST(EvalConfigTest, DefaultsAreTheIssues) {
  EvalConfig c;
  EXPECT_TRUE(c.Validate().ok());
  EXPECT_DOUBLE_EQ(c.default_rate, 0.1);
  EXPECT_EQ(c.burst.calls, 200u);
  EXPECT_DOUBLE_EQ(c.burst.seconds, 3600);
  EXPECT_DOUBLE_EQ(c.delay_seconds, 10);
  EXPECT_EQ(c.judge.model, "claude-haiku-4-5");
  EXPECT_EQ(c.max_backlog, 10'000u);
  const Rubric* def = c.FindRubric("default");
  ASSERT_NE(def, nullptr);
  ASSERT_EQ(def->dimensions.size(), 3u);
  EXPECT_EQ(def->dimensions[0].name, "accuracy");
  EXPECT_EQ(def->scale_min, 1);
  EXPECT_EQ(def->scale_max, 5);
}

TEST(EvalConfigTest, ReadsEveryKey) {
  EvalConfig c;
  auto errors = Read(R"(
evaluation:
  enabled: true
  seed: s1
  default_rate: 0.25
  per_trace_cap: 2
  delay: 5s
  rules:
    - {name: chat, feature: chat, rate: 0.5, rubric: support}
    - {feature: search, team: core, model: gpt-4o, prompt_version: v2, environment: prod, service: api, rate: 1}
  burst: {enabled: true, calls: 50, period: 30m}
  ab_windows:
    - {feature: chat, prompt_versions: [v6, v7], start: "2026-03-01T00:00:00Z", end: "2026-03-02T00:00:00Z", rate: 0.5}
  rubrics:
    - name: support
      dimensions: [{name: helpfulness, description: Helps the user}, {name: tone}]
      scale: {min: 0, max: 10, integer: true}
      template: "Q: {{q}} A: {{a}}"
      variables: {q: query, a: response}
  judge: {provider: openai, base_url: "http://127.0.0.1:9", model: gpt-4o-mini, api_key_env: MY_KEY, timeout: 5s, max_retries: 1}
  limits: {concurrency: 2, requests_per_minute: 10, tokens_per_minute: 1000}
  budget: {daily_usd: 1.5}
  builtins:
    - {feature: extract, json_schema: '{"type":"object"}', policy_keywords: [secret], pii: false}
  max_backlog: 100
)", &c);
  ASSERT_TRUE(errors.empty()) << errors[0];
  EXPECT_TRUE(c.enabled);
  EXPECT_EQ(c.seed, "s1");
  EXPECT_DOUBLE_EQ(c.default_rate, 0.25);
  EXPECT_EQ(c.per_trace_cap, 2u);
  EXPECT_DOUBLE_EQ(c.delay_seconds, 5);
  ASSERT_EQ(c.rules.size(), 2u);
  EXPECT_EQ(c.rules[0].rubric, "support");
  EXPECT_EQ(c.rules[1].name, "rule1");
  EXPECT_EQ(c.rules[1].service, "api");
  EXPECT_EQ(c.burst.calls, 50u);
  EXPECT_DOUBLE_EQ(c.burst.seconds, 1800);
  ASSERT_EQ(c.ab_windows.size(), 1u);
  EXPECT_EQ(c.ab_windows[0].end_ns - c.ab_windows[0].start_ns, 86400ull * 1'000'000'000ull);
  ASSERT_EQ(c.rubrics.size(), 1u);
  EXPECT_EQ(c.rubrics[0].dimensions[1].name, "tone");
  EXPECT_EQ(c.rubrics[0].scale_max, 10);
  EXPECT_EQ(c.rubrics[0].variables.at("a"), "response");
  EXPECT_EQ(c.judge.provider, "openai");
  EXPECT_EQ(c.judge.max_retries, 1);
  EXPECT_EQ(c.limits.tokens_per_minute, 1000);
  EXPECT_DOUBLE_EQ(c.daily_budget_usd, 1.5);
  ASSERT_EQ(c.builtins.size(), 1u);
  EXPECT_FALSE(c.builtins[0].pii);
  EXPECT_EQ(c.builtins[0].policy_keywords, std::vector<std::string>{"secret"});
  EXPECT_EQ(c.max_backlog, 100u);
}

TEST(EvalConfigTest, ValidationNamesTheKeyPath) {
  struct Case {
    std::string yaml, want;
  } cases[] = {
      {"evaluation: {rules: [{name: a, rate: 1.5}]}", "evaluation.rules[0].rate: must be in [0, 1]"},
      {"evaluation: {rules: [{name: a, rubric: nope}]}", "evaluation.rules[0].rubric: unknown rubric"},
      {"evaluation: {judge: {provider: gemini}}", "evaluation.judge.provider"},
      {"evaluation: {rubrics: [{name: x, dimensions: [{name: Bad-Name}]}]}", "evaluation.rubrics[0].dimensions[0].name"},
      {"evaluation: {rubrics: [{name: x, dimensions: [{name: a}], variables: {q: nowhere}}]}",
       "evaluation.rubrics[0].variables.q: unknown span field"},
      {"evaluation: {ab_windows: [{feature: f, start: yesterday}]}", "evaluation.ab_windows[0].start: want an RFC 3339"},
      {"evaluation: {limits: {concurrency: 0}}", "evaluation.limits.concurrency"},
      {"evaluation: {budget: {daily_usd: -1}}", "evaluation.budget.daily_usd"},
      {"evaluation: {default_rate: abc}", "evaluation.default_rate"},
  };
  for (const auto& c : cases) {
    EvalConfig config;
    auto errors = Read(c.yaml, &config);
    ASSERT_FALSE(errors.empty()) << c.yaml;
    EXPECT_NE(errors[0].find(c.want), std::string::npos) << errors[0];
  }
}

TEST(EvalConfigTest, Rfc3339) {
  uint64_t ns = 0;
  EXPECT_TRUE(ParseRfc3339("1970-01-01T00:00:01Z", &ns));
  EXPECT_EQ(ns, 1'000'000'000u);
  EXPECT_TRUE(ParseRfc3339("1970-01-01T01:00:01.5+01:00", &ns));
  EXPECT_EQ(ns, 1'500'000'000u);
  EXPECT_FALSE(ParseRfc3339("1970-01-01", &ns));
  EXPECT_FALSE(ParseRfc3339("1970-01-01T00:00:00", &ns));
  EXPECT_FALSE(ParseRfc3339("1970-13-01T00:00:00Z", &ns));
  EXPECT_FALSE(ParseRfc3339("1970-01-01T00:00:00Zjunk", &ns));
}

}  // namespace
}  // namespace loupe::eval
