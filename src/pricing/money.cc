#include "pricing/money.h"

#include <cctype>
#include <limits>

namespace loupe::pricing {
namespace {

using u128 = unsigned __int128;
constexpr u128 kInt64Max = static_cast<u128>(std::numeric_limits<int64_t>::max());

}  // namespace

Result<int64_t> ParseDecimalNanos(std::string_view text, int64_t scale) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument("price \"" + std::string(text) + "\": " + std::string(why));
  };
  size_t i = 0;
  if (i < text.size() && text[i] == '+') ++i;
  if (i < text.size() && text[i] == '-') return bad("must not be negative");
  // Mantissa digits as an integer plus the count of fraction digits.
  u128 mantissa = 0;
  int frac_digits = 0;
  bool any_digit = false, in_fraction = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !in_fraction) {
      in_fraction = true;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(c))) break;
    any_digit = true;
    if (mantissa == 0 && c == '0') {
      if (in_fraction) ++frac_digits;
      continue;
    }
    if (mantissa > kInt64Max * 1000) return bad("too many digits");
    mantissa = mantissa * 10 + static_cast<unsigned>(c - '0');
    if (in_fraction) ++frac_digits;
  }
  if (!any_digit) return bad("not a number");
  int exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
    if (i == text.size()) return bad("missing exponent");
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
      exponent = exponent * 10 + (text[i] - '0');
      if (exponent > 400) return bad("exponent out of range");
    }
    if (negative) exponent = -exponent;
  }
  if (i != text.size()) return bad("not a number");
  if (mantissa == 0) return int64_t{0};

  // value = mantissa * 10^(exponent - frac_digits) USD; we want
  // value * 1e9 * scale as an exact integer.
  u128 result = mantissa * static_cast<u128>(scale);
  int power = exponent - frac_digits + 9;
  for (; power > 0; --power) {
    result *= 10;
    if (result > kInt64Max) return bad("too large");
  }
  for (; power < 0; ++power) {
    if (result % 10 != 0) return bad("finer than one nano-dollar unit");
    result /= 10;
  }
  if (result > kInt64Max) return bad("too large");
  return static_cast<int64_t>(result);
}

int64_t TokenCostNanos(int64_t tokens, NanosPerMTok price) {
  if (tokens <= 0 || price <= 0) return 0;
  u128 product = static_cast<u128>(tokens) * static_cast<u128>(price);
  u128 cost = (product + 500'000) / 1'000'000;  // round half up, once
  return cost > kInt64Max ? std::numeric_limits<int64_t>::max() : static_cast<int64_t>(cost);
}

std::string FormatUsd(int64_t nanos) {
  std::string sign = nanos < 0 ? "-" : "";
  uint64_t v = nanos < 0 ? 0 - static_cast<uint64_t>(nanos) : static_cast<uint64_t>(nanos);
  std::string out = sign + std::to_string(v / kNanosPerUsd);
  uint64_t frac = v % kNanosPerUsd;
  if (frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, 9 - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out;
}

}  // namespace loupe::pricing
