// Exact money arithmetic for pricing.
//
// Prices are integer nano-dollars (1e-9 USD) per million tokens; costs are
// integer nano-dollars. The smallest per-token price in the LiteLLM data
// (1.3e-10 USD) is 130,000 nano-dollars per million tokens, so this unit
// holds every published price exactly, and a price text like "0.3" is
// parsed as a decimal, never through a binary double.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace loupe::pricing {

// Nano-dollars per million tokens.
using NanosPerMTok = int64_t;

inline constexpr int64_t kNanosPerUsd = 1'000'000'000;

// Parses a non-negative decimal USD amount ("3", "0.3", "3.75", "1.25e-06",
// "2E3") into nano-dollars times `scale` (1 for USD amounts, 1e6 to turn
// a USD-per-token figure into nano-dollars per million tokens). Fails
// when the value is negative, not a number, has a fraction finer than
// one unit, or overflows int64.
Result<int64_t> ParseDecimalNanos(std::string_view text, int64_t scale = 1);

// Cost of `tokens` at `price` nano-dollars per million tokens, rounded
// half up to a whole nano-dollar. Exact: the product is taken in 128 bits.
// REQUIRES: tokens >= 0, price >= 0. Saturates at INT64_MAX.
int64_t TokenCostNanos(int64_t tokens, NanosPerMTok price);

// Formats nano-dollars as a decimal USD amount without trailing zeros:
// 3750000000 -> "3.75", 28000000 -> "0.028", 0 -> "0".
std::string FormatUsd(int64_t nanos);

}  // namespace loupe::pricing
