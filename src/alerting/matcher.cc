#include "alerting/matcher.h"

#include <re2/re2.h>

namespace loupe::alerting {

Result<Matcher> Matcher::Make(std::string name, Op op, std::string value) {
  if (name.empty()) return Status::InvalidArgument("matcher has no label name");
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
      return Status::InvalidArgument("matcher label name \"" + name + "\" is not a label name");
    }
  }
  Matcher m;
  m.name_ = std::move(name);
  m.op_ = op;
  m.value_ = std::move(value);
  if (op == Op::kRegex || op == Op::kNotRegex) {
    RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_shared<const re2::RE2>("^(?:" + m.value_ + ")$", options);
    if (!re->ok()) return Status::InvalidArgument("matcher " + m.name_ + ": bad regex: " + re->error());
    m.regex_ = std::move(re);
  }
  return m;
}

bool Matcher::Matches(const Labels& labels) const {
  auto it = labels.find(name_);
  const std::string empty;
  const std::string& v = it == labels.end() ? empty : it->second;
  switch (op_) {
    case Op::kEqual: return v == value_;
    case Op::kNotEqual: return v != value_;
    case Op::kRegex: return RE2::FullMatch(v, *regex_);
    case Op::kNotRegex: return !RE2::FullMatch(v, *regex_);
  }
  return false;
}

std::string Matcher::ToString() const {
  static constexpr const char* kOps[] = {"=", "!=", "=~", "!~"};
  return name_ + kOps[static_cast<int>(op_)] + value_;
}

Result<Matcher> ParseMatcher(std::string_view text) {
  size_t pos = text.find_first_of("=!");
  if (pos == std::string_view::npos || pos == 0) {
    return Status::InvalidArgument("matcher \"" + std::string(text) + "\": want name=value, name!=value, name=~re or name!~re");
  }
  std::string_view name = text.substr(0, pos);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  std::string_view rest = text.substr(pos);
  Matcher::Op op;
  if (rest.starts_with("=~")) {
    op = Matcher::Op::kRegex;
    rest.remove_prefix(2);
  } else if (rest.starts_with("!~")) {
    op = Matcher::Op::kNotRegex;
    rest.remove_prefix(2);
  } else if (rest.starts_with("!=")) {
    op = Matcher::Op::kNotEqual;
    rest.remove_prefix(2);
  } else if (rest.starts_with("=")) {
    op = Matcher::Op::kEqual;
    rest.remove_prefix(1);
  } else {
    return Status::InvalidArgument("matcher \"" + std::string(text) + "\": unknown operator");
  }
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.size() >= 2 && rest.front() == '"' && rest.back() == '"') rest = rest.substr(1, rest.size() - 2);
  return Matcher::Make(std::string(name), op, std::string(rest));
}

bool MatchesAll(const std::vector<Matcher>& matchers, const Labels& labels) {
  for (const auto& m : matchers) {
    if (!m.Matches(labels)) return false;
  }
  return true;
}

}  // namespace loupe::alerting
