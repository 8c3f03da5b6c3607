// Alerting configuration: rules, notifiers and routes, as read from
// `alerting.*` in loupe.yaml and from the reloadable rules file.
//
// Durations are seconds (doubles), so tests can run rules on windows of a
// few seconds; the YAML accepts "10s", "5m", "1h" or a number of seconds.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace loupe::server {
class ConfigReader;
}

namespace loupe::alerting {

enum class RuleKind { kLatencyRegression, kQualityRegression, kCostSpike, kErrorRate, kBudget };
std::string_view RuleKindName(RuleKind kind);
bool ParseRuleKind(std::string_view name, RuleKind* out);

// What a regression is compared against. Never includes the judged window.
enum class BaselineKind {
  kNone,      // no baseline (absolute thresholds only)
  kPrevious,  // the `baseline_window` just before the judged window
  kDayAgo,    // the same window one day earlier
  kWeekAgo,   // the same window one week earlier
  kSeasonal,  // the same window on each of the last `seasonal_days` days, merged
};
std::string_view BaselineKindName(BaselineKind kind);
bool ParseBaselineKind(std::string_view name, BaselineKind* out);

// What a group without (enough) data means for its alert.
enum class NoDataPolicy { kResolve, kKeepState, kAlert };
std::string_view NoDataPolicyName(NoDataPolicy p);
bool ParseNoDataPolicy(std::string_view name, NoDataPolicy* out);

struct Rule {
  std::string name;  // becomes the `alertname` label; unique
  RuleKind kind = RuleKind::kLatencyRegression;
  // Grouping dimensions: team, feature, model, provider, prompt_version,
  // service, environment, user (user: only the top_k groups by value).
  std::vector<std::string> group_by = {"feature", "team", "model"};
  std::map<std::string, std::string> filters;  // dimension -> exact value
  double window_seconds = 600;                 // the judged window
  BaselineKind baseline = BaselineKind::kPrevious;
  double baseline_window_seconds = 86'400;  // kPrevious only
  int seasonal_days = 7;                    // kSeasonal only

  // latency_regression: fires when percentile(window) > ratio x percentile(baseline).
  double percentile = 0.95;
  double ratio = 1.5;
  // quality_regression: mean(window) < threshold, or with a baseline,
  // mean(window) < mean(baseline) - max_drop. error_rate: errors/requests > threshold.
  double threshold = 3.5;
  double max_drop = 0.5;
  std::string evaluator;  // quality: score evaluator filter ("" = all)
  std::string dimension;  // quality: score dimension filter ("" = all, pooled)
  // cost_spike: spend(window) > factor x average spend per window over the
  // baseline, and at least min_usd.
  double factor = 2.0;
  double min_usd = 1.0;
  // budget: spend since the start of `period` ("day" or "month", UTC) > amount_usd.
  std::string period = "day";
  double amount_usd = 100;

  int64_t min_samples = 20;  // requests (scores for quality) needed now and in the baseline
  size_t top_k = 10;         // group_by user: keep this many groups
  double for_seconds = 0;
  double keep_firing_for_seconds = 0;
  NoDataPolicy no_data = NoDataPolicy::kResolve;
  std::string severity = "warning";
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;

  // `prefix` names the rule in messages ("alerting.rules[2]").
  Status Validate(std::string_view prefix) const;
};

enum class NotifierKind { kAlertmanager, kWebhook, kSlack, kPagerDuty };
std::string_view NotifierKindName(NotifierKind kind);
bool ParseNotifierKind(std::string_view name, NotifierKind* out);

struct NotifierConfig {
  std::string name;
  NotifierKind kind = NotifierKind::kWebhook;
  // alertmanager: base URL ("http://127.0.0.1:9093"; /api/v2/alerts is
  // appended). webhook, slack: the full URL. pagerduty: base URL of the
  // Events API (default https://events.pagerduty.com; /v2/enqueue appended).
  std::string url;
  std::string routing_key;  // pagerduty
  std::map<std::string, std::string> headers;
  double timeout_seconds = 10;
  int max_attempts = 5;
  double initial_backoff_seconds = 0.5;
  double max_backoff_seconds = 30;
  size_t queue_size = 1000;  // messages; the oldest is dropped (and counted) when full
  // Direct notifiers (webhook, slack, pagerduty): alerts sharing these
  // labels go in one message; a still-firing group is re-sent after
  // repeat_interval.
  std::vector<std::string> group_by = {"alertname"};
  double repeat_interval_seconds = 4 * 3600;
  // Alertmanager: firing alerts are re-sent this often (Alertmanager
  // resolves an alert it has not heard of for resolve_timeout).
  double resend_interval_seconds = 60;
  // At most one message per this many seconds (Slack: 1 s; PagerDuty: per routing key).
  double min_send_interval_seconds = 0;

  Status Validate(std::string_view prefix) const;
};

// A route sends alerts whose labels match every matcher ("severity=page",
// "team=~search|ads", "env!=dev") to the named notifiers. An alert goes to
// every matching route; with no routes, every notifier gets everything.
struct Route {
  std::vector<std::string> matchers;
  std::vector<std::string> notifiers;
};

struct AlertingConfig {
  bool enabled = true;
  double interval_seconds = 30;  // evaluation interval
  // Windows end at now - lag, so the not-yet-indexed (and not-yet-scored)
  // tail of a window never looks like a drop.
  double lag_seconds = 60;
  std::string external_url;  // server.external_url, for generatorURL links
  std::vector<Rule> rules;   // inline rules (defaults when neither rules nor rules_file is set)
  std::string rules_file;    // YAML with `rules:`; re-read on Reload()
  bool default_rules = true;  // use DefaultRules() when no rule is configured
  std::vector<NotifierConfig> notifiers;
  std::vector<Route> routes;
  double resolved_retention_seconds = 3600;  // resolved alerts stay in GET /alerts this long
  int64_t examples = 3;                      // example trace ids per alert

  Status Validate() const;
};

// The rules that reproduce the blueprint: p95 latency more than 1.5x its
// baseline (the preceding day); mean quality below 3.5 over a rolling hour;
// hourly spend above 2x the daily average (with a $1 floor).
std::vector<Rule> DefaultRules();

// Reads `alerting.*` (external_url is server.external_url, passed in).
// Problems are recorded on the reader with their key path; the result is
// validated. The rules file is not read here (see LoadRulesFile).
Status ReadAlertingConfig(server::ConfigReader& reader, AlertingConfig* out,
                          const std::string& external_url = "");

// Reads the rule list at `path` ("alerting.rules", or "rules" in a rules file).
void ReadRules(server::ConfigReader& reader, std::string_view path, std::vector<Rule>* out);

// Parses a rules file (`rules: [...]`), validated.
Status ParseRulesText(std::string_view yaml, const std::string& source_name, std::vector<Rule>* out);
Status LoadRulesFile(const std::string& path, std::vector<Rule>* out);

// The rules in force: inline + file rules, or the defaults when none.
Status EffectiveRules(const AlertingConfig& config, std::vector<Rule>* out);

}  // namespace loupe::alerting
