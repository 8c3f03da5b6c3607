#include "eval/builtin.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "eval/json_schema.h"

namespace loupe::eval {

struct BuiltinEvaluators::Compiled {
  BuiltinConfig config;
  std::vector<std::unique_ptr<RE2>> regexes;
  std::vector<std::string> keywords;  // lower-cased
  std::unique_ptr<JsonSchema> schema;
};

namespace {

BuiltinResult Pass(const std::string& name) { return {name, 1, "pass", ""}; }
BuiltinResult Flag(const std::string& name, std::string label, std::string why) {
  return {name, 0, std::move(label), std::move(why)};
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool IsBlank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

const RE2& RefusalRe() {
  static const RE2 re(
      "(?i)(\\bI(?:'m| am) (?:sorry|afraid),? but I (?:can(?:no|')t|won't|am unable|'m unable)|"
      "\\bI (?:can(?:no|')t|won't|am unable to|'m unable to|am not able to) (?:help|assist|provide|comply|"
      "do that|fulfil|answer|support|share|create|generate|write)|"
      "\\bI must (?:decline|refuse)|\\bas an AI(?: language model)?, I (?:can(?:no|')t|don't|am unable)|"
      "\\b(?:against|violates?) (?:my|the|our) (?:guidelines|policies|policy|usage policies))");
  return re;
}

struct PiiPattern {
  const char* kind;
  RE2* re;               // one capture group: the whole match
  size_t min_digits = 0;  // phone numbers: at least this many digits
};

// Never destroyed (like the RE2s below): safe to use during exit.
const std::vector<PiiPattern>& PiiPatterns() {
  static const auto* patterns = new std::vector<PiiPattern>{
      {"email", new RE2("([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,})")},
      {"api_key", new RE2("(\\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}|\\bAKIA[0-9A-Z]{16}\\b|\\bgh[pousr]_[A-Za-z0-9]{36,}|"
                          "\\bxox[abprs]-[A-Za-z0-9-]{10,}|\\bAIza[0-9A-Za-z_-]{35}|\\bglpat-[A-Za-z0-9_-]{20,})")},
      {"phone", new RE2("((?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{2,4}\\)[ .-]?|\\b\\d{2,4}[ .-])\\d{3,4}[ .-]\\d{3,4})\\b"), 10},
  };
  return *patterns;
}

const RE2& CardCandidateRe() {
  static const RE2 re("\\b(\\d(?:[ -]?\\d){12,18})\\b");
  return re;
}

}  // namespace

std::string AnswerText(const model::LlmCall& call) {
  std::string out;
  for (const model::Message& m : call.output_messages) {
    for (const model::MessagePart& p : m.parts) {
      if (p.type != "text" && !p.type.empty()) continue;
      if (!out.empty()) out += "\n";
      out += p.content;
    }
  }
  return out;
}

bool BuiltinEvaluators::LuhnValid(const std::string& digits) {
  if (digits.size() < 13 || digits.size() > 19) return false;
  int sum = 0;
  bool dbl = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (!std::isdigit(static_cast<unsigned char>(*it))) return false;
    int d = *it - '0';
    if (dbl && (d *= 2) > 9) d -= 9;
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 == 0;
}

BuiltinResult BuiltinEvaluators::CheckCompleteness(const model::LlmCall& call, const std::string& answer) {
  for (const std::string& r : call.finish_reasons) {
    const std::string f = Lower(r);
    if (f == "length" || f == "max_tokens" || f == "max_output_tokens") {
      return Flag("completeness", "truncated", "finish reason " + r);
    }
  }
  bool tool_calls = false;
  for (const model::Message& m : call.output_messages) {
    for (const model::MessagePart& p : m.parts) tool_calls |= p.type == "tool_call";
  }
  if (IsBlank(answer) && !tool_calls) return Flag("completeness", "empty", "the answer has no text and no tool call");
  return Pass("completeness");
}

BuiltinResult BuiltinEvaluators::CheckRefusal(const model::LlmCall& call, const std::string& answer) {
  for (const std::string& r : call.finish_reasons) {
    const std::string f = Lower(r);
    if (f == "content_filter" || f == "refusal" || f == "safety") return Flag("refusal", "refusal", "finish reason " + r);
  }
  // Refusals open the answer; a long answer quoting one later is not one.
  const std::string head = answer.substr(0, 400);
  std::string matched;
  if (RE2::PartialMatch(head, RefusalRe(), &matched)) return Flag("refusal", "refusal", "refusal phrase \"" + matched + "\"");
  return Pass("refusal");
}

BuiltinResult BuiltinEvaluators::CheckPii(const std::string& answer) {
  std::vector<std::string> kinds;
  std::string why;
  for (const PiiPattern& p : PiiPatterns()) {
    re2::StringPiece in(answer);
    std::string match;
    int n = 0;
    while (RE2::FindAndConsume(&in, *p.re, &match) && n < 1000) {
      const size_t digits = static_cast<size_t>(std::count_if(match.begin(), match.end(), [](unsigned char c) { return std::isdigit(c); }));
      n += digits >= p.min_digits;
    }
    if (n > 0) {
      kinds.push_back(p.kind);
      why += (why.empty() ? "" : ", ") + std::to_string(n) + " " + p.kind;
    }
  }
  re2::StringPiece in(answer);
  std::string candidate;
  int cards = 0;
  while (RE2::FindAndConsume(&in, CardCandidateRe(), &candidate)) {
    std::string digits;
    for (char c : candidate) {
      if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    }
    cards += LuhnValid(digits);
  }
  if (cards > 0) {
    kinds.push_back("card");
    why += (why.empty() ? "" : ", ") + std::to_string(cards) + " card";
  }
  if (kinds.empty()) return Pass("pii");
  std::string label;
  for (const auto& k : kinds) label += (label.empty() ? "" : ",") + k;
  return Flag("pii", label, "found " + why);
}

Result<std::shared_ptr<const BuiltinEvaluators>> BuiltinEvaluators::Create(const std::vector<BuiltinConfig>& configs) {
  std::shared_ptr<BuiltinEvaluators> out(new BuiltinEvaluators());
  std::vector<BuiltinConfig> list = configs.empty() ? std::vector<BuiltinConfig>{BuiltinConfig{}} : configs;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string key = "evaluation.builtins[" + std::to_string(i) + "]";
    auto c = std::make_unique<Compiled>();
    c->config = list[i];
    for (size_t j = 0; j < c->config.policy_regexes.size(); ++j) {
      auto re = std::make_unique<RE2>(c->config.policy_regexes[j], RE2::Quiet);
      if (!re->ok()) {
        return Status::InvalidArgument(key + ".policy_regexes[" + std::to_string(j) + "]: " + re->error());
      }
      c->regexes.push_back(std::move(re));
    }
    for (const std::string& k : c->config.policy_keywords) {
      if (!k.empty()) c->keywords.push_back(Lower(k));
    }
    if (!c->config.json_schema.empty()) {
      auto s = JsonSchema::Parse(c->config.json_schema);
      if (!s.ok()) return s.status().WithContext(key);
      c->schema = std::make_unique<JsonSchema>(std::move(*s));
    }
    out->entries_.push_back(std::move(c));
  }
  return std::shared_ptr<const BuiltinEvaluators>(std::move(out));
}

BuiltinEvaluators::~BuiltinEvaluators() = default;

std::vector<BuiltinResult> BuiltinEvaluators::Run(const model::SpanRecord& record) const {
  std::vector<BuiltinResult> out;
  if (!record.llm) return out;
  const model::LlmCall& call = *record.llm;
  const Compiled* entry = nullptr;
  for (const auto& e : entries_) {
    if (e->config.feature == call.feature) entry = e.get();
  }
  for (const auto& e : entries_) {
    if (!entry && e->config.feature.empty()) entry = e.get();
  }
  if (!entry) return out;
  const BuiltinConfig& c = entry->config;
  const std::string answer = AnswerText(call);

  if (c.json_valid || entry->schema) {
    nlohmann::json doc = nlohmann::json::parse(answer, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
      // Answers often wrap JSON in a ```json fence; that still counts.
      std::string body = answer;
      const size_t fence = body.find("```");
      if (fence != std::string::npos) {
        const size_t nl = body.find('\n', fence);
        const size_t end = nl == std::string::npos ? nl : body.find("```", nl);
        if (end != std::string::npos) doc = nlohmann::json::parse(body.substr(nl + 1, end - nl - 1), nullptr, false);
      }
    }
    if (doc.is_discarded()) {
      out.push_back(Flag("json_valid", "invalid_json", "the answer is not valid JSON"));
      if (entry->schema) out.push_back(Flag("json_schema", "invalid_json", "the answer is not valid JSON"));
    } else {
      out.push_back(Pass("json_valid"));
      if (entry->schema) {
        auto problems = entry->schema->Validate(doc, 5);
        if (problems.empty()) {
          out.push_back(Pass("json_schema"));
        } else {
          std::string why;
          for (const auto& p : problems) why += (why.empty() ? "" : "; ") + p;
          out.push_back(Flag("json_schema", "schema_mismatch", why));
        }
      }
    }
  }
  if (!entry->regexes.empty() || !entry->keywords.empty()) {
    std::string hit;
    for (size_t i = 0; i < entry->regexes.size() && hit.empty(); ++i) {
      if (RE2::PartialMatch(answer, *entry->regexes[i])) hit = "regex " + c.policy_regexes[i];
    }
    if (hit.empty() && !entry->keywords.empty()) {
      const std::string lower = Lower(answer);
      for (const std::string& k : entry->keywords) {
        if (lower.find(k) != std::string::npos) {
          hit = "keyword " + k;
          break;
        }
      }
    }
    out.push_back(hit.empty() ? Pass("policy") : Flag("policy", "policy_violation", "matched " + hit));
  }
  if (c.empty_truncated) out.push_back(CheckCompleteness(call, answer));
  if (c.refusal) out.push_back(CheckRefusal(call, answer));
  if (c.pii) out.push_back(CheckPii(answer));
  return out;
}

}  // namespace loupe::eval
