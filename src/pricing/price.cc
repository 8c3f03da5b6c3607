#include "pricing/price.h"

#include <algorithm>

namespace loupe::pricing {
namespace {

const TierRates* TierFor(const PriceSet& set, int64_t prompt_tokens) {
  const TierRates* found = nullptr;
  for (const TierRates& t : set.above) {
    if (prompt_tokens > t.above_tokens) found = &t;
  }
  return found;
}

std::string TierLabel(int64_t above_tokens) {
  if (above_tokens % 1000 == 0) return "above_" + std::to_string(above_tokens / 1000) + "k";
  return "above_" + std::to_string(above_tokens);
}

}  // namespace

void Rates::FillFrom(const Rates& f) {
  if (!input) input = f.input;
  if (!output) output = f.output;
  if (!cache_read) cache_read = f.cache_read;
  if (!cache_write_5m) cache_write_5m = f.cache_write_5m;
  if (!cache_write_1h) cache_write_1h = f.cache_write_1h;
  if (!reasoning) reasoning = f.reasoning;
}

ResolvedRates PriceVersion::Resolve(int64_t prompt_tokens, const std::string& service_tier) const {
  ResolvedRates out;
  std::vector<std::string> labels;
  auto svc = service_tier.empty() ? service_tiers.end() : service_tiers.find(service_tier);
  const TierRates* std_tier = TierFor(standard, prompt_tokens);
  int64_t above = -1;
  if (svc != service_tiers.end()) {
    labels.push_back(service_tier);
    if (const TierRates* t = TierFor(svc->second, prompt_tokens)) {
      out.rates.FillFrom(t->rates);
      above = t->above_tokens;
    }
    out.rates.FillFrom(svc->second.base);
  }
  if (std_tier != nullptr) {
    out.rates.FillFrom(std_tier->rates);
    above = std::max(above, std_tier->above_tokens);
  }
  out.rates.FillFrom(standard.base);
  if (above >= 0) labels.push_back(TierLabel(above));
  for (size_t i = 0; i < labels.size(); ++i) out.tier += (i ? "+" : "") + labels[i];
  return out;
}

const PriceVersion* PriceEntry::VersionAt(int64_t unix_nanos) const {
  const PriceVersion* found = nullptr;
  for (const PriceVersion& v : prices) {
    if (v.effective_from_unix_nanos <= unix_nanos) found = &v;
  }
  return found;
}

}  // namespace loupe::pricing
