#include "privacy/config.h"

#include <re2/re2.h>

#include <algorithm>
#include <set>

#include "privacy/patterns.h"
#include "server/config_reader.h"

namespace loupe::privacy {

Result<CaptureMode> ParseCaptureMode(std::string_view text) {
  if (text == "full") return CaptureMode::kFull;
  if (text == "redact") return CaptureMode::kRedact;
  if (text == "none") return CaptureMode::kNone;
  return Status::InvalidArgument("want full, redact or none; got \"" + std::string(text) + "\"");
}

std::string_view CaptureModeName(CaptureMode mode) {
  switch (mode) {
    case CaptureMode::kFull: return "full";
    case CaptureMode::kRedact: return "redact";
    case CaptureMode::kNone: return "none";
  }
  return "?";
}

namespace {

bool ValidPatternName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string JoinNames() {
  std::string out;
  for (const auto& n : BuiltinPatternNames()) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Problems with one custom pattern; `prefix` is its key path.
std::vector<std::string> CheckCustom(const CustomPattern& p, const std::string& prefix) {
  std::vector<std::string> problems;
  if (!ValidPatternName(p.name)) {
    problems.push_back(prefix + ".name: want lower-case letters, digits and '_'; got \"" + p.name + "\"");
  } else if (FindBuiltin(p.name) != nullptr || p.name == "api_keys") {
    problems.push_back(prefix + ".name: \"" + p.name + "\" is a built-in pattern; switch it in content.redact.builtin");
  }
  if (p.regex.empty()) {
    problems.push_back(prefix + ".regex: is required");
    return problems;
  }
  re2::RE2::Options options;
  options.set_log_errors(false);
  re2::RE2 re(p.regex, options);
  if (!re.ok()) {
    problems.push_back(prefix + ".regex: invalid RE2 regex: " + re.error());
    return problems;
  }
  if (!p.replacement.empty()) {
    std::string error;
    if (!re.CheckRewriteString(p.replacement, &error)) {
      problems.push_back(prefix + ".replacement: " + error);
    }
  }
  return problems;
}

std::vector<std::string> Problems(const ContentPolicyConfig& c) {
  std::vector<std::string> problems;
  for (const auto& [name, on] : c.builtin) {
    if (name != "api_keys" && FindBuiltin(name) == nullptr) {
      problems.push_back("content.redact.builtin." + name + ": unknown pattern (built-ins: " + JoinNames() + ")");
    }
  }
  std::set<std::string> names;
  for (size_t i = 0; i < c.patterns.size(); ++i) {
    std::string prefix = "content.redact.patterns[" + std::to_string(i) + "]";
    for (auto& p : CheckCustom(c.patterns[i], prefix)) problems.push_back(std::move(p));
    if (!c.patterns[i].name.empty() && !names.insert(c.patterns[i].name).second) {
      problems.push_back(prefix + ".name: \"" + c.patterns[i].name + "\" is used twice");
    }
  }
  for (size_t i = 0; i < c.keep_keys.size(); ++i) {
    if (c.keep_keys[i].empty()) {
      problems.push_back("content.redact.keep_keys[" + std::to_string(i) + "]: is empty");
    }
  }
  return problems;
}

}  // namespace

Status ContentPolicyConfig::Validate() const {
  std::vector<std::string> problems = Problems(*this);
  if (problems.empty()) return Status::Ok();
  return Status::InvalidArgument(problems.front());
}

void ReadContentPolicyConfig(server::ConfigReader& r, ContentPolicyConfig* out) {
  std::string capture(CaptureModeName(out->capture));
  r.GetString("content.capture", &capture);
  if (auto mode = ParseCaptureMode(capture); mode.ok()) {
    out->capture = *mode;
  } else {
    r.AddError("content.capture: " + mode.status().message());
  }
  r.GetBoolMap("content.redact.builtin", &out->builtin);
  const size_t n = r.ListSize("content.redact.patterns");
  if (n > 0) out->patterns.clear();
  for (size_t i = 0; i < n; ++i) {
    const std::string p = "content.redact.patterns[" + std::to_string(i) + "].";
    CustomPattern pattern;
    r.GetString(p + "name", &pattern.name);
    r.GetString(p + "regex", &pattern.regex);
    r.GetString(p + "replacement", &pattern.replacement);
    out->patterns.push_back(std::move(pattern));
  }
  r.GetStringList("content.redact.keep_keys", &out->keep_keys);
  for (auto& problem : Problems(*out)) r.AddError(std::move(problem));
}

}  // namespace loupe::privacy
