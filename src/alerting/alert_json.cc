#include "alerting/alert_json.h"

#include "alerting/time_format.h"

namespace loupe::alerting {

using json = nlohmann::json;

namespace {
json TimeOrNull(uint64_t ns) { return ns ? json(Rfc3339(ns)) : json(nullptr); }
}  // namespace

json AlertJson(const Alert& a) {
  return {{"fingerprint", a.fingerprint},
          {"rule", a.rule},
          {"state", AlertStateName(a.state)},
          {"labels", a.labels},
          {"annotations", a.annotations},
          {"summary", a.summary},
          {"value", a.value},
          {"baseline", a.baseline},
          {"threshold", a.threshold},
          {"activeAt", TimeOrNull(a.active_at_ns)},
          {"firedAt", TimeOrNull(a.fired_at_ns)},
          {"resolvedAt", TimeOrNull(a.resolved_at_ns)},
          {"lastActiveAt", TimeOrNull(a.last_active_ns)},
          {"lastEvaluation", TimeOrNull(a.last_eval_ns)},
          // Exact nanos too, so a restored state loses nothing.
          {"ns", {a.active_at_ns, a.fired_at_ns, a.resolved_at_ns, a.last_active_ns, a.last_eval_ns}},
          {"generatorURL", a.generator_url},
          {"examples",
           {{"slowest", a.examples.slowest},
            {"mostExpensive", a.examples.most_expensive},
            {"lowestScored", a.examples.lowest_scored}}},
          {"silenced", a.silenced}};
}

Result<Alert> AlertFromJson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::InvalidArgument("alert state: not a JSON object");
  try {
    Alert a;
    a.fingerprint = j.at("fingerprint").get<std::string>();
    a.rule = j.at("rule").get<std::string>();
    if (!ParseAlertState(j.at("state").get<std::string>(), &a.state)) {
      return Status::InvalidArgument("alert state: unknown state");
    }
    a.labels = j.at("labels").get<Labels>();
    a.annotations = j.at("annotations").get<Labels>();
    a.summary = j.value("summary", "");
    a.value = j.value("value", 0.0);
    a.baseline = j.value("baseline", 0.0);
    a.threshold = j.value("threshold", 0.0);
    const json& ns = j.at("ns");
    a.active_at_ns = ns.at(0).get<uint64_t>();
    a.fired_at_ns = ns.at(1).get<uint64_t>();
    a.resolved_at_ns = ns.at(2).get<uint64_t>();
    a.last_active_ns = ns.at(3).get<uint64_t>();
    a.last_eval_ns = ns.at(4).get<uint64_t>();
    a.generator_url = j.value("generatorURL", "");
    if (j.contains("examples")) {
      const json& e = j["examples"];
      a.examples.slowest = e.value("slowest", "");
      a.examples.most_expensive = e.value("mostExpensive", "");
      a.examples.lowest_scored = e.value("lowestScored", "");
    }
    return a;
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("alert state: ") + e.what());
  }
}

json RuleJson(const RuleStatus& s) {
  const Rule& r = s.rule;
  json rule = {{"name", r.name},
               {"kind", RuleKindName(r.kind)},
               {"group_by", r.group_by},
               {"filters", r.filters},
               {"window_seconds", r.window_seconds},
               {"baseline", BaselineKindName(r.baseline)},
               {"for_seconds", r.for_seconds},
               {"keep_firing_for_seconds", r.keep_firing_for_seconds},
               {"min_samples", r.min_samples},
               {"no_data", NoDataPolicyName(r.no_data)},
               {"severity", r.severity},
               {"labels", r.labels},
               {"annotations", r.annotations},
               {"health", s.health},
               {"lastError", s.last_error},
               {"lastEvaluation", TimeOrNull(s.last_eval_ns)},
               {"evaluationTime", s.last_duration_seconds},
               {"groups", s.groups},
               {"pending", s.pending},
               {"firing", s.firing}};
  switch (r.kind) {
    case RuleKind::kLatencyRegression:
      rule["percentile"] = r.percentile;
      rule["ratio"] = r.ratio;
      break;
    case RuleKind::kQualityRegression:
      rule["threshold"] = r.threshold;
      rule["max_drop"] = r.max_drop;
      rule["evaluator"] = r.evaluator;
      rule["dimension"] = r.dimension;
      break;
    case RuleKind::kCostSpike:
      rule["factor"] = r.factor;
      rule["min_usd"] = r.min_usd;
      break;
    case RuleKind::kErrorRate:
      rule["threshold"] = r.threshold;
      break;
    case RuleKind::kBudget:
      rule["period"] = r.period;
      rule["amount_usd"] = r.amount_usd;
      break;
  }
  if (r.baseline == BaselineKind::kPrevious) rule["baseline_window_seconds"] = r.baseline_window_seconds;
  if (r.baseline == BaselineKind::kSeasonal) rule["seasonal_days"] = r.seasonal_days;
  return rule;
}

json SilenceJson(const Silence& s, uint64_t now_ns) {
  std::string state = now_ns < s.starts_at_ns ? "pending" : (now_ns < s.ends_at_ns ? "active" : "expired");
  return {{"id", s.id},
          {"matchers", s.matchers},
          {"startsAt", Rfc3339(s.starts_at_ns)},
          {"endsAt", Rfc3339(s.ends_at_ns)},
          {"createdBy", s.created_by},
          {"comment", s.comment},
          {"status", {{"state", state}}}};
}

}  // namespace loupe::alerting
