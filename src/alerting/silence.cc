#include "alerting/silence.h"

#include <nlohmann/json.hpp>

#include "alerting/time_format.h"

namespace loupe::alerting {

using json = nlohmann::json;

Result<std::vector<Matcher>> CompileSilence(const Silence& s) {
  if (s.matchers.empty()) return Status::InvalidArgument("matchers: a silence needs at least one matcher");
  std::vector<Matcher> out;
  for (size_t i = 0; i < s.matchers.size(); ++i) {
    auto m = ParseMatcher(s.matchers[i]);
    if (!m.ok()) return m.status().WithContext("matchers[" + std::to_string(i) + "]");
    out.push_back(std::move(*m));
  }
  return out;
}

std::string SilenceToJson(const Silence& s) {
  json j = {{"id", s.id},
            {"matchers", s.matchers},
            {"startsAt", Rfc3339(s.starts_at_ns)},
            {"endsAt", Rfc3339(s.ends_at_ns)},
            {"createdBy", s.created_by},
            {"comment", s.comment}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {
Result<Silence> ParseSilence(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("body: not valid JSON");
  if (!j.is_object()) return Status::InvalidArgument("body: want a JSON object");
  Silence s;
  auto str = [&](const char* key, std::string* out) -> Status {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return Status::Ok();
    if (!it->is_string()) return Status::InvalidArgument(std::string(key) + ": want a string");
    *out = it->get<std::string>();
    return Status::Ok();
  };
  LOUPE_RETURN_IF_ERROR(str("id", &s.id));
  LOUPE_RETURN_IF_ERROR(str("createdBy", &s.created_by));
  LOUPE_RETURN_IF_ERROR(str("comment", &s.comment));
  auto matchers = j.find("matchers");
  if (matchers == j.end() || !matchers->is_array()) return Status::InvalidArgument("matchers: want a list");
  for (size_t i = 0; i < matchers->size(); ++i) {
    const json& m = (*matchers)[i];
    std::string where = "matchers[" + std::to_string(i) + "]";
    if (m.is_string()) {
      s.matchers.push_back(m.get<std::string>());
    } else if (m.is_object() && m.contains("name") && m["name"].is_string() && m.contains("value") &&
               m["value"].is_string()) {
      // Alertmanager's form.
      bool regex = m.value("isRegex", false);
      bool equal = m.value("isEqual", true);
      std::string op = regex ? (equal ? "=~" : "!~") : (equal ? "=" : "!=");
      s.matchers.push_back(m["name"].get<std::string>() + op + m["value"].get<std::string>());
    } else {
      return Status::InvalidArgument(where + ": want \"name=value\" or {\"name\", \"value\", \"isRegex\"}");
    }
  }
  std::string starts, ends;
  LOUPE_RETURN_IF_ERROR(str("startsAt", &starts));
  LOUPE_RETURN_IF_ERROR(str("endsAt", &ends));
  if (ends.empty()) return Status::InvalidArgument("endsAt: required (RFC 3339)");
  auto e = ParseRfc3339(ends);
  if (!e.ok()) return e.status().WithContext("endsAt");
  s.ends_at_ns = *e;
  if (!starts.empty()) {
    auto st = ParseRfc3339(starts);
    if (!st.ok()) return st.status().WithContext("startsAt");
    s.starts_at_ns = *st;
  }
  auto compiled = CompileSilence(s);
  if (!compiled.ok()) return compiled.status();
  return s;
}
}  // namespace

Result<Silence> SilenceFromJson(const std::string& text) {
  try {
    return ParseSilence(text);
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("body: ") + e.what());
  }
}

}  // namespace loupe::alerting
