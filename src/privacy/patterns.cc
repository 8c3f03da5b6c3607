#include "privacy/patterns.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace loupe::privacy {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// memmem (two-way search) rather than string_view::find, which memchr's
// the first byte and compares: slow when that byte is common ('e' of "earer").
bool Contains(std::string_view t, std::string_view literal) {
  return memmem(t.data(), t.size(), literal.data(), literal.size()) != nullptr;
}

bool HasSk(std::string_view t) { return Contains(t, "sk-"); }
bool HasSkAnt(std::string_view t) { return Contains(t, "sk-ant-"); }
bool HasAwsPrefix(std::string_view t) { return Contains(t, "AKIA") || Contains(t, "ASIA"); }
bool HasGithubPrefix(std::string_view t) { return Contains(t, "gh") || Contains(t, "github_pat_"); }
bool HasAiza(std::string_view t) { return Contains(t, "AIza"); }
bool HasXox(std::string_view t) { return Contains(t, "xox"); }
bool HasEyj(std::string_view t) { return Contains(t, "eyJ"); }
bool HasBearer(std::string_view t) { return Contains(t, "earer") || Contains(t, "EARER"); }

constexpr std::array<uint16_t, 256> MakeTriggerTable() {
  std::array<uint16_t, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = kTrigDigit;
  table['@'] = kTrigAt;
  table['.'] = kTrigDot;
  table['-'] = kTrigDash;
  table['_'] = kTrigUnderscore;
  table['A'] = kTrigUpperA;
  table['J'] = kTrigUpperJ;
  table['x'] = kTrigLowerX;
  table['k'] = kTrigLowerK;
  table['r'] = kTrigEarer;
  table['R'] = kTrigEarer;
  return table;
}
constexpr std::array<uint16_t, 256> kTriggerTable = MakeTriggerTable();

std::string DigitsOf(std::string_view text, size_t begin, size_t end) {
  std::string digits;
  for (size_t i = begin; i < end; ++i) {
    if (IsDigit(text[i])) digits.push_back(text[i]);
  }
  return digits;
}

// Card numbers: 13-19 digits, an issuer's first digit (2-6: Mastercard 2-series,
// Amex/Diners/JCB 3, Visa 4, Mastercard 5, Discover/UnionPay 6) and a valid
// Luhn check digit, so order and tracking numbers mostly survive.
bool AcceptCard(std::string_view text, size_t begin, size_t end) {
  if (!StandaloneNumber(text, begin, end)) return false;
  std::string digits = DigitsOf(text, begin, end);
  if (digits.size() < 13 || digits.size() > 19) return false;
  if (digits[0] < '2' || digits[0] > '6') return false;
  return LuhnValid(digits);
}

// International numbers: E.164 allows at most 15 digits; fewer than 8 is
// more likely a score or a quantity than a phone number. Either shape must
// not be a piece of a longer dotted or dashed number (versions, ids).
bool AcceptPhone(std::string_view text, size_t begin, size_t end) {
  if (!StandaloneNumber(text, begin, end)) return false;
  if (text[begin] != '+') return true;
  size_t n = DigitsOf(text, begin, end).size();
  return n >= 8 && n <= 15;
}

// Key bodies are random: a run of letters and dashes with no digit is a
// phrase ("sk-this-is-not-a-key-just-words"), not a key.
bool AcceptRandomKey(std::string_view text, size_t begin, size_t end) {
  std::string_view key = text.substr(begin, end - begin);
  return std::any_of(key.begin(), key.end(), IsDigit);
}

constexpr std::array<BuiltinPattern, 12> kPatterns = {{
    {"anthropic_key", R"(\bsk-ant-[A-Za-z0-9_-]{20,})", true, true, kTrigDash | kTrigLowerK | kTrigDigit, HasSkAnt,
     AcceptRandomKey},
    {"openai_key", R"(\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,})", true, true,
     kTrigDash | kTrigLowerK | kTrigDigit, HasSk, AcceptRandomKey},
    {"aws_access_key", R"(\b(?:AKIA|ASIA)[A-Z0-9]{16}\b)", true, true, kTrigUpperA, HasAwsPrefix, nullptr},
    {"github_token", R"(\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b)", true, true,
     kTrigUnderscore, HasGithubPrefix, nullptr},
    {"google_api_key", R"(\bAIza[0-9A-Za-z_-]{35})", true, true, kTrigUpperA, HasAiza, nullptr},
    {"slack_token", R"(\bxox[abposr]-[A-Za-z0-9-]{10,})", true, true, kTrigLowerX | kTrigDash, HasXox, nullptr},
    {"jwt", R"(\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*)", true, true,
     kTrigUpperJ | kTrigDot, HasEyj, nullptr},
    // "Bearer", "bearer" or "BEARER" and an opaque token.
    {"bearer_token", R"(\b(?:[Bb]earer|BEARER)\s+[A-Za-z0-9._~+/-]{16,}=*)", true, true, kTrigEarer, HasBearer,
     nullptr},
    {"email", R"(\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b)", true, false,
     kTrigAt | kTrigDot, nullptr, nullptr},
    {"card", R"(\b(?:\d{4}[ -]){3}\d{4}\b|\b\d{4}[ -]\d{6}[ -]\d{5}\b|\b\d{13,19}\b)", true, false, kTrigDigit,
     nullptr, AcceptCard},
    {"ipv4",
     R"(\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b)", false, false,
     kTrigDigit | kTrigDot, nullptr, StandaloneNumber},
    // Two shapes: "+" and 8-15 digits with spaces, dots, dashes or
    // parentheses between them; or the North American 555-123-4567 /
    // (555) 123-4567 / 555.123.4567, optionally after a leading 1.
    {"phone",
     R"(\+\d(?:[ .()-]{0,2}\d){6,14}|(?:\b1[ .-])?(?:\(\d{3}\)[ ]?|\b\d{3}[ .-])\d{3}[ .-]\d{4}\b)", true, false,
     kTrigDigit, nullptr, AcceptPhone},
}};

}  // namespace

uint32_t TriggerMask(std::string_view text) {
  uint32_t mask = 0;
  for (unsigned char c : text) mask |= kTriggerTable[c];
  return mask;
}

bool LuhnValid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool double_it = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (!IsDigit(*it)) return false;
    int d = *it - '0';
    if (double_it) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double_it = !double_it;
  }
  return sum % 10 == 0;
}

bool StandaloneNumber(std::string_view text, size_t begin, size_t end) {
  if (begin > 0) {
    char before = text[begin - 1];
    if (IsDigit(before)) return false;
    if ((before == '.' || before == '-') && begin > 1 && IsDigit(text[begin - 2])) return false;
  }
  if (end < text.size()) {
    char after = text[end];
    if (IsDigit(after)) return false;
    if ((after == '.' || after == '-') && end + 1 < text.size() && IsDigit(text[end + 1])) return false;
  }
  return true;
}

std::span<const BuiltinPattern> BuiltinPatterns() { return kPatterns; }

const BuiltinPattern* FindBuiltin(std::string_view name) {
  for (const auto& p : kPatterns) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::vector<std::string> BuiltinPatternNames() {
  std::vector<std::string> names;
  for (const auto& p : kPatterns) names.emplace_back(p.name);
  names.emplace_back("api_keys");
  return names;
}

}  // namespace loupe::privacy
