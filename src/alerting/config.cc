#include "alerting/config.h"

#include <set>

#include "alerting/matcher.h"
#include "server/config_reader.h"

namespace loupe::alerting {
namespace {

template <typename E, size_t N>
bool ParseEnum(std::string_view name, const std::pair<E, std::string_view> (&table)[N], E* out) {
  for (const auto& [e, n] : table) {
    if (n == name) {
      *out = e;
      return true;
    }
  }
  return false;
}
template <typename E, size_t N>
std::string_view EnumName(E e, const std::pair<E, std::string_view> (&table)[N]) {
  for (const auto& [v, n] : table) {
    if (v == e) return n;
  }
  return "?";
}

constexpr std::pair<RuleKind, std::string_view> kKinds[] = {
    {RuleKind::kLatencyRegression, "latency_regression"},
    {RuleKind::kQualityRegression, "quality_regression"},
    {RuleKind::kCostSpike, "cost_spike"},
    {RuleKind::kErrorRate, "error_rate"},
    {RuleKind::kBudget, "budget"}};
constexpr std::pair<BaselineKind, std::string_view> kBaselines[] = {
    {BaselineKind::kNone, "none"},       {BaselineKind::kPrevious, "previous"},
    {BaselineKind::kDayAgo, "day_ago"},  {BaselineKind::kWeekAgo, "week_ago"},
    {BaselineKind::kSeasonal, "seasonal"}};
constexpr std::pair<NoDataPolicy, std::string_view> kNoData[] = {
    {NoDataPolicy::kResolve, "resolve"}, {NoDataPolicy::kKeepState, "keep_state"}, {NoDataPolicy::kAlert, "alert"}};
constexpr std::pair<NotifierKind, std::string_view> kNotifiers[] = {
    {NotifierKind::kAlertmanager, "alertmanager"},
    {NotifierKind::kWebhook, "webhook"},
    {NotifierKind::kSlack, "slack"},
    {NotifierKind::kPagerDuty, "pagerduty"}};

const std::set<std::string, std::less<>>& GroupDimensions() {
  static const std::set<std::string, std::less<>> dims = {
      "team", "feature", "model", "provider", "prompt_version", "service", "environment", "user"};
  return dims;
}

Status Bad(std::string_view prefix, std::string_view key, const std::string& what) {
  return Status::InvalidArgument(std::string(prefix) + "." + std::string(key) + ": " + what);
}

bool ValidLabelName(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace

std::string_view RuleKindName(RuleKind kind) { return EnumName(kind, kKinds); }
bool ParseRuleKind(std::string_view name, RuleKind* out) { return ParseEnum(name, kKinds, out); }
std::string_view BaselineKindName(BaselineKind kind) { return EnumName(kind, kBaselines); }
bool ParseBaselineKind(std::string_view name, BaselineKind* out) { return ParseEnum(name, kBaselines, out); }
std::string_view NoDataPolicyName(NoDataPolicy p) { return EnumName(p, kNoData); }
bool ParseNoDataPolicy(std::string_view name, NoDataPolicy* out) { return ParseEnum(name, kNoData, out); }
std::string_view NotifierKindName(NotifierKind kind) { return EnumName(kind, kNotifiers); }
bool ParseNotifierKind(std::string_view name, NotifierKind* out) { return ParseEnum(name, kNotifiers, out); }

Status Rule::Validate(std::string_view prefix) const {
  if (!ValidLabelName(name)) return Bad(prefix, "name", "must be letters, digits and '_' (it is the alertname label)");
  for (const auto& g : group_by) {
    if (!GroupDimensions().contains(g)) return Bad(prefix, "group_by", "unknown dimension \"" + g + "\"");
  }
  for (const auto& [k, v] : filters) {
    if (!GroupDimensions().contains(k)) return Bad(prefix, "filters." + k, "unknown dimension");
  }
  if (!(window_seconds > 0)) return Bad(prefix, "window", "must be > 0");
  if (baseline == BaselineKind::kPrevious && !(baseline_window_seconds > 0)) {
    return Bad(prefix, "baseline_window", "must be > 0");
  }
  if (baseline == BaselineKind::kSeasonal && (seasonal_days < 1 || seasonal_days > 60)) {
    return Bad(prefix, "seasonal_days", "must be 1..60");
  }
  if ((kind == RuleKind::kLatencyRegression || kind == RuleKind::kCostSpike) && baseline == BaselineKind::kNone) {
    return Bad(prefix, "baseline", "a " + std::string(RuleKindName(kind)) + " rule needs a baseline");
  }
  if (!(percentile > 0 && percentile <= 1)) return Bad(prefix, "percentile", "must be in (0, 1]");
  if (!(ratio > 0)) return Bad(prefix, "ratio", "must be > 0");
  if (!(factor > 0)) return Bad(prefix, "factor", "must be > 0");
  if (min_usd < 0) return Bad(prefix, "min_usd", "must be >= 0");
  if (period != "day" && period != "month") return Bad(prefix, "period", "must be day or month");
  if (min_samples < 0) return Bad(prefix, "min_samples", "must be >= 0");
  if (for_seconds < 0) return Bad(prefix, "for", "must be >= 0");
  if (keep_firing_for_seconds < 0) return Bad(prefix, "keep_firing_for", "must be >= 0");
  if (top_k == 0) return Bad(prefix, "top_k", "must be >= 1");
  for (const auto& [k, v] : labels) {
    if (!ValidLabelName(k)) return Bad(prefix, "labels." + k, "invalid label name");
  }
  return Status::Ok();
}

Status NotifierConfig::Validate(std::string_view prefix) const {
  if (name.empty()) return Bad(prefix, "name", "is required");
  bool pd_default = kind == NotifierKind::kPagerDuty && url.empty();
  if (!pd_default && !url.starts_with("http://") && !url.starts_with("https://")) {
    return Bad(prefix, "url", "must start with http:// or https:// (got \"" + url + "\")");
  }
  if (kind == NotifierKind::kPagerDuty && routing_key.empty()) return Bad(prefix, "routing_key", "is required");
  for (const auto& [k, v] : headers) {
    if (k.empty() || k.find_first_of(" :\r\n") != std::string::npos) return Bad(prefix, "headers", "bad header name");
    if (v.find_first_of("\r\n") != std::string::npos) return Bad(prefix, "headers." + k, "contains a line break");
  }
  if (!(timeout_seconds > 0)) return Bad(prefix, "timeout", "must be > 0");
  if (max_attempts < 1) return Bad(prefix, "max_attempts", "must be >= 1");
  if (!(initial_backoff_seconds > 0) || max_backoff_seconds < initial_backoff_seconds) {
    return Bad(prefix, "initial_backoff", "must be > 0 and <= max_backoff");
  }
  if (queue_size == 0) return Bad(prefix, "queue_size", "must be >= 1");
  if (!(repeat_interval_seconds > 0)) return Bad(prefix, "repeat_interval", "must be > 0");
  if (!(resend_interval_seconds > 0)) return Bad(prefix, "resend_interval", "must be > 0");
  if (min_send_interval_seconds < 0) return Bad(prefix, "min_send_interval", "must be >= 0");
  return Status::Ok();
}

Status AlertingConfig::Validate() const {
  if (!(interval_seconds > 0)) return Status::InvalidArgument("alerting.interval: must be > 0");
  if (lag_seconds < 0) return Status::InvalidArgument("alerting.lag: must be >= 0");
  std::set<std::string> names;
  for (size_t i = 0; i < rules.size(); ++i) {
    std::string prefix = "alerting.rules[" + std::to_string(i) + "]";
    LOUPE_RETURN_IF_ERROR(rules[i].Validate(prefix));
    if (!names.insert(rules[i].name).second) return Bad(prefix, "name", "\"" + rules[i].name + "\" is used twice");
  }
  std::set<std::string> notifier_names;
  for (size_t i = 0; i < notifiers.size(); ++i) {
    std::string prefix = "alerting.notifiers[" + std::to_string(i) + "]";
    LOUPE_RETURN_IF_ERROR(notifiers[i].Validate(prefix));
    if (!notifier_names.insert(notifiers[i].name).second) {
      return Bad(prefix, "name", "\"" + notifiers[i].name + "\" is used twice");
    }
  }
  for (size_t i = 0; i < routes.size(); ++i) {
    std::string prefix = "alerting.routes[" + std::to_string(i) + "]";
    for (const auto& m : routes[i].matchers) {
      auto parsed = ParseMatcher(m);
      if (!parsed.ok()) return Bad(prefix, "matchers", parsed.status().message());
    }
    if (routes[i].notifiers.empty()) return Bad(prefix, "notifiers", "must name at least one notifier");
    for (const auto& n : routes[i].notifiers) {
      if (!notifier_names.contains(n)) return Bad(prefix, "notifiers", "no notifier called \"" + n + "\"");
    }
  }
  return Status::Ok();
}

std::vector<Rule> DefaultRules() {
  Rule latency;
  latency.name = "LlmLatencyRegression";
  latency.kind = RuleKind::kLatencyRegression;
  latency.window_seconds = 600;
  latency.baseline = BaselineKind::kPrevious;
  latency.baseline_window_seconds = 86'400;
  latency.percentile = 0.95;
  latency.ratio = 1.5;
  latency.min_samples = 20;
  latency.annotations["description"] = "p95 LLM latency more than 50% above its baseline (the preceding day)";

  Rule quality;
  quality.name = "LlmQualityRegression";
  quality.kind = RuleKind::kQualityRegression;
  quality.window_seconds = 3600;
  quality.baseline = BaselineKind::kNone;
  quality.threshold = 3.5;
  quality.min_samples = 10;
  quality.annotations["description"] = "mean quality score below 3.5 (judge scale 1..5) over the last hour";

  Rule cost;
  cost.name = "LlmCostSpike";
  cost.kind = RuleKind::kCostSpike;
  cost.window_seconds = 3600;
  cost.baseline = BaselineKind::kPrevious;
  cost.baseline_window_seconds = 86'400;
  cost.factor = 2.0;
  cost.min_usd = 1.0;
  cost.min_samples = 10;
  cost.annotations["description"] = "hourly spend above twice the daily average";
  return {latency, quality, cost};
}

void ReadRules(server::ConfigReader& r, std::string_view path, std::vector<Rule>* out) {
  size_t n = r.ListSize(path);
  std::vector<Rule> rules;
  for (size_t i = 0; i < n; ++i) {
    std::string p = std::string(path) + "[" + std::to_string(i) + "].";
    Rule rule;
    auto key = [&](const char* k) { return p + k; };
    r.GetString(key("name"), &rule.name);
    std::string text;
    r.GetString(key("kind"), &text);
    if (!ParseRuleKind(text, &rule.kind)) {
      r.AddError(key("kind") + ": want latency_regression, quality_regression, cost_spike, error_rate or budget (got \"" + text + "\")");
    }
    // Kind-specific defaults before the explicit keys.
    if (rule.kind == RuleKind::kQualityRegression || rule.kind == RuleKind::kErrorRate ||
        rule.kind == RuleKind::kBudget) {
      rule.baseline = BaselineKind::kNone;
    }
    if (rule.kind == RuleKind::kErrorRate) rule.threshold = 0.05;
    if (rule.kind == RuleKind::kQualityRegression || rule.kind == RuleKind::kCostSpike) {
      rule.window_seconds = 3600;
      rule.min_samples = 10;
    }
    r.GetStringList(key("group_by"), &rule.group_by);
    r.GetStringMap(key("filters"), &rule.filters);
    r.GetSeconds(key("window"), &rule.window_seconds);
    std::string baseline;
    r.GetString(key("baseline"), &baseline);
    if (!baseline.empty() && !ParseBaselineKind(baseline, &rule.baseline)) {
      r.AddError(key("baseline") + ": want none, previous, day_ago, week_ago or seasonal (got \"" + baseline + "\")");
    }
    r.GetSeconds(key("baseline_window"), &rule.baseline_window_seconds);
    int64_t days = rule.seasonal_days;
    r.GetInt(key("seasonal_days"), &days);
    rule.seasonal_days = static_cast<int>(days);
    r.GetDouble(key("percentile"), &rule.percentile);
    r.GetDouble(key("ratio"), &rule.ratio);
    r.GetDouble(key("threshold"), &rule.threshold);
    r.GetDouble(key("max_drop"), &rule.max_drop);
    r.GetString(key("evaluator"), &rule.evaluator);
    r.GetString(key("dimension"), &rule.dimension);
    r.GetDouble(key("factor"), &rule.factor);
    r.GetDouble(key("min_usd"), &rule.min_usd);
    r.GetString(key("period"), &rule.period);
    r.GetDouble(key("amount_usd"), &rule.amount_usd);
    r.GetInt(key("min_samples"), &rule.min_samples);
    r.GetSize(key("top_k"), &rule.top_k);
    r.GetSeconds(key("for"), &rule.for_seconds);
    r.GetSeconds(key("keep_firing_for"), &rule.keep_firing_for_seconds);
    std::string no_data;
    r.GetString(key("no_data"), &no_data);
    if (!no_data.empty() && !ParseNoDataPolicy(no_data, &rule.no_data)) {
      r.AddError(key("no_data") + ": want resolve, keep_state or alert (got \"" + no_data + "\")");
    }
    r.GetString(key("severity"), &rule.severity);
    r.GetStringMap(key("labels"), &rule.labels);
    r.GetStringMap(key("annotations"), &rule.annotations);
    rules.push_back(std::move(rule));
  }
  if (n > 0) *out = std::move(rules);
}

Status ReadAlertingConfig(server::ConfigReader& r, AlertingConfig* out, const std::string& external_url) {
  AlertingConfig c = *out;
  c.external_url = external_url;
  r.GetBool("alerting.enabled", &c.enabled);
  r.GetSeconds("alerting.interval", &c.interval_seconds);
  r.GetSeconds("alerting.lag", &c.lag_seconds);
  r.GetString("alerting.rules_file", &c.rules_file);
  r.GetBool("alerting.default_rules", &c.default_rules);
  r.GetSeconds("alerting.resolved_retention", &c.resolved_retention_seconds);
  r.GetInt("alerting.examples", &c.examples);
  ReadRules(r, "alerting.rules", &c.rules);
  size_t n = r.ListSize("alerting.notifiers");
  for (size_t i = 0; i < n; ++i) {
    std::string p = "alerting.notifiers[" + std::to_string(i) + "].";
    NotifierConfig nc;
    r.GetString(p + "name", &nc.name);
    std::string kind;
    r.GetString(p + "kind", &kind);
    if (!ParseNotifierKind(kind, &nc.kind)) {
      r.AddError(p + "kind: want alertmanager, webhook, slack or pagerduty (got \"" + kind + "\")");
    }
    if (nc.kind == NotifierKind::kSlack) nc.min_send_interval_seconds = 1;
    if (nc.kind == NotifierKind::kPagerDuty) nc.min_send_interval_seconds = 0.5;
    r.GetString(p + "url", &nc.url);
    r.GetString(p + "routing_key", &nc.routing_key);
    r.GetStringMap(p + "headers", &nc.headers);
    r.GetSeconds(p + "timeout", &nc.timeout_seconds);
    int64_t attempts = nc.max_attempts;
    r.GetInt(p + "max_attempts", &attempts);
    nc.max_attempts = static_cast<int>(attempts);
    r.GetSeconds(p + "initial_backoff", &nc.initial_backoff_seconds);
    r.GetSeconds(p + "max_backoff", &nc.max_backoff_seconds);
    r.GetSize(p + "queue_size", &nc.queue_size);
    r.GetStringList(p + "group_by", &nc.group_by);
    r.GetSeconds(p + "repeat_interval", &nc.repeat_interval_seconds);
    r.GetSeconds(p + "resend_interval", &nc.resend_interval_seconds);
    r.GetSeconds(p + "min_send_interval", &nc.min_send_interval_seconds);
    c.notifiers.push_back(std::move(nc));
  }
  size_t routes = r.ListSize("alerting.routes");
  for (size_t i = 0; i < routes; ++i) {
    std::string p = "alerting.routes[" + std::to_string(i) + "].";
    Route route;
    r.GetStringList(p + "matchers", &route.matchers);
    r.GetStringList(p + "notifiers", &route.notifiers);
    c.routes.push_back(std::move(route));
  }
  Status s = c.Validate();
  if (!s.ok()) {
    r.AddError(s.message());
    return s;
  }
  *out = std::move(c);
  return Status::Ok();
}

namespace {
Status RulesFromReader(Result<std::unique_ptr<server::ConfigReader>> reader, const std::string& source,
                       std::vector<Rule>* out) {
  if (!reader.ok()) return reader.status();
  std::vector<Rule> rules;
  ReadRules(**reader, "rules", &rules);
  auto errors = (*reader)->Errors();
  if (!errors.empty()) return Status::InvalidArgument(source + ": " + errors.front());
  std::set<std::string> names;
  for (size_t i = 0; i < rules.size(); ++i) {
    std::string prefix = source + ": rules[" + std::to_string(i) + "]";
    LOUPE_RETURN_IF_ERROR(rules[i].Validate(prefix));
    if (!names.insert(rules[i].name).second) return Bad(prefix, "name", "\"" + rules[i].name + "\" is used twice");
  }
  *out = std::move(rules);
  return Status::Ok();
}
}  // namespace

Status ParseRulesText(std::string_view yaml, const std::string& source_name, std::vector<Rule>* out) {
  return RulesFromReader(server::ConfigReader::FromText(yaml, source_name), source_name, out);
}

Status LoadRulesFile(const std::string& path, std::vector<Rule>* out) {
  return RulesFromReader(server::ConfigReader::FromFile(path), path, out);
}

Status EffectiveRules(const AlertingConfig& config, std::vector<Rule>* out) {
  std::vector<Rule> rules = config.rules;
  if (!config.rules_file.empty()) {
    std::vector<Rule> file_rules;
    LOUPE_RETURN_IF_ERROR(LoadRulesFile(config.rules_file, &file_rules));
    std::set<std::string> names;
    for (const auto& r : rules) names.insert(r.name);
    for (auto& r : file_rules) {
      if (!names.insert(r.name).second) {
        return Status::InvalidArgument(config.rules_file + ": rule \"" + r.name + "\" is also defined inline");
      }
      rules.push_back(std::move(r));
    }
  }
  if (rules.empty() && config.default_rules) rules = DefaultRules();
  *out = std::move(rules);
  return Status::Ok();
}

}  // namespace loupe::alerting
