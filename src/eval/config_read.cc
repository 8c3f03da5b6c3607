#include "eval/config_read.h"

#include <algorithm>
#include <string>

#include "server/config_reader.h"

namespace loupe::eval {
namespace {

void ReadRules(server::ConfigReader& r, EvalConfig* out) {
  const size_t n = r.ListSize("evaluation.rules");
  for (size_t i = 0; i < n; ++i) {
    const std::string p = "evaluation.rules[" + std::to_string(i) + "].";
    SamplingRule rule;
    rule.name = "rule" + std::to_string(i);
    r.GetString(p + "name", &rule.name);
    r.GetString(p + "feature", &rule.feature);
    r.GetString(p + "team", &rule.team);
    r.GetString(p + "model", &rule.model);
    r.GetString(p + "prompt_version", &rule.prompt_version);
    r.GetString(p + "environment", &rule.environment);
    r.GetString(p + "service", &rule.service);
    r.GetDouble(p + "rate", &rule.rate);
    r.GetString(p + "rubric", &rule.rubric);
    out->rules.push_back(std::move(rule));
  }
}

void ReadTime(server::ConfigReader& r, const std::string& path, uint64_t* out) {
  std::string text;
  r.GetString(path, &text);
  if (text.empty()) return;
  if (!ParseRfc3339(text, out)) r.AddError(path + ": want an RFC 3339 time such as 2026-03-01T12:00:00Z, got \"" + text + "\"");
}

void ReadAbWindows(server::ConfigReader& r, EvalConfig* out) {
  const size_t n = r.ListSize("evaluation.ab_windows");
  for (size_t i = 0; i < n; ++i) {
    const std::string p = "evaluation.ab_windows[" + std::to_string(i) + "].";
    AbWindow w;
    r.GetString(p + "feature", &w.feature);
    r.GetStringList(p + "prompt_versions", &w.prompt_versions);
    ReadTime(r, p + "start", &w.start_ns);
    ReadTime(r, p + "end", &w.end_ns);
    r.GetDouble(p + "rate", &w.rate);
    out->ab_windows.push_back(std::move(w));
  }
}

void ReadRubrics(server::ConfigReader& r, EvalConfig* out) {
  const size_t n = r.ListSize("evaluation.rubrics");
  for (size_t i = 0; i < n; ++i) {
    const std::string p = "evaluation.rubrics[" + std::to_string(i) + "].";
    Rubric rubric;
    r.GetString(p + "name", &rubric.name);
    const size_t dims = r.ListSize(p + "dimensions");
    for (size_t j = 0; j < dims; ++j) {
      const std::string dp = p + "dimensions[" + std::to_string(j) + "].";
      RubricDimension d;
      r.GetString(dp + "name", &d.name);
      r.GetString(dp + "description", &d.description);
      rubric.dimensions.push_back(std::move(d));
    }
    r.GetDouble(p + "scale.min", &rubric.scale_min);
    r.GetDouble(p + "scale.max", &rubric.scale_max);
    r.GetBool(p + "scale.integer", &rubric.integer_scale);
    r.GetString(p + "template", &rubric.template_text);
    r.GetStringMap(p + "variables", &rubric.variables);
    out->rubrics.push_back(std::move(rubric));
  }
}

void ReadBuiltins(server::ConfigReader& r, EvalConfig* out) {
  r.GetBool("evaluation.builtins_enabled", &out->builtins_enabled);
  const size_t n = r.ListSize("evaluation.builtins");
  for (size_t i = 0; i < n; ++i) {
    const std::string p = "evaluation.builtins[" + std::to_string(i) + "].";
    BuiltinConfig b;
    r.GetString(p + "feature", &b.feature);
    r.GetBool(p + "json_valid", &b.json_valid);
    r.GetString(p + "json_schema", &b.json_schema);
    r.GetStringList(p + "policy_regexes", &b.policy_regexes);
    r.GetStringList(p + "policy_keywords", &b.policy_keywords);
    r.GetBool(p + "empty_truncated", &b.empty_truncated);
    r.GetBool(p + "refusal", &b.refusal);
    r.GetBool(p + "pii", &b.pii);
    out->builtins.push_back(std::move(b));
  }
}

void ReadInt(server::ConfigReader& r, const std::string& path, int* out) {
  int64_t v = *out;
  r.GetInt(path, &v);
  *out = static_cast<int>(std::clamp<int64_t>(v, -1'000'000, 1'000'000));
}

}  // namespace

void ReadEvalConfig(server::ConfigReader& r, EvalConfig* out) {
  r.GetBool("evaluation.enabled", &out->enabled);
  r.GetString("evaluation.seed", &out->seed);
  r.GetDouble("evaluation.default_rate", &out->default_rate);
  ReadRules(r, out);
  int64_t cap = out->per_trace_cap;
  r.GetInt("evaluation.per_trace_cap", &cap);
  out->per_trace_cap = static_cast<uint32_t>(std::clamp<int64_t>(cap, 0, 1'000'000));
  r.GetBool("evaluation.burst.enabled", &out->burst.enabled);
  size_t calls = out->burst.calls;
  r.GetSize("evaluation.burst.calls", &calls);
  out->burst.calls = calls;
  r.GetSeconds("evaluation.burst.period", &out->burst.seconds);
  ReadAbWindows(r, out);
  r.GetSeconds("evaluation.delay", &out->delay_seconds);
  r.GetString("evaluation.default_rubric", &out->default_rubric);
  ReadRubrics(r, out);

  JudgeConfig& j = out->judge;
  r.GetString("evaluation.judge.provider", &j.provider);
  r.GetString("evaluation.judge.base_url", &j.base_url);
  r.GetString("evaluation.judge.model", &j.model);
  r.GetString("evaluation.judge.api_key_env", &j.api_key_env);
  r.GetSeconds("evaluation.judge.timeout", &j.timeout_seconds);
  ReadInt(r, "evaluation.judge.max_tokens", &j.max_tokens);
  ReadInt(r, "evaluation.judge.max_retries", &j.max_retries);
  r.GetSeconds("evaluation.judge.backoff_initial", &j.backoff_initial_seconds);
  r.GetSeconds("evaluation.judge.backoff_max", &j.backoff_max_seconds);
  r.GetBool("evaluation.judge.structured_output", &j.structured_output);
  r.GetBool("evaluation.judge.canary", &j.canary);

  ReadInt(r, "evaluation.limits.concurrency", &out->limits.concurrency);
  ReadInt(r, "evaluation.limits.requests_per_minute", &out->limits.requests_per_minute);
  r.GetInt("evaluation.limits.tokens_per_minute", &out->limits.tokens_per_minute);
  r.GetDouble("evaluation.budget.daily_usd", &out->daily_budget_usd);
  ReadBuiltins(r, out);
  r.GetSize("evaluation.max_backlog", &out->max_backlog);
  ReadInt(r, "evaluation.max_attempts", &out->max_attempts);
  r.GetSeconds("evaluation.poll", &out->poll_seconds);

  Status s = out->Validate();
  if (!s.ok()) r.AddError(s.message());
}

}  // namespace loupe::eval
