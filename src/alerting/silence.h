// Silences: label matchers and a time range during which matching alerts
// keep their state but are not notified. Kept in the store's durable
// values (namespace "alert.silence"), so they survive restarts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "alerting/matcher.h"
#include "common/result.h"

namespace loupe::alerting {

struct Silence {
  std::string id;                     // assigned when created
  std::vector<std::string> matchers;  // "team=search", "alertname=~Llm.*"
  uint64_t starts_at_ns = 0;          // 0: from creation
  uint64_t ends_at_ns = 0;            // required
  std::string created_by, comment;

  bool ActiveAt(uint64_t now_ns) const { return starts_at_ns <= now_ns && now_ns < ends_at_ns; }
};

// Parses the matchers, so a silence is checked before it is stored.
Result<std::vector<Matcher>> CompileSilence(const Silence& s);

// JSON (the API's body and the stored value). Times are RFC 3339 in the
// API; the stored form uses the same encoder.
std::string SilenceToJson(const Silence& s);
// Accepts {"matchers": ["a=b"] or [{"name","value","isRegex","isEqual"}],
// "startsAt"?, "endsAt", "createdBy"?, "comment"?}. Errors name the field.
Result<Silence> SilenceFromJson(const std::string& text);

}  // namespace loupe::alerting
