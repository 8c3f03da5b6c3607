// The data of a price catalog: entries, their dated price versions, and
// the rates inside each. Plain values; Catalog (catalog.h) indexes them.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pricing/money.h"

namespace re2 {
class RE2;
}

namespace loupe::pricing {

// Per-token-type prices. Unset means "this set says nothing": the caller
// falls back to a less specific set (see PriceVersion::Resolve).
struct Rates {
  std::optional<NanosPerMTok> input;
  std::optional<NanosPerMTok> output;
  std::optional<NanosPerMTok> cache_read;
  std::optional<NanosPerMTok> cache_write_5m;
  std::optional<NanosPerMTok> cache_write_1h;
  std::optional<NanosPerMTok> reasoning;  // only when the model has its own

  bool empty() const {
    return !input && !output && !cache_read && !cache_write_5m && !cache_write_1h && !reasoning;
  }
  // Fills each unset field from `fallback`.
  void FillFrom(const Rates& fallback);
  bool operator==(const Rates&) const = default;
};

// Rates that apply when a call's prompt (input + cache read + cache write)
// is above `above_tokens`, e.g. Anthropic's and Gemini's >200k prices.
struct TierRates {
  int64_t above_tokens = 0;
  Rates rates;
  bool operator==(const TierRates&) const = default;
};

// Base rates plus long-context tiers, sorted by above_tokens.
struct PriceSet {
  Rates base;
  std::vector<TierRates> above;
  bool empty() const { return base.empty() && above.empty(); }
  bool operator==(const PriceSet&) const = default;
};

// The rates finally used for one call, with every field the set knows
// about filled in, and a label for CostBreakdown::price_tier.
struct ResolvedRates {
  Rates rates;
  std::string tier;  // "", "above_200k", "batch", "priority+above_272k", ...
};

// Prices from one date on.
struct PriceVersion {
  int64_t effective_from_unix_nanos = 0;
  std::string effective_from;  // as written, "2025-01-01"
  PriceSet standard;
  // "batch", "priority", "flex": OpenAI/Gemini service tiers.
  std::map<std::string, PriceSet> service_tiers;

  // The rates for a call with `prompt_tokens` of input (all kinds) in
  // `service_tier` ("" for standard; unknown tiers use standard). Each
  // field comes from the most specific set that has it: service tier
  // above-N, service tier base, standard above-N, standard base.
  ResolvedRates Resolve(int64_t prompt_tokens, const std::string& service_tier) const;

  bool operator==(const PriceVersion&) const = default;
};

enum class Origin : uint8_t { kBuiltin = 0, kOverride = 1 };

struct PriceEntry {
  std::string key;       // canonical: "<provider>/<model>", e.g. "anthropic/claude-sonnet-4-5"
  std::string provider;  // OTel GenAI provider name, "" when any provider
  std::string model;     // the model id as the provider spells it
  std::string mode;      // chat | embedding | completion | responses
  std::vector<std::string> litellm_keys;  // where the facts came from
  // Override entries only: RE2 patterns matched (whole string, any case)
  // against the model string as the span reported it.
  std::vector<std::string> match;
  std::vector<std::shared_ptr<const re2::RE2>> match_re;
  std::vector<PriceVersion> prices;  // sorted by effective_from, non-empty
  Origin origin = Origin::kBuiltin;

  // The version in force at `unix_nanos`, or null when the call predates
  // the first version.
  const PriceVersion* VersionAt(int64_t unix_nanos) const;
};

}  // namespace loupe::pricing
