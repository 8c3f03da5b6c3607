#include "pricing/litellm_import.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "pricing/catalog_io.h"

namespace loupe::pricing {
namespace {

constexpr const char* kLiteLlmFile = "../shared/data/model_prices.json";

bool HaveLiteLlmFile() { return std::ifstream(kLiteLlmFile).good(); }

TEST(LiteLlmImportTest, MapsFieldsTiersAndServiceTiers) {
  Result<ImportReport> r = ImportLiteLlm(R"({
    "sample_spec": {"mode": "chat", "input_cost_per_token": 0.0},
    "not-an-entry": [1, 2],
    "dall-e-3": {"mode": "image_generation", "litellm_provider": "openai",
                 "output_cost_per_image": 0.04},
    "whisper-ish": {"mode": "audio_transcription", "litellm_provider": "openai",
                    "input_cost_per_second": 0.0001},
    "no-price": {"mode": "chat", "litellm_provider": "openai"},
    "claude-x": {"mode": "chat", "litellm_provider": "anthropic",
      "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
      "cache_read_input_token_cost": 3e-07, "cache_creation_input_token_cost": 3.75e-06,
      "cache_creation_input_token_cost_above_1hr": 6e-06,
      "input_cost_per_token_above_200k_tokens": 6e-06,
      "cache_creation_input_token_cost_above_1hr_above_200k_tokens": 1.2e-05,
      "output_cost_per_reasoning_token": 2e-05, "supports_vision": true},
    "gemini/gem-x": {"mode": "chat", "litellm_provider": "gemini",
      "input_cost_per_token": 1.25e-06, "output_cost_per_token": 1e-05,
      "input_cost_per_token_priority": 2.5e-06,
      "input_cost_per_token_above_200k_tokens_priority": 5e-06,
      "input_cost_per_token_batches": 6.25e-07, "output_cost_per_token_flex": 5e-06},
    "deepseek-x": {"mode": "chat", "litellm_provider": "deepseek",
      "input_cost_per_token": 2.8e-07, "output_cost_per_token": 4.2e-07,
      "input_cost_per_token_cache_hit": 2.8e-08},
    "deepseek/deepseek-x": {"mode": "chat", "litellm_provider": "deepseek",
      "input_cost_per_token": 2.8e-07, "output_cost_per_token": 4.2e-07},
    "fireworks_ai/accounts/m": {"mode": "embedding", "litellm_provider": "fireworks_ai",
      "input_cost_per_token": 8e-09, "output_cost_per_token": 0}
  })");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->models_seen, 10);
  EXPECT_EQ(r->imported, 5);
  EXPECT_EQ(r->merged_duplicates, 1);
  ASSERT_EQ(r->entries.size(), 4u);
  EXPECT_EQ(r->skipped_count(), 5);
  EXPECT_EQ(r->skipped_by_reason.at("not a model"), 2);
  EXPECT_EQ(r->skipped_by_reason.at("mode not priced per token"), 2);
  EXPECT_EQ(r->skipped_by_reason.at("no per-token price"), 1);
  EXPECT_EQ(r->imported_by_mode.at("embedding"), 1);

