// For every dialect fixture, the normalised calls priced by the real
// catalog cost exactly tokens x prices, with the prices read independently
// from the public price data the catalog was generated from
// (../shared/data/model_prices.json, USD per token).
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "genai/fixture.h"
#include "genai/normalizer.h"
#include "pricing/catalog_io.h"
#include "pricing/pricer.h"

namespace loupe::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const json& LiteLlmPrices() {
  static const json prices = [] {
    std::ifstream in("../shared/data/model_prices.json");
    return in ? json::parse(in) : json();
  }();
  return prices;
}

// round(tokens x usd_per_token x 1e9): the nano-dollar cost of one type.
int64_t Nanos(std::optional<int64_t> tokens, const json& entry, const char* key, const char* fallback_key) {
  if (!tokens || *tokens == 0) return 0;
  const json* price = nullptr;
  if (entry.contains(key)) price = &entry[key];
  else if (fallback_key && entry.contains(fallback_key)) price = &entry[fallback_key];
  if (price == nullptr) return -1;  // the catalog must not have priced it either
  return std::llround(static_cast<double>(*tokens) * price->get<double>() * 1e9);
}

TEST(DialectCostTest, EveryDialectCostsTokensTimesCatalogPrices) {
  if (LiteLlmPrices().is_null()) GTEST_SKIP() << "../shared/data/model_prices.json is not here";
  auto pricer = pricing::Pricer::Create(pricing::PricingConfig{});
  ASSERT_TRUE(pricer.ok()) << pricer.status().ToString();

  int priced = 0;
  std::set<std::string> dialects_priced;
  for (const auto& file : fs::directory_iterator("src/genai/testdata")) {
    if (file.path().extension() != ".json") continue;
    auto fixture = genai::testing::LoadFixture(file.path().string());
    ASSERT_TRUE(fixture.ok()) << fixture.status().ToString();
    genai::Normalizer normalizer(fixture->config);
    for (model::Batch& batch : fixture->batches) {
      normalizer.Normalize(&batch);
      for (model::SpanRecord& record : batch.spans) {
        if (!record.llm) continue;
        model::LlmCall& call = *record.llm;
        (*pricer)->Price(&call, record.span.start_time_unix_nano);
        SCOPED_TRACE(file.path().filename().string() + " span " + record.span.name + " model " + call.model());
        if (call.cost.source == model::CostSource::kUnknown) {
          EXPECT_FALSE(call.cost.total_nanos.has_value()) << "unknown cost must not be $0";
          continue;
        }
        if (!call.cost.catalog_nanos || !call.cost.price_tier.empty()) continue;  // tiers: pricing_test
        const pricing::PriceEntry* entry = (*pricer)->catalog().FindKey(call.cost.price_entry);
        ASSERT_NE(entry, nullptr) << call.cost.price_entry;
        ASSERT_FALSE(entry->litellm_keys.empty());
        const json& facts = LiteLlmPrices()[entry->litellm_keys.front()];
        const auto& t = call.tokens;
        int64_t input = Nanos(t.input, facts, "input_cost_per_token", nullptr);
        int64_t cache_read = Nanos(t.cache_read, facts, "cache_read_input_token_cost", "input_cost_per_token");
        int64_t cache_write =
            Nanos(t.cache_write, facts, "cache_creation_input_token_cost", "input_cost_per_token");
        int64_t output = Nanos(t.output, facts, "output_cost_per_token", nullptr);
        int64_t reasoning = Nanos(t.reasoning, facts, "output_cost_per_reasoning_token", "output_cost_per_token");
        EXPECT_EQ(call.cost.input_nanos, input);
        EXPECT_EQ(call.cost.cache_read_nanos, cache_read);
        EXPECT_EQ(call.cost.cache_write_nanos, cache_write);
        EXPECT_EQ(call.cost.output_nanos, output);
        EXPECT_EQ(call.cost.reasoning_nanos, reasoning);
        EXPECT_EQ(*call.cost.catalog_nanos, input + cache_read + cache_write + output + reasoning);
        ++priced;
        dialects_priced.insert(call.dialect);
      }
    }
  }
  EXPECT_GE(priced, 9) << "too few priced calls in the fixtures to mean anything";
  EXPECT_GE(dialects_priced.size(), 6u);
}

}  // namespace
}  // namespace loupe::server
