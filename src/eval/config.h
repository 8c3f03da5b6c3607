// EvalConfig: everything `evaluation.*` in loupe.yaml can set, with the
// documented defaults (docs/evaluation.md). Validate() names the key path
// of the first problem, e.g. "evaluation.rules[1].rate: must be in [0, 1]".
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace loupe::eval {

// evaluation.rules[i]: calls matching every non-empty field are sampled at
// `rate`. The first matching rule wins; no match uses default_rate.
struct SamplingRule {
  std::string name;  // part of the sampling hash; defaults to "rule<i>"
  std::string feature, team, model, prompt_version, environment, service;
  double rate = 0.1;
  std::string rubric;  // empty: evaluation.default_rubric
};

// evaluation.ab_windows[i]: an explicit A/B period. Calls of `feature`
// whose prompt version is one of `prompt_versions` (empty: any) and that
// start inside [start_ns, end_ns) are sampled at `rate`.
struct AbWindow {
  std::string feature;
  std::vector<std::string> prompt_versions;
  uint64_t start_ns = 0, end_ns = 0;  // RFC 3339 in YAML
  double rate = 1.0;
};

// evaluation.burst: the first time a (feature, prompt version) appears,
// its calls are scored at 100% until `calls` were sampled or `seconds`
// passed since it was first seen, whichever comes first.
struct BurstConfig {
  bool enabled = true;
  uint64_t calls = 200;
  double seconds = 3600;
};

struct RubricDimension {
  std::string name;         // [a-z0-9_]+; becomes Score::dimension
  std::string description;  // what the judge is told to score
};

// A rubric: dimensions on one numeric scale, and a prompt template whose
// {{variables}} are filled from span fields (see prompt.h). The built-in
// "default" rubric needs no config.
struct Rubric {
  std::string name;
  std::vector<RubricDimension> dimensions;
  double scale_min = 1, scale_max = 5;
  bool integer_scale = true;
  // Text shown to the judge; empty uses the default instructions. Each
  // {{name}} is replaced by the delimited value of variable `name`.
  std::string template_text;
  // variable -> span field: "query" (last user message), "response"
  // (the answer), "system", "context" (retrieved documents of the trace),
  // "input" (all input messages), "attribute:<key>".
  std::map<std::string, std::string> variables;
};

// evaluation.judge
struct JudgeConfig {
  std::string provider = "anthropic";  // anthropic | openai (any OpenAI-compatible endpoint)
  std::string base_url;                // empty: https://api.anthropic.com or https://api.openai.com
  std::string model = "claude-haiku-4-5";
  std::string api_key_env;             // empty: ANTHROPIC_API_KEY or OPENAI_API_KEY
  double timeout_seconds = 60;
  int max_tokens = 1024;
  int max_retries = 3;                 // in-call retries on 429/529/5xx/timeouts
  double backoff_initial_seconds = 1;
  double backoff_max_seconds = 30;     // a longer retry-after defers the task instead
  bool structured_output = true;       // tool use / json_schema; off: plain JSON
  bool canary = true;                  // at Start, check the judge resists injection
};

// evaluation.limits
struct LimitsConfig {
  int concurrency = 4;
  int requests_per_minute = 50;
  int64_t tokens_per_minute = 200'000;
};

// evaluation.builtins[i]: free evaluators for calls of `feature` (empty:
// every feature). Each runs on every LLM call with content unless off.
struct BuiltinConfig {
  std::string feature;
  bool json_valid = false;     // the answer must be JSON
  std::string json_schema;     // JSON Schema text the answer must match (implies json_valid)
  std::vector<std::string> policy_regexes;   // RE2; a match fails "policy"
  std::vector<std::string> policy_keywords;  // case-insensitive substrings
  bool empty_truncated = true;
  bool refusal = true;
  bool pii = true;
};

struct EvalConfig {
  bool enabled = false;
  std::string seed = "loupe";  // sampling hash seed
  double default_rate = 0.1;
  std::vector<SamplingRule> rules;
  uint32_t per_trace_cap = 3;  // judge evaluations per trace
  BurstConfig burst;
  std::vector<AbWindow> ab_windows;
  double delay_seconds = 10;   // after the call ends, so the whole trace is in
  std::string default_rubric = "default";
  std::vector<Rubric> rubrics;  // besides the built-in "default"
  JudgeConfig judge;
  LimitsConfig limits;
  double daily_budget_usd = 5.0;  // evaluation.budget.daily_usd; 0: no judge calls
  std::vector<BuiltinConfig> builtins;  // empty: one entry with the defaults
  bool builtins_enabled = true;
  size_t max_backlog = 10'000;  // pending evaluations kept; more are skipped (counted)
  int max_attempts = 5;         // deferrals before a task fails
  double poll_seconds = 0.5;    // worker poll when nothing is due

  Status Validate() const;

  // The rubric called `name` (the built-in default when name is
  // "default" and none is configured); nullptr when unknown.
  const Rubric* FindRubric(const std::string& name) const;
};

// The built-in rubric: accuracy, relevance, safety on 1..5 (groundedness is
// added by the prompt builder when the trace has retrieved context).
const Rubric& DefaultRubric();

// "2026-03-01T12:00:00Z" (also with an offset or fractional seconds) to
// Unix nanos; false on junk.
bool ParseRfc3339(const std::string& text, uint64_t* out_ns);

}  // namespace loupe::eval
