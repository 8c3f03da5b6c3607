#include "eval/answer.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "eval/json_schema.h"

namespace loupe::eval {
namespace {

using nlohmann::json;

constexpr int kMaxDepth = 32;

// nlohmann's parser recurses; refuse deeply nested text before parsing it.
bool DepthOk(std::string_view text) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') {
      if (++depth > kMaxDepth) return false;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return true;
}

bool TryObject(std::string_view text, json* out) {
  if (!DepthOk(text)) return false;
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return false;
  *out = std::move(j);
  return true;
}

// The end of the balanced object starting at text[start] == '{', or npos.
size_t MatchBrace(std::string_view text, size_t start) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (size_t i = start; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{') ++depth;
    else if (c == '}' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<json> ExtractJsonObject(std::string_view text) {
  if (text.size() > kMaxAnswerBytes) {
    return Status::InvalidArgument("the answer is " + std::to_string(text.size()) + " bytes, over the " +
                                   std::to_string(kMaxAnswerBytes) + " limit");
  }
  json out;
  if (TryObject(Trim(text), &out)) return out;
  // Code fences: ```json\n{...}\n``` or ```\n{...}\n```.
  for (size_t pos = text.find("```"); pos != std::string_view::npos; pos = text.find("```", pos + 3)) {
    size_t body = text.find('\n', pos);
    if (body == std::string_view::npos) break;
    size_t end = text.find("```", body);
    if (end == std::string_view::npos) break;
    if (TryObject(Trim(text.substr(body + 1, end - body - 1)), &out)) return out;
    pos = end;
  }
  // Prose around an object.
  for (size_t start = text.find('{'); start != std::string_view::npos; start = text.find('{', start + 1)) {
    const size_t end = MatchBrace(text, start);
    if (end == std::string_view::npos) break;
    if (TryObject(text.substr(start, end - start + 1), &out)) return out;
  }
  return Status::InvalidArgument("no JSON object found in the answer");
}

json AnswerSchema(const Rubric& rubric, const std::vector<std::string>& dimensions) {
  // Whole bounds as integers, so that messages read "maximum 5", not "5.0".
  auto bound = [](double d) { return std::floor(d) == d && std::fabs(d) < 1e15 ? json(static_cast<int64_t>(d)) : json(d); };
  json props = json::object();
  json required = json::array();
  for (const std::string& d : dimensions) {
    props[d] = {{"type", rubric.integer_scale ? "integer" : "number"},
                {"minimum", bound(rubric.scale_min)},
                {"maximum", bound(rubric.scale_max)}};
    required.push_back(d);
  }
  props["reasoning"] = {{"type", "string"}, {"minLength", 1}, {"maxLength", 4000}};
  required.push_back("reasoning");
  return {{"type", "object"}, {"properties", props}, {"required", required}, {"additionalProperties", false}};
}

Result<JudgeScores> ParseJudgeAnswer(std::string_view text, const Rubric& rubric,
                                     const std::vector<std::string>& dimensions) {
  auto doc = ExtractJsonObject(text);
  if (!doc.ok()) return doc.status();
  // Extra keys are not a reason to throw a good answer away; the schema
  // below is the strict one the judge was given, so check without them.
  json schema = AnswerSchema(rubric, dimensions);
  schema.erase("additionalProperties");
  auto validator = JsonSchema::FromJson(schema);
  if (!validator.ok()) return validator.status();
  std::vector<std::string> problems = validator->Validate(*doc);
  if (!problems.empty()) {
    std::string msg;
    for (const std::string& p : problems) {
      msg += (msg.empty() ? "" : "; ") + (p.rfind("$.", 0) == 0 ? p.substr(2) : p);
    }
    return Status::InvalidArgument(msg);
  }
  JudgeScores out;
  for (const std::string& d : dimensions) out.values.emplace_back(d, (*doc)[d].get<double>());
  out.reasoning = (*doc)["reasoning"].get<std::string>();
  return out;
}

}  // namespace loupe::eval
