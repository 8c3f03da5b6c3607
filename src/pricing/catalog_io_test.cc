// The catalog file format: the embedded builtin file, the overrides file
// (YAML and JSON), errors that say where, and round trips.
#include "pricing/catalog_io.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "pricing/builtin_catalog.h"

namespace loupe::pricing {
namespace {

Result<CatalogFile> Parse(std::string_view text) {
  return ParseCatalogFile(text, "overrides.yaml", Origin::kOverride);
}

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "/loupe_pricing_" + name;
}

TEST(CatalogIoTest, EmbeddedCatalogIsTheRepositoryFile) {
  std::ifstream in("src/pricing/catalog/builtin.json", std::ios::binary);
  if (!in) GTEST_SKIP() << "run from the repository root";
  std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(BuiltinCatalogText(), file);
}

TEST(CatalogIoTest, ParsesBuiltinTiersAndServiceTiers) {
  Result<std::shared_ptr<const Catalog>> c = BuiltinCatalog();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const PriceEntry* sonnet = (*c)->FindKey("anthropic/claude-sonnet-4-5");
  ASSERT_NE(sonnet, nullptr);
  const PriceVersion& v = sonnet->prices.at(0);
  EXPECT_EQ(v.standard.base.cache_write_5m, 3'750'000'000);
  EXPECT_EQ(v.standard.base.cache_write_1h, 6'000'000'000);
  ASSERT_EQ(v.standard.above.size(), 1u);
  EXPECT_EQ(v.standard.above[0].above_tokens, 200'000);
  EXPECT_EQ(v.standard.above[0].rates.output, 22'500'000'000);
  const PriceEntry* gpt4o = (*c)->FindKey("openai/gpt-4o");
  ASSERT_NE(gpt4o, nullptr);
  EXPECT_EQ(gpt4o->prices[0].service_tiers.at("batch").base.input, 1'250'000'000);
  EXPECT_EQ(gpt4o->prices[0].service_tiers.at("priority").base.cache_read, 2'125'000'000);
}

TEST(CatalogIoTest, OverridesFileInYaml) {
  Result<CatalogFile> f = Parse(R"(
# Negotiated and self-hosted prices.
cache_write_default: 1h
azure_deployments:
  prod-chat: gpt-4o-2024-08-06
models:
  - provider: anthropic
    model: claude-sonnet-4-5
    prices:
      - effective_from: 2025-01-01
        input: 2.7
        output: 13.5
        cache_write: 3.375
        above: [{above_tokens: 200000, input: 5.4}]
      - effective_from: "2025-06-01T00:00:00Z"
        input: 2.4
        output: 12
        batch: {input: 1.2, output: 6}
  - model: llama-3.3-70b-selfhosted
    mode: chat
    input: 0
    output: 0.1
)");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->cache_write_default, "1h");
  EXPECT_EQ(f->azure_deployments.at("prod-chat"), "gpt-4o-2024-08-06");
  ASSERT_EQ(f->entries.size(), 2u);
  const PriceEntry& a = f->entries[0];
  EXPECT_EQ(a.key, "anthropic/claude-sonnet-4-5");
  EXPECT_EQ(a.origin, Origin::kOverride);
  ASSERT_EQ(a.prices.size(), 2u);
  EXPECT_EQ(a.prices[0].effective_from_unix_nanos, 1735689600LL * 1'000'000'000);
  EXPECT_EQ(a.prices[0].standard.base.cache_write_5m, 3'375'000'000);
  EXPECT_EQ(a.prices[0].standard.above.at(0).rates.input, 5'400'000'000);
  EXPECT_EQ(a.prices[1].service_tiers.at("batch").base.output, 6'000'000'000);
  const PriceEntry& b = f->entries[1];
  EXPECT_EQ(b.key, "llama-3.3-70b-selfhosted");
  EXPECT_EQ(b.provider, "");
  EXPECT_EQ(b.prices.at(0).effective_from, "1970-01-01");
  EXPECT_EQ(b.prices[0].standard.base.input, 0);
}

TEST(CatalogIoTest, OverridesFileInJson) {
  Result<CatalogFile> f = Parse(
      R"({"models": [{"provider": "Mistral", "model": "mistral-large-latest",
                      "prices": [{"effective_from": "2025-03-01", "input": 1.5, "output": 4.5}]}]})");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->entries.at(0).key, "mistral_ai/mistral-large-latest");
  EXPECT_EQ(f->entries[0].prices[0].standard.base.output, 4'500'000'000);
}

TEST(CatalogIoTest, ErrorsSayWhereAndWhat) {
  struct Case {
    const char* text;
    const char* error;
  };
  for (const Case& c : std::vector<Case>{
           {"models:\n  - model: a\n    ouput: 3\n",
            "overrides.yaml:3:5: models[0]: unknown key \"ouput\""},
           {"models:\n  - model: a\n    input: -3\n",
            "overrides.yaml:3:12: models[0].input: price \"-3\": must not be negative"},
           {"models:\n  - model: a\n    input: 3 dollars\n",
            "overrides.yaml:3:12: models[0].input: price \"3 dollars\": not a number"},
           {"models:\n  - model: a\n    match: '(unclosed'\n    input: 1\n",
            "overrides.yaml:3:12: models[0].match: bad RE2 pattern \"(unclosed\": missing ): "
            "(unclosed"},
           {"models:\n  - model: a\n    prices:\n      - effective_from: 2025-13-01\n        "
            "input: 1\n",
            "overrides.yaml:4:25: models[0].prices[0].effective_from: bad date \"2025-13-01\": "
            "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ"},
           {"models:\n  - model: a\n", "overrides.yaml:2:5: models[0]: no prices (expected input, "
                                       "output, ...)"},
           {"models:\n  - mode: chat\n    input: 1\n",
            "overrides.yaml:2:5: models[0]: needs a model, a key or a match pattern"},
           {"cache_write_default: 30m\n",
            "overrides.yaml:1:22: cache_write_default: must be 5m or 1h"},
           {"models: [\n", nullptr},
       }) {
    Result<CatalogFile> f = Parse(c.text);
    ASSERT_FALSE(f.ok()) << c.text;
    EXPECT_EQ(f.status().code(), Status::Code::kInvalidArgument);
    if (c.error != nullptr) {
      EXPECT_EQ(f.status().message(), c.error);
    }
  }
}

TEST(CatalogIoTest, TwoVersionsOnOneDateAreRejected) {
  Result<CatalogFile> f = Parse(
      "models:\n  - model: a\n    prices:\n      - {effective_from: 2025-01-01, input: 1}\n"
      "      - {effective_from: 2025-01-01, input: 2}\n");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("two price versions start at 2025-01-01"), std::string::npos);
}

TEST(CatalogIoTest, EmptyOverridesFileIsFine) {
  Result<CatalogFile> f = Parse("");
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->entries.empty());
}

TEST(CatalogIoTest, SerializeRoundTrips) {
  Result<std::shared_ptr<const Catalog>> c = BuiltinCatalog();
  ASSERT_TRUE(c.ok());
  std::string text = SerializeCatalog((*c)->entries(), "round trip");
  Result<CatalogFile> again = ParseCatalogFile(text, "again.json", Origin::kBuiltin);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  ASSERT_EQ(again->entries.size(), (*c)->size());
  for (const PriceEntry& e : again->entries) {
    const PriceEntry* original = (*c)->FindKey(e.key);
    ASSERT_NE(original, nullptr) << e.key;
    EXPECT_EQ(e.prices, original->prices) << e.key;
    EXPECT_EQ(e.litellm_keys, original->litellm_keys) << e.key;
  }
  // The generator writes the same format; the C++ writer reproduces it
  // byte for byte apart from the source note.
  std::string builtin(BuiltinCatalogText());
  std::istringstream ours(text.substr(text.find("\"models\""))),
      theirs(builtin.substr(builtin.find("\"models\"")));
  std::string a, b;
  int line = 0;
  while (std::getline(theirs, b)) {
    ++line;
    ASSERT_TRUE(std::getline(ours, a)) << "missing line " << line;
    ASSERT_EQ(a, b) << "line " << line;
  }
  EXPECT_FALSE(std::getline(ours, a)) << "extra line " << a;
}

TEST(CatalogIoTest, LoadPricingAppliesOverridesAndSettings) {
  std::string path = TempPath("overrides.yaml");
  {
    std::ofstream out(path);
    out << "cache_write_default: 1h\n"
           "azure_deployments: {prod-chat: gpt-4o, other: gpt-4o-mini}\n"
           "models:\n  - {provider: openai, model: gpt-4o, input: 1, output: 2}\n";
  }
  PricingConfig config;
  config.overrides_file = path;
  config.azure_deployments["other"] = "gpt-4.1";
  Result<LoadedPricing> loaded = LoadPricing(config);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_TRUE(loaded->cache_write_1h);
  const Catalog& c = *loaded->catalog;
  EXPECT_EQ(c.Lookup("gpt-4o", "openai").entry->origin, Origin::kOverride);
  EXPECT_EQ(c.azure_deployments().at("prod-chat"), "gpt-4o");
  EXPECT_EQ(c.azure_deployments().at("other"), "gpt-4.1");  // loupe.yaml wins
  std::remove(path.c_str());

  config.overrides_file = TempPath("missing.yaml");
  Result<LoadedPricing> missing = LoadPricing(config);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kIoError);
  EXPECT_NE(missing.status().message().find("pricing.overrides_file"), std::string::npos);
}

TEST(CatalogIoTest, ParsesDates) {
  EXPECT_EQ(*ParseEffectiveDate("1970-01-01"), 0);
  EXPECT_EQ(*ParseEffectiveDate("2025-01-01"), 1735689600LL * 1'000'000'000);
  EXPECT_EQ(*ParseEffectiveDate("2025-01-01T00:00:01Z"), 1735689601LL * 1'000'000'000);
  for (std::string_view bad : {"2025-02-30", "2025/01/01", "25-01-01", "2025-01-01T25:00:00Z",
                               "2025-01-01T00:00:00", ""}) {
    EXPECT_FALSE(ParseEffectiveDate(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace loupe::pricing
