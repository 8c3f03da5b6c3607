#include "pricing/describe.h"

#include <sstream>

#include "pricing/money.h"

namespace loupe::pricing {
namespace {

std::string RatesLine(const Rates& r) {
  std::string out;
  auto add = [&](std::string_view name, const std::optional<NanosPerMTok>& v) {
    if (v) out += (out.empty() ? "" : "  ") + std::string(name) + " " + FormatUsd(*v);
  };
  add("input", r.input);
  add("output", r.output);
  add("cache_read", r.cache_read);
  add("cache_write_5m", r.cache_write_5m);
  add("cache_write_1h", r.cache_write_1h);
  add("reasoning", r.reasoning);
  return out.empty() ? "(no prices)" : out;
}

void DescribeSet(const PriceSet& set, const std::string& indent, std::ostringstream* out) {
  *out << indent << RatesLine(set.base) << "\n";
  for (const TierRates& t : set.above) {
    *out << indent << "above " << t.above_tokens << " prompt tokens: " << RatesLine(t.rates)
         << "\n";
  }
}

}  // namespace

std::string DescribePrices(const PriceEntry& entry) {
  std::ostringstream out;
  for (const PriceVersion& v : entry.prices) {
    out << "  from " << v.effective_from << " (USD per million tokens):\n";
    DescribeSet(v.standard, "    ", &out);
    for (const auto& [tier, set] : v.service_tiers) {
      out << "    " << tier << " tier:\n";
      DescribeSet(set, "      ", &out);
    }
  }
  return out.str();
}

std::string DescribeLookup(const Catalog& catalog, std::string_view model,
                           std::string_view provider_hint) {
  Match match = catalog.Lookup(model, provider_hint);
  std::ostringstream out;
  out << "model:    " << model << "\n";
  out << "provider: " << (match.provider_hint.empty() ? "(none given)" : match.provider_hint)
      << "\n";
  if (!match.matched()) {
    out << "match:    none\n";
    out << "why:      " << match.why << "\n";
    out << "Calls to this model get an unknown cost (never $0), unless the span reports one.\n"
        << "Add it to the overrides file to price it (docs/pricing.md).\n";
    return out.str();
  }
  const PriceEntry& e = *match.entry;
  out << "match:    " << e.key << " (" << e.mode << ", "
      << (e.origin == Origin::kOverride ? "override" : "builtin") << ")\n";
  out << "why:      " << match.why << "\n";
  out << DescribePrices(e);
  if (!match.alternatives.empty()) {
    out << "also matched:";
    for (const PriceEntry* alt : match.alternatives) out << " " << alt->key;
    out << "\n";
  }
  return out.str();
}

}  // namespace loupe::pricing
