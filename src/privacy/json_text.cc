#include "privacy/json_text.h"

#include <nlohmann/json.hpp>

#include <string_view>
#include <vector>

namespace loupe::privacy {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kMaxNesting = 128;
constexpr int kMaxTextDepth = 4;  // JSON text inside JSON strings

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

bool LooksLikeJson(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  if (e - b < 2) return false;
  return (s[b] == '{' && s[e - 1] == '}') || (s[b] == '[' && s[e - 1] == ']');
}

// Bracket depth outside strings, so that nlohmann's recursive parser and
// our recursive walk never see a stack-exhausting document.
bool NestingWithin(std::string_view s, int max) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') {
      if (++depth > max) return false;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return true;
}

bool RedactAt(const Redactor& r, std::string* text, std::vector<uint64_t>* counts, int text_depth);

bool Walk(const Redactor& r, Json& j, std::vector<uint64_t>* counts, int text_depth) {
  bool changed = false;
  if (j.is_string()) {
    changed = RedactAt(r, j.get_ptr<std::string*>(), counts, text_depth + 1);
  } else if (j.is_number_integer()) {
    // A card number sent as a JSON number ({"card": 4111111111111111}):
    // the built-ins can only match 13 or more bare digits; custom patterns
    // may match any. A redacted number becomes the replacement string.
    std::string digits = j.dump();
    if ((digits.size() >= 13 || r.has_custom()) && r.Redact(&digits, counts)) {
      j = digits;
      changed = true;
    }
  } else if (j.is_array()) {
    for (auto& e : j) changed |= Walk(r, e, counts, text_depth);
  } else if (j.is_object()) {
    std::vector<std::string> keys;
    bool key_changed = false;
    for (auto it = j.begin(); it != j.end(); ++it) {
      changed |= Walk(r, it.value(), counts, text_depth);
      keys.push_back(it.key());
      key_changed |= r.Redact(&keys.back(), counts);
    }
    if (key_changed) {
      Json rebuilt = Json::object();
      size_t i = 0;
      for (auto it = j.begin(); it != j.end(); ++it) {
        rebuilt[keys[i++]] = std::move(it.value());  // a redacted key may collide: the last value wins
      }
      j = std::move(rebuilt);
      changed = true;
    }
  }
  return changed;
}

bool RedactAt(const Redactor& r, std::string* text, std::vector<uint64_t>* counts, int text_depth) {
  // "\u0040" hides an '@' from the pre-check; only parsing can reveal it.
  if (!r.MayMatch(*text) && text->find("\\u") == std::string::npos) return false;
  if (text_depth <= kMaxTextDepth && LooksLikeJson(*text) && NestingWithin(*text, kMaxNesting)) {
    Json j = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (!j.is_discarded()) {
      bool changed = Walk(r, j, counts, text_depth);
      if (changed) *text = j.dump(-1, ' ', false, Json::error_handler_t::replace);
      // Custom patterns may be written against the JSON text itself
      // ("ssn":"\d+"), so they also see it whole. Built-in matches never
      // span a quote, so the walk already found all of theirs.
      if (r.has_custom()) changed |= r.RedactCustom(text, counts);
      return changed;
    }
  }
  return r.Redact(text, counts);
}

}  // namespace

bool RedactText(const Redactor& redactor, std::string* text, std::vector<uint64_t>* counts) {
  return RedactAt(redactor, text, counts, 0);
}

}  // namespace loupe::privacy
