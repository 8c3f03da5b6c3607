#include "pricing/pricer.h"

#include <algorithm>
#include <cctype>
#include <limits>

#include "pricing/catalog_io.h"

namespace loupe::pricing {
namespace {

int64_t Clamp(std::optional<int64_t> tokens) { return std::max<int64_t>(0, tokens.value_or(0)); }

int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t sum;
  if (__builtin_add_overflow(a, b, &sum)) return std::numeric_limits<int64_t>::max();
  return sum;
}

}  // namespace

void UnpricedModels::Record(const std::string& provider, const std::string& model, bool reported) {
  std::lock_guard<std::mutex> lock(mu_);
  auto key = std::make_pair(provider, model);
  auto it = items_.find(key);
  if (it == items_.end()) {
    if (items_.size() >= max_models_) {
      ++overflow_;
      return;
    }
    it = items_.emplace(key, Item{provider, model, 0, 0}).first;
  }
  ++it->second.calls;
  if (reported) ++it->second.reported;
}

std::vector<UnpricedModels::Item> UnpricedModels::Snapshot() const {
  std::vector<Item> out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [key, item] : items_) out.push_back(item);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Item& a, const Item& b) { return a.calls > b.calls; });
  return out;
}

int64_t UnpricedModels::overflow() const {
  std::lock_guard<std::mutex> lock(mu_);
  return overflow_;
}

MatchCache::Hit MatchCache::Get(const Catalog& catalog, const std::string& model,
                                const std::string& provider) {
  std::string key;
  key.reserve(model.size() + provider.size() + 1);
  key.append(model).push_back('\0');
  key.append(provider);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = hits_.find(key); it != hits_.end()) return it->second;
  }
  Match match = catalog.Lookup(model, provider, std::nullopt);
  Hit hit{match.entry, std::move(match.why)};
  std::lock_guard<std::mutex> lock(mu_);
  if (hits_.size() >= max_pairs_) hits_.clear();
  hits_.emplace(std::move(key), hit);
  return hit;
}

Pricer::Pricer(std::shared_ptr<const Catalog> catalog, PricerOptions options)
    : catalog_(std::move(catalog)), options_(options) {}

Result<std::unique_ptr<Pricer>> Pricer::Create(const PricingConfig& config) {
  LOUPE_RETURN_IF_ERROR(config.Validate());
  Result<LoadedPricing> loaded = LoadPricing(config);
  if (!loaded.ok()) return loaded.status();
  PricerOptions options;
  options.prefer_reported_cost = config.prefer_reported_cost;
  options.cache_write_1h = loaded->cache_write_1h;
  return std::make_unique<Pricer>(loaded->catalog, options);
}

void Pricer::Price(model::LlmCall* call, uint64_t start_unix_nanos) const {
  model::CostBreakdown cost;
  cost.reported_nanos = call->reported_cost_nanos;
  if (cost.reported_nanos && *cost.reported_nanos < 0) cost.reported_nanos.reset();

  const int64_t at = start_unix_nanos > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())
                         ? std::numeric_limits<int64_t>::max()
                         : static_cast<int64_t>(start_unix_nanos);
  const std::string& model = call->model();
  // The cached untimed answer is the timed one whenever its entry is in
  // force at `at` (or nothing matched at all); see MatchCache.
  MatchCache::Hit hit = matches_.Get(*catalog_, model, call->provider);
  const PriceVersion* version = hit.entry != nullptr ? hit.entry->VersionAt(at) : nullptr;
  if (hit.entry != nullptr && version == nullptr) {
    Match match = catalog_->Lookup(model, call->provider, at);
    hit = {match.entry, std::move(match.why)};
    version = hit.entry != nullptr ? hit.entry->VersionAt(at) : nullptr;
  }
  cost.price_match = std::move(hit.why);
  if (version != nullptr) {
    cost.price_entry = hit.entry->key;
  } else {
    unpriced_.Record(call->provider, model, cost.reported_nanos.has_value());
  }

  const model::TokenUsage& t = call->tokens;
  if (version != nullptr && t.any()) {
    const int64_t input = Clamp(t.input), cache_read = Clamp(t.cache_read),
                  cache_write = Clamp(t.cache_write), output = Clamp(t.output),
                  reasoning = Clamp(t.reasoning);
    std::string tier = call->service_tier;
    for (char& c : tier) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ResolvedRates resolved = version->Resolve(input + cache_read + cache_write, tier);
    const Rates& r = resolved.rates;
    const NanosPerMTok input_rate = r.input.value_or(0);
    const NanosPerMTok output_rate = r.output.value_or(0);
    std::optional<NanosPerMTok> write_rate =
        options_.cache_write_1h && r.cache_write_1h ? r.cache_write_1h : r.cache_write_5m;
    cost.input_nanos = TokenCostNanos(input, input_rate);
    cost.cache_read_nanos = TokenCostNanos(cache_read, r.cache_read.value_or(input_rate));
    cost.cache_write_nanos = TokenCostNanos(cache_write, write_rate.value_or(input_rate));
    cost.output_nanos = TokenCostNanos(output, output_rate);
    cost.reasoning_nanos = TokenCostNanos(reasoning, r.reasoning.value_or(output_rate));
    int64_t total = 0;
    for (int64_t part : {cost.input_nanos, cost.cache_read_nanos, cost.cache_write_nanos,
                         cost.output_nanos, cost.reasoning_nanos}) {
      total = SaturatingAdd(total, part);
    }
    cost.catalog_nanos = total;
    cost.price_tier = resolved.tier;
  }

  if (cost.catalog_nanos && !(options_.prefer_reported_cost && cost.reported_nanos)) {
    cost.source = model::CostSource::kCatalog;
    cost.total_nanos = cost.catalog_nanos;
  } else if (cost.reported_nanos) {
    cost.source = model::CostSource::kReported;
    cost.total_nanos = cost.reported_nanos;
  }
  call->cost = std::move(cost);
}

}  // namespace loupe::pricing
