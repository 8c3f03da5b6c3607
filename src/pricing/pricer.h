// Pricer: fills LlmCall::cost from the catalog (tokens x prices) and the
// span's reported cost, and remembers which models had no price.
//
// Thread-safe: Price() may be called from any number of threads; the
// catalog is immutable and the unpriced-model counts take a mutex.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "model/llm_call.h"
#include "pricing/catalog.h"
#include "pricing/config.h"

namespace loupe::pricing {

// Models seen without a catalog price, so users can see what to add.
// Bounded: at most `max_models` distinct (provider, model) pairs are
// kept; further ones are only counted in overflow(), since model strings
// come from the wire.
class UnpricedModels {
 public:
  struct Item {
    std::string provider;
    std::string model;
    int64_t calls = 0;
    int64_t reported = 0;  // of which the span reported its own cost
  };

  explicit UnpricedModels(size_t max_models = 1000) : max_models_(max_models) {}

  void Record(const std::string& provider, const std::string& model, bool reported);
  // Sorted by calls, most first.
  std::vector<Item> Snapshot() const;
  int64_t overflow() const;

 private:
  const size_t max_models_;
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Item> items_;  // GUARDED_BY(mu_)
  int64_t overflow_ = 0;                                       // GUARDED_BY(mu_)
};

struct PricerOptions {
  bool prefer_reported_cost = false;
  bool cache_write_1h = false;  // price cache writes at the 1-hour rate
};

// Remembers Catalog::Lookup's answer per (model, provider hint) string
// pair: a lookup parses the model string, ranks candidates and runs the
// override patterns, while real traffic repeats a handful of pairs. The
// answer is the time-independent one (no `at`): it is used only when its
// entry has a price in force at the call's time, which makes it exactly the
// answer a timed lookup would give; otherwise the caller looks up afresh.
// Bounded (pairs come from the wire): cleared when full. Thread-safe.
class MatchCache {
 public:
  struct Hit {
    const PriceEntry* entry = nullptr;
    std::string why;
  };
  explicit MatchCache(size_t max_pairs = 4096) : max_pairs_(max_pairs) {}

  // Looks `model` / `provider` up in `catalog` on a miss.
  Hit Get(const Catalog& catalog, const std::string& model, const std::string& provider);

 private:
  const size_t max_pairs_;
  std::mutex mu_;
  std::unordered_map<std::string, Hit> hits_;  // GUARDED_BY(mu_); key: model '\0' provider
};

class Pricer {
 public:
  Pricer(std::shared_ptr<const Catalog> catalog, PricerOptions options);

  // Builtin catalog + the config's overrides. REQUIRES: config.Validate().ok()
  static Result<std::unique_ptr<Pricer>> Create(const PricingConfig& config);

  // Sets call->cost. The price version in force at `start_unix_nanos`
  // (the span's start) is used, so later price changes never rewrite a
  // past call's cost. Rules:
  //  - per token type: tokens x rate, rounded to a nano-dollar once;
  //    reasoning at the reasoning rate, else the output rate; cache read
  //    and write at their rates, else the input rate; cache write at the
  //    5m or 1h rate per options (1h falls back to 5m);
  //  - above-N tiers when input + cache read + cache write > N;
  //  - call->service_tier (batch / priority / flex) when the entry has it;
  //  - catalog cost wins, the reported cost fills in when unpriced,
  //    prefer_reported_cost reverses that; both are kept;
  //  - neither: source kUnknown and total unset, never $0.
  void Price(model::LlmCall* call, uint64_t start_unix_nanos) const;

  const Catalog& catalog() const { return *catalog_; }
  const UnpricedModels& unpriced() const { return unpriced_; }
  const PricerOptions& options() const { return options_; }

 private:
  std::shared_ptr<const Catalog> catalog_;
  PricerOptions options_;
  mutable UnpricedModels unpriced_;
  mutable MatchCache matches_;
};

}  // namespace loupe::pricing
