// Costs equal tokens x catalog prices, exactly, for real catalog entries.
#include "pricing/pricer.h"

#include <gtest/gtest.h>

#include <thread>

#include "pricing/catalog_io.h"

namespace loupe::pricing {
namespace {

using model::CostSource;
using model::LlmCall;

constexpr uint64_t kMar2025 = 1740787200ULL * 1'000'000'000;  // 2025-03-01T00:00:00Z

std::shared_ptr<const Catalog> Builtin() {
  Result<std::shared_ptr<const Catalog>> c = BuiltinCatalog();
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? *c : std::make_shared<const Catalog>();
}

// A catalog of builtin entries plus the given override YAML.
std::shared_ptr<const Catalog> WithOverrides(std::string_view yaml) {
  auto c = std::make_shared<Catalog>(*Builtin());
  Result<CatalogFile> f = ParseCatalogFile(yaml, "test.yaml", Origin::kOverride);
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  if (f.ok()) {
    for (PriceEntry& e : f->entries) EXPECT_TRUE(c->Add(std::move(e)).ok());
  }
  return c;
}

LlmCall Call(std::string provider, std::string model) {
  LlmCall call;
  call.provider = std::move(provider);
  call.response_model = std::move(model);
  return call;
}

TEST(PricerTest, ClaudeSonnetWithCacheReadWriteAndReasoning) {
  Pricer pricer(Builtin(), {});
  LlmCall call = Call("anthropic", "claude-sonnet-4-5-20250929");
  call.tokens.input = 1'000;
  call.tokens.cache_read = 50'000;
  call.tokens.cache_write = 10'000;
  call.tokens.output = 2'000;
  call.tokens.reasoning = 500;
  pricer.Price(&call, kMar2025);
  const model::CostBreakdown& c = call.cost;
  // $3 / $0.30 / $3.75 (5m write) / $15 / $15 (reasoning at output) per M.
  EXPECT_EQ(c.input_nanos, 1'000 * 3'000);
  EXPECT_EQ(c.cache_read_nanos, 50'000 * 300);
  EXPECT_EQ(c.cache_write_nanos, 10'000 * 3'750);
  EXPECT_EQ(c.output_nanos, 2'000 * 15'000);
  EXPECT_EQ(c.reasoning_nanos, 500 * 15'000);
  EXPECT_EQ(c.total_nanos, 3'000'000 + 15'000'000 + 37'500'000 + 30'000'000 + 7'500'000);
  EXPECT_EQ(c.catalog_nanos, c.total_nanos);
  EXPECT_EQ(c.source, CostSource::kCatalog);
  EXPECT_EQ(c.price_entry, "anthropic/claude-sonnet-4-5-20250929");
  EXPECT_EQ(c.price_match, "exact");
  EXPECT_EQ(c.price_tier, "");
  EXPECT_FALSE(c.reported_nanos.has_value());
}

TEST(PricerTest, CacheWriteOneHourWhenConfigured) {
  Pricer pricer(Builtin(), {.prefer_reported_cost = false, .cache_write_1h = true});
  LlmCall call = Call("anthropic", "claude-sonnet-4-5");
  call.tokens.cache_write = 10'000;
  pricer.Price(&call, kMar2025);
  EXPECT_EQ(call.cost.cache_write_nanos, 10'000 * 6'000);  // $6/M
  // Bedrock's entry has no 1-hour price: the 5-minute one applies.
  LlmCall bedrock = Call("aws.bedrock", "anthropic.claude-sonnet-4-20250514-v1:0");
  bedrock.tokens.cache_write = 10'000;
  pricer.Price(&bedrock, kMar2025);
  EXPECT_EQ(bedrock.cost.price_entry, "aws.bedrock/anthropic.claude-sonnet-4-20250514-v1:0");
  EXPECT_EQ(bedrock.cost.cache_write_nanos, 10'000 * 3'750);
}

TEST(PricerTest, ClaudeHaikuIsOneAndFiveDollars) {
  Pricer pricer(Builtin(), {});
  LlmCall call = Call("anthropic", "claude-haiku-4-5-20251001");
  call.tokens.input = 1'000'000;
  call.tokens.output = 1'000'000;
  pricer.Price(&call, kMar2025);
  EXPECT_EQ(call.cost.input_nanos, 1'000'000'000);
  EXPECT_EQ(call.cost.output_nanos, 5'000'000'000);
  EXPECT_EQ(call.cost.total_nanos, 6'000'000'000);
}

TEST(PricerTest, Gpt4oStandardBatchAndPriority) {
  Pricer pricer(Builtin(), {});
  LlmCall call = Call("openai", "gpt-4o");
  call.tokens.input = 1'234;
  call.tokens.output = 567;
  pricer.Price(&call, kMar2025);
  EXPECT_EQ(call.cost.total_nanos, 1'234 * 2'500 + 567 * 10'000);
  EXPECT_EQ(call.cost.price_tier, "");

  call.service_tier = "batch";
  pricer.Price(&call, kMar2025);
  EXPECT_EQ(call.cost.total_nanos, 1'234 * 1'250 + 567 * 5'000);
  EXPECT_EQ(call.cost.price_tier, "batch");

  call.service_tier = "Priority";
  pricer.Price(&call, kMar2025);
  EXPECT_EQ(call.cost.total_nanos, 1'234 * 4'250 + 567 * 17'000);
  EXPECT_EQ(call.cost.price_tier, "priority");

  // A tier the entry has no price for uses the standard price.
  call.service_tier = "flex";
  pricer.Price(&call, kMar2025);
  EXPECT_EQ(call.cost.total_nanos, 1'234 * 2'500 + 567 * 10'000);
  EXPECT_EQ(call.cost.price_tier, "");
}

TEST(PricerTest, GeminiProAbove200kTokens) {
  Pricer pricer(Builtin(), {});
  LlmCall call = Call("gcp.gemini", "gemini-2.5-pro");
  call.tokens.input = 200'000;  // exactly 200k: not above
  call.tokens.output = 1'000;
  pricer.Price(&call, kMar2025);
  EXPECT_EQ(call.cost.total_nanos, 200'000 * 1'250 + 1'000 * 10'000);
  EXPECT_EQ(call.cost.price_tier, "");

  // Cached input counts towards the threshold and is priced at its tier.
  call.tokens.input = 150'000;
  call.tokens.cache_read = 60'000;
  pricer.Price(&call, kMar2025);
  EXPECT_EQ(call.cost.input_nanos, 150'000 * 2'500);
  EXPECT_EQ(call.cost.cache_read_nanos, 60'000 * 250);
  EXPECT_EQ(call.cost.output_nanos, 1'000 * 15'000);
  EXPECT_EQ(call.cost.price_tier, "above_200k");
  EXPECT_EQ(call.cost.price_entry, "gcp.gemini/gemini-2.5-pro");
}

TEST(PricerTest, OSeriesReasoningAtOutputPrice) {
  Pricer pricer(Builtin(), {});
  LlmCall call = Call("openai", "o3");
  call.tokens.input = 1'000;
  call.tokens.output = 300;
  call.tokens.reasoning = 2'000;
  pricer.Price(&call, kMar2025);
  EXPECT_EQ(call.cost.reasoning_nanos, 2'000 * 8'000);  // o3: $8/M output
  EXPECT_EQ(call.cost.total_nanos, 1'000 * 2'000 + 300 * 8'000 + 2'000 * 8'000);
  call.service_tier = "flex";
  pricer.Price(&call, kMar2025);
  EXPECT_EQ(call.cost.total_nanos, 1'000 * 1'000 + 300 * 4'000 + 2'000 * 4'000);
  EXPECT_EQ(call.cost.price_tier, "flex");
}

TEST(PricerTest, OwnReasoningPriceAndInputFallbacks) {
  Pricer pricer(WithOverrides(R"(
models:
  - {model: thinker-1, input: 1, output: 4, reasoning: 10}
)"),
                {});
  LlmCall call = Call("", "thinker-1");
  call.tokens.input = 100;
  call.tokens.cache_read = 1'000;   // no cache price: input price
  call.tokens.cache_write = 1'000;  // likewise
  call.tokens.output = 10;
  call.tokens.reasoning = 100;
  pricer.Price(&call, kMar2025);
  EXPECT_EQ(call.cost.reasoning_nanos, 100 * 10'000);
  EXPECT_EQ(call.cost.cache_read_nanos, 1'000 * 1'000);
  EXPECT_EQ(call.cost.cache_write_nanos, 1'000 * 1'000);
  EXPECT_EQ(call.cost.output_nanos, 10 * 4'000);
}

TEST(PricerTest, EmbeddingModel) {
  Pricer pricer(Builtin(), {});
  LlmCall call = Call("openai", "text-embedding-3-small");
  call.operation = "embeddings";
  call.tokens.input = 10'000;
  pricer.Price(&call, kMar2025);
  EXPECT_EQ(call.cost.total_nanos, 10'000 * 20);  // $0.02/M
  EXPECT_EQ(call.cost.source, CostSource::kCatalog);
}

TEST(PricerTest, RoundsOncePerTokenType) {
  Pricer pricer(WithOverrides("models:\n  - {model: cheap, input: 0.0000013, output: 0.0000027}\n"),
                {});
  LlmCall call = Call("", "cheap");
  call.tokens.input = 600;   // 600 x 1,300 / 1e6 = 0.78 nano-dollars -> 1
  call.tokens.output = 100;  // 100 x 2,700 / 1e6 = 0.27 nano-dollars -> 0
  pricer.Price(&call, kMar2025);
  EXPECT_EQ(call.cost.input_nanos, 1);
  EXPECT_EQ(call.cost.output_nanos, 0);
  EXPECT_EQ(call.cost.total_nanos, 1);
}

TEST(PricerTest, UnknownModelIsUnknownNotZero) {
  Pricer pricer(Builtin(), {});
  LlmCall call = Call("acme", "acme-llm-9000");
  call.tokens.input = 100;
  call.tokens.output = 100;
  pricer.Price(&call, kMar2025);
  EXPECT_EQ(call.cost.source, CostSource::kUnknown);
  EXPECT_FALSE(call.cost.total_nanos.has_value());
  EXPECT_FALSE(call.cost.catalog_nanos.has_value());
  EXPECT_EQ(call.cost.price_entry, "");
  EXPECT_NE(call.cost.price_match.find("no catalog entry"), std::string::npos);
  std::vector<UnpricedModels::Item> unpriced = pricer.unpriced().Snapshot();
  ASSERT_EQ(unpriced.size(), 1u);
  EXPECT_EQ(unpriced[0].provider, "acme");
  EXPECT_EQ(unpriced[0].model, "acme-llm-9000");
  EXPECT_EQ(unpriced[0].calls, 1);
}

TEST(PricerTest, NoUsageMeansNoCatalogCost) {
  Pricer pricer(Builtin(), {});
  LlmCall call = Call("openai", "gpt-4o");
  pricer.Price(&call, kMar2025);
  EXPECT_EQ(call.cost.source, CostSource::kUnknown);
  EXPECT_FALSE(call.cost.total_nanos.has_value());
  EXPECT_EQ(call.cost.price_entry, "openai/gpt-4o");
}

TEST(PricerTest, ReportedCostFillsInAndCanWin) {
  Pricer pricer(Builtin(), {});
  LlmCall unknown = Call("acme", "acme-llm-9000");
  unknown.tokens.input = 100;
  unknown.reported_cost_nanos = 1'234;
  pricer.Price(&unknown, kMar2025);
  EXPECT_EQ(unknown.cost.source, CostSource::kReported);
  EXPECT_EQ(unknown.cost.total_nanos, 1'234);
  EXPECT_EQ(unknown.cost.reported_nanos, 1'234);
  EXPECT_EQ(pricer.unpriced().Snapshot().at(0).reported, 1);

  LlmCall known = Call("openai", "gpt-4o");
  known.tokens.input = 1'000;
  known.reported_cost_nanos = 999;
  pricer.Price(&known, kMar2025);
  EXPECT_EQ(known.cost.source, CostSource::kCatalog);
  EXPECT_EQ(known.cost.total_nanos, 2'500'000);
  EXPECT_EQ(known.cost.reported_nanos, 999);  // kept

  Pricer prefer(Builtin(), {.prefer_reported_cost = true, .cache_write_1h = false});
  prefer.Price(&known, kMar2025);
  EXPECT_EQ(known.cost.source, CostSource::kReported);
  EXPECT_EQ(known.cost.total_nanos, 999);
  EXPECT_EQ(known.cost.catalog_nanos, 2'500'000);  // kept
  // Without a reported cost, prefer_reported still uses the catalog.
  known.reported_cost_nanos.reset();
  prefer.Price(&known, kMar2025);
  EXPECT_EQ(known.cost.source, CostSource::kCatalog);
}

TEST(PricerTest, DatedPricesDoNotRewriteThePast) {
  Pricer pricer(WithOverrides(R"(
models:
  - provider: acme
    model: acme-llm
    prices:
      - {effective_from: 2025-01-01, input: 1, output: 2}
      - {effective_from: 2025-07-01, input: 0.5, output: 1}
)"),
                {});
  auto cost_at = [&](const char* date) {
    LlmCall call = Call("acme", "acme-llm");
    call.tokens.input = 1'000'000;
    call.tokens.output = 1'000'000;
    pricer.Price(&call, static_cast<uint64_t>(*ParseEffectiveDate(date)));
    return call.cost;
  };
  EXPECT_EQ(cost_at("2025-03-01").total_nanos, 3'000'000'000);
  EXPECT_EQ(cost_at("2025-06-30T23:59:59Z").total_nanos, 3'000'000'000);
  EXPECT_EQ(cost_at("2025-07-01").total_nanos, 1'500'000'000);
  EXPECT_EQ(cost_at("2026-01-01").total_nanos, 1'500'000'000);
  model::CostBreakdown before = cost_at("2024-06-01");
  EXPECT_EQ(before.source, CostSource::kUnknown);
  EXPECT_EQ(before.price_match, "matched entries have no price in force then");
}

// The pricer caches untimed matches per (model, provider); every answer
// must still be the one a timed Catalog::Lookup gives, including when the
// best-ranked entry has no price yet and a lower-ranked one does.
TEST(PricerTest, MatchCacheGivesTheTimedLookupsAnswer) {
  auto catalog = WithOverrides(R"(
models:
  - provider: acme
    model: acme-llm
    prices:
      - {effective_from: 2025-07-01, input: 1, output: 1}
  - provider: other
    model: acme-llm
    prices:
      - {effective_from: 2025-01-01, input: 2, output: 2}
)");
  Pricer pricer(catalog, {});
  for (int round = 0; round < 2; ++round) {  // the second round is served from the cache
    for (const char* provider : {"acme", "other", "", "openai"}) {
      for (const char* model : {"acme-llm", "gpt-4o", "gpt-4o-2024-08-06", "no-such-model"}) {
        for (const char* date : {"2024-06-01", "2025-03-01", "2025-08-01"}) {
          const auto at = *ParseEffectiveDate(date);
          LlmCall call = Call(provider, model);
          call.tokens.input = 1'000;
          pricer.Price(&call, static_cast<uint64_t>(at));
          Match want = catalog->Lookup(model, provider, at);
          SCOPED_TRACE(std::string(provider) + " " + model + " " + date);
          EXPECT_EQ(call.cost.price_match, want.why);
          EXPECT_EQ(call.cost.price_entry, want.entry != nullptr ? want.entry->key : "");
        }
      }
    }
  }
  LlmCall early = Call("acme", "acme-llm");
  early.tokens.input = 1'000'000;
  pricer.Price(&early, static_cast<uint64_t>(*ParseEffectiveDate("2025-03-01")));
  EXPECT_EQ(early.cost.total_nanos, 2'000'000'000);  // acme's own price is not in force yet
}

TEST(PricerTest, OverridesWinOverBuiltin) {
  Pricer pricer(WithOverrides("models:\n  - {provider: openai, model: gpt-4o, input: 2, output: 8}\n"),
                {});
  LlmCall call = Call("openai", "gpt-4o-2024-08-06");
  call.tokens.input = 1'000;
  call.tokens.output = 1'000;
  pricer.Price(&call, kMar2025);
  EXPECT_EQ(call.cost.total_nanos, 1'000 * 2'000 + 1'000 * 8'000);
  EXPECT_EQ(call.cost.price_entry, "openai/gpt-4o");
}

TEST(PricerTest, CreateFromConfig) {
  PricingConfig config;
  config.cache_write_default = "1h";
  config.azure_deployments["prod-chat"] = "gpt-4o";
  Result<std::unique_ptr<Pricer>> pricer = Pricer::Create(config);
  ASSERT_TRUE(pricer.ok()) << pricer.status().ToString();
  EXPECT_TRUE((*pricer)->options().cache_write_1h);
  LlmCall call = Call("azure.ai.openai", "");
  call.request_model = "prod-chat";
  call.tokens.input = 1'000;
  (*pricer)->Price(&call, kMar2025);
  EXPECT_EQ(call.cost.price_entry, "azure.ai.openai/gpt-4o");

  config.cache_write_default = "10m";
  EXPECT_FALSE(Pricer::Create(config).ok());
}

TEST(PricerTest, UnpricedModelsAreCountedAcrossThreadsAndBounded) {
  Pricer pricer(Builtin(), {});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 250; ++i) {
        LlmCall call = Call("acme", i % 2 ? "model-a" : "model-b");
        pricer.Price(&call, kMar2025);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::vector<UnpricedModels::Item> items = pricer.unpriced().Snapshot();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].calls + items[1].calls, 1'000);

  UnpricedModels bounded(2);
  for (const char* m : {"a", "b", "c", "a", "d"}) bounded.Record("p", m, false);
  EXPECT_EQ(bounded.Snapshot().size(), 2u);
  EXPECT_EQ(bounded.Snapshot()[0].model, "a");
  EXPECT_EQ(bounded.overflow(), 2);
}

}  // namespace
}  // namespace loupe::pricing