  std::map<std::string, const PriceEntry*> by_key;
  for (const PriceEntry& e : r->entries) by_key[e.key] = &e;
  const PriceVersion& claude = by_key.at("anthropic/claude-x")->prices.at(0);
  EXPECT_EQ(claude.effective_from, "2020-01-01");
  EXPECT_EQ(claude.standard.base.input, 3'000'000'000);
  EXPECT_EQ(claude.standard.base.cache_read, 300'000'000);
  EXPECT_EQ(claude.standard.base.cache_write_5m, 3'750'000'000);
  EXPECT_EQ(claude.standard.base.cache_write_1h, 6'000'000'000);
  EXPECT_EQ(claude.standard.base.reasoning, 20'000'000'000);
  ASSERT_EQ(claude.standard.above.size(), 1u);
  EXPECT_EQ(claude.standard.above[0].above_tokens, 200'000);
  EXPECT_EQ(claude.standard.above[0].rates.input, 6'000'000'000);
  EXPECT_EQ(claude.standard.above[0].rates.cache_write_1h, 12'000'000'000);

  const PriceEntry& gem = *by_key.at("gcp.gemini/gem-x");
  EXPECT_EQ(gem.model, "gem-x");
  const PriceVersion& g = gem.prices.at(0);
  EXPECT_EQ(g.service_tiers.at("priority").base.input, 2'500'000'000);
  EXPECT_EQ(g.service_tiers.at("priority").above.at(0).rates.input, 5'000'000'000);
  EXPECT_EQ(g.service_tiers.at("batch").base.input, 625'000'000);
  EXPECT_EQ(g.service_tiers.at("flex").base.output, 5'000'000'000);

  // Two LiteLLM keys for one model: the more detailed one is kept.
  const PriceEntry& ds = *by_key.at("deepseek/deepseek-x");
  EXPECT_EQ(ds.prices.at(0).standard.base.cache_read, 28'000'000);
  EXPECT_EQ(ds.litellm_keys, (std::vector<std::string>{"deepseek-x", "deepseek/deepseek-x"}));

  // Providers outside the builtin list keep LiteLLM's name.
  EXPECT_EQ(by_key.at("fireworks_ai/accounts/m")->provider, "fireworks_ai");
}

TEST(LiteLlmImportTest, BadInput) {
  EXPECT_FALSE(ImportLiteLlm("{not json").ok());
  EXPECT_FALSE(ImportLiteLlm("[1,2]").ok());
  EXPECT_EQ(ImportLiteLlmFile("/nonexistent/prices.json").status().code(), Status::Code::kIoError);
  // A price finer than a nano-dollar per million tokens skips the entry, with the reason.
  Result<ImportReport> r = ImportLiteLlm(
      R"({"m": {"mode": "chat", "litellm_provider": "openai", "input_cost_per_token": 1e-20}})");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->entries.empty());
  ASSERT_EQ(r->skipped.size(), 1u);
  EXPECT_NE(r->skipped[0].find("m: unusable price (bad input_cost_per_token"), std::string::npos);
}

TEST(LiteLlmImportTest, ImportsTheSharedPriceFile) {
  if (!HaveLiteLlmFile()) GTEST_SKIP() << kLiteLlmFile << " not present";
  Result<ImportReport> r = ImportLiteLlmFile(kLiteLlmFile);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->models_seen, 2984);
  EXPECT_EQ(r->skipped_by_reason.at("not a model"), 2);  // sample_spec, fallback_generalizations
  EXPECT_GT(r->skipped_by_reason.at("mode not priced per token"), 300);
  EXPECT_GT(r->imported_by_mode.at("chat"), 2000);
  EXPECT_GT(r->imported_by_mode.at("embedding"), 50);
  EXPECT_EQ(r->imported + r->skipped_count(), r->models_seen);
  EXPECT_EQ(r->entries.size() + r->merged_duplicates, static_cast<size_t>(r->imported));
  // Every imported entry loads into a catalog (keys unique, prices sane).
  Catalog c;
  for (PriceEntry e : r->entries) ASSERT_TRUE(c.Add(std::move(e)).ok());
}

TEST(LiteLlmImportTest, AgreesWithTheGeneratedBuiltinCatalog) {
  // scripts/gen_catalog.py and this importer implement one mapping; the
  // builtin catalog must be exactly what the importer makes of the file.
  if (!HaveLiteLlmFile()) GTEST_SKIP() << kLiteLlmFile << " not present";
  ImportOptions options;
  options.providers = {"openai", "anthropic", "gcp.gemini", "gcp.vertex_ai", "aws.bedrock",
                       "azure.ai.openai", "azure.ai.inference", "mistral_ai", "deepseek", "x_ai",
                       "groq", "cohere"};
  options.origin = Origin::kBuiltin;
  Result<ImportReport> r = ImportLiteLlmFile(kLiteLlmFile, options);
  ASSERT_TRUE(r.ok());
  Result<std::shared_ptr<const Catalog>> builtin = BuiltinCatalog();
  ASSERT_TRUE(builtin.ok());
  EXPECT_EQ(r->entries.size(), (*builtin)->size());
  for (const PriceEntry& e : r->entries) {
    const PriceEntry* b = (*builtin)->FindKey(e.key);
    ASSERT_NE(b, nullptr) << e.key << " is in the price file but not the builtin catalog";
    EXPECT_EQ(b->prices.back().standard, e.prices[0].standard) << e.key;
    EXPECT_EQ(b->prices.back().service_tiers, e.prices[0].service_tiers) << e.key;
    EXPECT_EQ(b->litellm_keys, e.litellm_keys) << e.key;
    EXPECT_EQ(b->mode, e.mode) << e.key;
  }
}

TEST(LiteLlmImportTest, RunPricesImportWritesAnOverridesFile) {
  if (!HaveLiteLlmFile()) GTEST_SKIP() << kLiteLlmFile << " not present";
  std::string out = ::testing::TempDir() + "/loupe_imported_prices.json";
  Result<std::string> summary = RunPricesImport(kLiteLlmFile, out);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_NE(summary->find("Imported "), std::string::npos);
  EXPECT_NE(summary->find("x not a model"), std::string::npos);
  EXPECT_NE(summary->find("Wrote " + out), std::string::npos);
  Result<CatalogFile> back = ReadCatalogFile(out, Origin::kOverride);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_GT(back->entries.size(), 2000u);
  std::remove(out.c_str());
}

}  // namespace
}  // namespace loupe::pricing
