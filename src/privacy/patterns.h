// The built-in redaction patterns: what each one looks for, as an RE2
// regex plus the checks RE2 cannot express (Luhn, digit counts, "this
// number is not part of a longer dotted sequence"), and a cheap exact
// pre-check that lets most strings skip the regex pass altogether.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace loupe::privacy {

// Character classes a match needs, found for a whole string in one pass
// (TriggerMask) so that most strings skip every pattern at once.
enum Trigger : uint32_t {
  kTrigDigit = 1u << 0,
  kTrigAt = 1u << 1,
  kTrigDot = 1u << 2,
  kTrigDash = 1u << 3,
  kTrigUnderscore = 1u << 4,
  kTrigUpperA = 1u << 5,  // AKIA, ASIA, AIza
  kTrigUpperJ = 1u << 6,  // eyJ
  kTrigLowerX = 1u << 7,  // xox
  kTrigLowerK = 1u << 8,  // sk-
  kTrigEarer = 1u << 9,   // 'r' or 'R' (bearer / BEARER)
};

// The Trigger bits present in text.
uint32_t TriggerMask(std::string_view text);

struct BuiltinPattern {
  std::string_view name;   // config key and counter label: "email", "card", ...
  std::string_view regex;  // RE2 syntax
  bool default_on;
  bool api_key;  // one of the key shapes switched together by `api_keys`
  uint32_t needs;  // Trigger bits every match contains
  // When the bits are there, a finer exact check (the literal "sk-" for
  // OpenAI keys); nullptr when the bits say enough. Exact: never false on
  // a match.
  bool (*may_match)(std::string_view text);
  // Accepts or rejects the match text[begin, end) that the regex found;
  // nullptr accepts every match.
  bool (*accept)(std::string_view text, size_t begin, size_t end);
};

// In the order they are applied: key shapes first (the more specific
// sk-ant- before sk-, JWTs before bearer tokens), then e-mail, card
// numbers, IPv4 and phone numbers.
std::span<const BuiltinPattern> BuiltinPatterns();
const BuiltinPattern* FindBuiltin(std::string_view name);
// Every built-in name, plus the group name "api_keys".
std::vector<std::string> BuiltinPatternNames();

// True when `digits` (only '0'..'9') passes the Luhn check.
bool LuhnValid(std::string_view digits);

// True when text[begin, end) is not glued to a longer number: the byte
// before is not a digit nor a '.'/'-' after a digit, and likewise after.
// Rejects "1.2.555.123.4567" and "4111-1111-1111-1111-2" style runs.
bool StandaloneNumber(std::string_view text, size_t begin, size_t end);

}  // namespace loupe::privacy
