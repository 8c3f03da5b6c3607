#include "alerting/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "server/config_reader.h"

namespace loupe::alerting {
namespace {

Status Read(const std::string& yaml, AlertingConfig* out, std::vector<std::string>* errors = nullptr) {
  auto reader = server::ConfigReader::FromText(yaml, "loupe.yaml");
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  Status s = ReadAlertingConfig(**reader, out, "https://loupe.example.com");
  if (errors) *errors = (*reader)->Errors();
  return s;
}

TEST(AlertingConfigTest, DefaultsReproduceTheBlueprint) {
  auto rules = DefaultRules();
  ASSERT_EQ(rules.size(), 3u);
  const Rule& latency = rules[0];
  EXPECT_EQ(latency.kind, RuleKind::kLatencyRegression);
  EXPECT_DOUBLE_EQ(latency.percentile, 0.95);
  EXPECT_DOUBLE_EQ(latency.ratio, 1.5);  // "more than 50% above"
  EXPECT_EQ(latency.baseline, BaselineKind::kPrevious);
  const Rule& quality = rules[1];
  EXPECT_EQ(quality.kind, RuleKind::kQualityRegression);
  EXPECT_DOUBLE_EQ(quality.window_seconds, 3600);  // a rolling hour
  EXPECT_EQ(quality.baseline, BaselineKind::kNone);
  const Rule& cost = rules[2];
  EXPECT_EQ(cost.kind, RuleKind::kCostSpike);
  EXPECT_DOUBLE_EQ(cost.window_seconds, 3600);             // hourly spend
  EXPECT_DOUBLE_EQ(cost.baseline_window_seconds, 86'400);  // the daily average
  EXPECT_DOUBLE_EQ(cost.factor, 2);
  for (const auto& r : rules) {
    EXPECT_EQ(r.group_by, (std::vector<std::string>{"feature", "team", "model"}));
    EXPECT_TRUE(r.Validate(r.name).ok());
  }
  AlertingConfig c;
  EXPECT_DOUBLE_EQ(c.interval_seconds, 30);
  std::vector<Rule> effective;
  ASSERT_TRUE(EffectiveRules(c, &effective).ok());
  EXPECT_EQ(effective.size(), 3u);
}

TEST(AlertingConfigTest, ReadsEverything) {
  AlertingConfig c;
  Status s = Read(R"(
alerting:
  interval: 5s
  lag: 2
  rules:
    - name: ChatSlow
      kind: latency_regression
      group_by: [feature, model]
      filters: {team: search}
      window: 30s
      baseline: seasonal
      seasonal_days: 3
      percentile: 0.99
      ratio: 2
      min_samples: 5
      for: 1m
      keep_firing_for: 90
      no_data: keep_state
      severity: page
      labels: {owner: oncall}
      annotations: {runbook: https://wiki/slow}
    - name: Spend
      kind: budget
      period: month
      amount_usd: 250
  notifiers:
    - name: am
      kind: alertmanager
      url: http://127.0.0.1:9093
    - name: pd
      kind: pagerduty
      routing_key: R123
    - name: chat
      kind: slack
      url: https://hooks.slack.com/services/x
  routes:
    - matchers: ["severity=page"]
      notifiers: [pd]
    - matchers: ["team=~.+"]
      notifiers: [am, chat]
)", &c);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_DOUBLE_EQ(c.interval_seconds, 5);
  EXPECT_DOUBLE_EQ(c.lag_seconds, 2);
  EXPECT_EQ(c.external_url, "https://loupe.example.com");
  ASSERT_EQ(c.rules.size(), 2u);
  const Rule& r = c.rules[0];
  EXPECT_EQ(r.group_by, (std::vector<std::string>{"feature", "model"}));
  EXPECT_EQ(r.filters.at("team"), "search");
  EXPECT_DOUBLE_EQ(r.window_seconds, 30);
  EXPECT_EQ(r.baseline, BaselineKind::kSeasonal);
  EXPECT_EQ(r.seasonal_days, 3);
  EXPECT_DOUBLE_EQ(r.for_seconds, 60);
  EXPECT_DOUBLE_EQ(r.keep_firing_for_seconds, 90);
  EXPECT_EQ(r.no_data, NoDataPolicy::kKeepState);
  EXPECT_EQ(r.severity, "page");
  EXPECT_EQ(r.labels.at("owner"), "oncall");
  EXPECT_EQ(c.rules[1].kind, RuleKind::kBudget);
  EXPECT_EQ(c.rules[1].period, "month");
  EXPECT_EQ(c.rules[1].baseline, BaselineKind::kNone);  // kind default
  ASSERT_EQ(c.notifiers.size(), 3u);
  EXPECT_EQ(c.notifiers[1].kind, NotifierKind::kPagerDuty);
  EXPECT_DOUBLE_EQ(c.notifiers[2].min_send_interval_seconds, 1);  // Slack: one message a second
  ASSERT_EQ(c.routes.size(), 2u);
  EXPECT_EQ(c.routes[1].notifiers, (std::vector<std::string>{"am", "chat"}));
}

TEST(AlertingConfigTest, ErrorsNameTheKey) {
  struct Case {
    const char* yaml;
    const char* want;
  };
  const std::vector<Case> cases = {
      {"alerting:\n  rules:\n    - {name: A, kind: latency_regresion}\n", "alerting.rules[0].kind"},
      {"alerting:\n  rules:\n    - {name: A, kind: cost_spike, group_by: [planet]}\n", "alerting.rules[0].group_by"},
      {"alerting:\n  rules:\n    - {name: A, kind: latency_regression, baseline: none}\n", "alerting.rules[0].baseline"},
      {"alerting:\n  rules:\n    - {name: A, kind: error_rate}\n    - {name: A, kind: error_rate}\n", "alerting.rules[1].name"},
      {"alerting:\n  rules:\n    - {name: A, kind: error_rate, window: soon}\n", "alerting.rules[0].window"},
      {"alerting:\n  notifiers:\n    - {name: x, kind: webhook, url: ftp://x}\n", "alerting.notifiers[0].url"},
      {"alerting:\n  notifiers:\n    - {name: x, kind: pagerduty}\n", "alerting.notifiers[0].routing_key"},
      {"alerting:\n  notifiers:\n    - {name: x, kind: webhook, url: 'http://x'}\n  routes:\n    - {matchers: ['a=~('], notifiers: [x]}\n",
       "alerting.routes[0].matchers"},
      {"alerting:\n  notifiers:\n    - {name: x, kind: webhook, url: 'http://x'}\n  routes:\n    - {matchers: ['a=b'], notifiers: [y]}\n",
       "alerting.routes[0].notifiers"},
  };
  for (const auto& c : cases) {
    AlertingConfig cfg;
    std::vector<std::string> errors;
    Read(c.yaml, &cfg, &errors);
    ASSERT_FALSE(errors.empty()) << c.yaml;
    EXPECT_NE(errors[0].find(c.want), std::string::npos) << errors[0];
  }
}

TEST(AlertingConfigTest, RulesFileIsReadAndReloadable) {
  std::string path = ::testing::TempDir() + "/alert_rules_test.yaml";
  std::ofstream(path) << "rules:\n  - name: FileRule\n    kind: error_rate\n    threshold: 0.2\n";
  AlertingConfig c;
  c.rules_file = path;
  std::vector<Rule> rules;
  ASSERT_TRUE(EffectiveRules(c, &rules).ok());
  ASSERT_EQ(rules.size(), 1u);  // a rules file replaces the defaults
  EXPECT_EQ(rules[0].name, "FileRule");
  EXPECT_DOUBLE_EQ(rules[0].threshold, 0.2);
  std::ofstream(path) << "rules:\n  - name: FileRule\n    kind: nope\n";
  Status s = EffectiveRules(c, &rules);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("rules[0].kind"), std::string::npos) << s.ToString();
  EXPECT_EQ(rules[0].name, "FileRule");  // untouched on error
  std::remove(path.c_str());
  EXPECT_FALSE(EffectiveRules(c, &rules).ok());
}

TEST(AlertingConfigTest, ParseRulesTextRejectsBadYaml) {
  std::vector<Rule> rules;
  EXPECT_FALSE(ParseRulesText("rules: [", "inline", &rules).ok());
  EXPECT_TRUE(ParseRulesText("rules:\n  - {name: Q, kind: quality_regression, threshold: 3}\n", "inline", &rules).ok());
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_DOUBLE_EQ(rules[0].window_seconds, 3600);
}

}  // namespace
}  // namespace loupe::alerting
