// Free evaluators: checks that need no LLM call, run on every LLM call
// with content for the features they are configured for.
//
// Every built-in scores one dimension named after itself on a pass/fail
// scale: 1 = pass, 0 = flagged; `label` names what was found.
//   json_valid    the answer parses as JSON
//   json_schema   the answer matches the configured JSON Schema (json_schema.h)
//   policy        no policy regex (RE2) or keyword (case-insensitive) matches
//   completeness  not empty, not truncated (finish reason length / max_tokens)
//   refusal       the answer is not a refusal ("I can't help with that", ...)
//   pii           no email, phone number, payment card (Luhn-checked) or API key
// The reasoning says what matched but never repeats PII or content.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "eval/config.h"
#include "model/batch.h"

namespace loupe::eval {

struct BuiltinResult {
  std::string evaluator;  // == dimension
  double value = 1;       // 1 pass, 0 flagged
  std::string label;      // "pass", or what was found ("refusal", "email,card", "truncated")
  std::string reasoning;
};

class BuiltinEvaluators {
 public:
  // Compiles every regex and schema; errors name the key path
  // ("evaluation.builtins[0].policy_regexes[2]: ...").
  static Result<std::shared_ptr<const BuiltinEvaluators>> Create(const std::vector<BuiltinConfig>& configs);
  ~BuiltinEvaluators();

  // Runs what is configured for the call's feature: the entry naming that
  // feature, else the entry with no feature, else (no entries) the defaults.
  // Thread-safe.
  std::vector<BuiltinResult> Run(const model::SpanRecord& call) const;

  // The parts, for tests.
  static BuiltinResult CheckCompleteness(const model::LlmCall& call, const std::string& answer);
  static BuiltinResult CheckRefusal(const model::LlmCall& call, const std::string& answer);
  static BuiltinResult CheckPii(const std::string& answer);
  static bool LuhnValid(const std::string& digits);

 private:
  struct Compiled;
  BuiltinEvaluators() = default;
  std::vector<std::unique_ptr<Compiled>> entries_;
};

// The answer text of a call: output text parts joined by newlines.
std::string AnswerText(const model::LlmCall& call);

}  // namespace loupe::eval
