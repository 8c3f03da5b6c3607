// Label matchers, as Alertmanager writes them: name=value, name!=value,
// name=~regex, name!~regex (regexes are anchored, RE2 syntax). Used by
// routes and silences.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace re2 {
class RE2;
}

namespace loupe::alerting {

using Labels = std::map<std::string, std::string>;

class Matcher {
 public:
  enum class Op { kEqual, kNotEqual, kRegex, kNotRegex };

  // InvalidArgument for a bad name, a missing operator or a bad regex.
  static Result<Matcher> Make(std::string name, Op op, std::string value);

  // A label that is absent matches as "".
  bool Matches(const Labels& labels) const;

  const std::string& name() const { return name_; }
  Op op() const { return op_; }
  const std::string& value() const { return value_; }
  std::string ToString() const;  // "name=~value"

 private:
  Matcher() = default;
  std::string name_;
  Op op_ = Op::kEqual;
  std::string value_;
  std::shared_ptr<const re2::RE2> regex_;  // kRegex / kNotRegex
};

// Parses "severity=page", "team=~search|ads", "env!=\"dev\"" (quotes optional).
Result<Matcher> ParseMatcher(std::string_view text);

// True when every matcher matches.
bool MatchesAll(const std::vector<Matcher>& matchers, const Labels& labels);

}  // namespace loupe::alerting
