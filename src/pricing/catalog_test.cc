// Matching on the model strings real spans carry, against the builtin
// catalog, plus override precedence and dated prices on small catalogs.
#include "pricing/catalog.h"

#include <gtest/gtest.h>

#include "pricing/catalog_io.h"

namespace loupe::pricing {
namespace {

const Catalog& Builtin() {
  static const std::shared_ptr<const Catalog> catalog = [] {
    Result<std::shared_ptr<const Catalog>> c = BuiltinCatalog();
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : std::make_shared<const Catalog>();
  }();
  return *catalog;
}

std::string KeyOf(const Catalog& c, std::string_view model, std::string_view hint = {}) {
  Match m = c.Lookup(model, hint);
  return m.matched() ? m.entry->key : "(none: " + m.why + ")";
}

TEST(CatalogTest, BuiltinCoversEveryProvider) {
  const Catalog& c = Builtin();
  EXPECT_GT(c.size(), 1000u);
  std::map<std::string, int> by_provider;
  std::map<std::string, int> by_mode;
  for (const PriceEntry& e : c.entries()) {
    ++by_provider[e.provider];
    ++by_mode[e.mode];
    EXPECT_FALSE(e.prices.empty()) << e.key;
    EXPECT_EQ(e.prices.front().effective_from, "2020-01-01") << e.key;
  }
  for (const char* p : {"openai", "anthropic", "gcp.gemini", "gcp.vertex_ai", "aws.bedrock",
                        "azure.ai.openai", "azure.ai.inference", "mistral_ai", "deepseek", "x_ai",
                        "groq", "cohere"}) {
    EXPECT_GT(by_provider[p], 0) << p;
  }
  EXPECT_EQ(by_provider.size(), 12u);
  EXPECT_GT(by_mode["chat"], 800);
  EXPECT_GT(by_mode["embedding"], 10);
}

TEST(CatalogTest, EveryLiteLlmKeyFindsItsOwnEntry) {
  // LiteLLM's own model strings ("bedrock/us-east-1/...", "vertex_ai/...@...",
  // "gemini/...") with the provider as hint must land on their entry.
  int checked = 0;
  for (const PriceEntry& e : Builtin().entries()) {
    for (const std::string& key : e.litellm_keys) {
      Match m = Builtin().Lookup(key, e.provider);
      ASSERT_TRUE(m.matched()) << key;
      EXPECT_EQ(m.entry, &e) << key << " matched " << m.entry->key << " (" << m.why << ")";
      ++checked;
    }
  }
  EXPECT_GT(checked, 1000);
}

TEST(CatalogTest, BuiltinHasCurrentHaikuPrice) {
  // The blueprint's $0.80/$4 Haiku price is dated: Haiku 4.5 is $1/$5.
  const PriceEntry* e = Builtin().FindKey("anthropic/claude-haiku-4-5");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->prices.back().standard.base.input, 1'000'000'000);
  EXPECT_EQ(e->prices.back().standard.base.output, 5'000'000'000);
}

TEST(CatalogTest, ExactAndCaseInsensitive) {
  EXPECT_EQ(KeyOf(Builtin(), "gpt-4o"), "openai/gpt-4o");
  EXPECT_EQ(KeyOf(Builtin(), "GPT-4o"), "openai/gpt-4o");
  EXPECT_EQ(KeyOf(Builtin(), "  gpt-4o \n"), "openai/gpt-4o");
  EXPECT_EQ(Builtin().Lookup("gpt-4o").why, "exact; the maker's own entry");
}

TEST(CatalogTest, ProviderPrefixes) {
  EXPECT_EQ(KeyOf(Builtin(), "openai/gpt-4o"), "openai/gpt-4o");
  EXPECT_EQ(KeyOf(Builtin(), "anthropic/claude-sonnet-4-5"), "anthropic/claude-sonnet-4-5");
  // A canonical key is itself a valid model string.
  EXPECT_EQ(KeyOf(Builtin(), "gcp.vertex_ai/gemini-2.5-pro"), "gcp.vertex_ai/gemini-2.5-pro");
  EXPECT_EQ(KeyOf(Builtin(), "groq/openai/gpt-oss-20b"), "groq/openai/gpt-oss-20b");
  EXPECT_EQ(KeyOf(Builtin(), "xai/grok-4"), "x_ai/grok-4");
}

TEST(CatalogTest, DatedSnapshots) {
  // A snapshot with its own entry matches it exactly ...
  EXPECT_EQ(KeyOf(Builtin(), "gpt-4o-2024-08-06"), "openai/gpt-4o-2024-08-06");
  EXPECT_EQ(KeyOf(Builtin(), "claude-sonnet-4-5-20250929"), "anthropic/claude-sonnet-4-5-20250929");
  // ... one without falls back to the undated model.
  Match m = Builtin().Lookup("claude-sonnet-4-5-20991231");
  ASSERT_TRUE(m.matched());
  EXPECT_EQ(m.entry->key, "anthropic/claude-sonnet-4-5");
  EXPECT_EQ(m.why, "stripped date suffix -20991231; the maker's own entry");
  EXPECT_EQ(KeyOf(Builtin(), "gpt-4o-2099-01-01"), "openai/gpt-4o");
}

TEST(CatalogTest, BedrockIds) {
  EXPECT_EQ(KeyOf(Builtin(), "anthropic.claude-sonnet-4-20250514-v1:0"),
            "aws.bedrock/anthropic.claude-sonnet-4-20250514-v1:0");
  for (std::string_view region : {"us", "eu", "apac", "global"}) {
    std::string id = std::string(region) + ".anthropic.claude-sonnet-4-20250514-v1:0";
    EXPECT_EQ(KeyOf(Builtin(), id, "aws.bedrock"), "aws.bedrock/" + id);
  }
  // A region the catalog lacks falls back to the region-less id.
  Match m = Builtin().Lookup("ca.anthropic.claude-sonnet-4-20250514-v1:0", "aws.bedrock");
  ASSERT_TRUE(m.matched());
  EXPECT_EQ(m.entry->key, "aws.bedrock/anthropic.claude-sonnet-4-20250514-v1:0");
  EXPECT_EQ(m.why, "stripped bedrock region prefix ca.");
}

TEST(CatalogTest, VertexIds) {
  Match m = Builtin().Lookup("claude-sonnet-4@20250514", "");
  ASSERT_TRUE(m.matched());
  EXPECT_EQ(m.entry->key, "gcp.vertex_ai/claude-sonnet-4@20250514");
  EXPECT_EQ(KeyOf(Builtin(), "publishers/google/models/gemini-2.5-pro"),
            "gcp.vertex_ai/gemini-2.5-pro");
  EXPECT_EQ(KeyOf(Builtin(), "projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro"),
            "gcp.vertex_ai/gemini-2.5-pro");
  EXPECT_EQ(KeyOf(Builtin(), "models/gemini-2.0-flash"), "gcp.gemini/gemini-2.0-flash");
}

TEST(CatalogTest, ProviderHintPrefersThatProvider) {
  EXPECT_EQ(KeyOf(Builtin(), "gpt-4o", "azure.ai.openai"), "azure.ai.openai/gpt-4o");
  EXPECT_EQ(KeyOf(Builtin(), "gpt-4o", "az.ai.openai"), "azure.ai.openai/gpt-4o");
  EXPECT_EQ(KeyOf(Builtin(), "gemini-2.5-pro"), "gcp.gemini/gemini-2.5-pro");
  EXPECT_EQ(KeyOf(Builtin(), "gemini-2.5-pro", "vertex_ai"), "gcp.vertex_ai/gemini-2.5-pro");
  EXPECT_EQ(KeyOf(Builtin(), "claude-sonnet-4-5", "gcp.vertex_ai"),
            "gcp.vertex_ai/claude-sonnet-4-5");
  // No Bedrock entry is named plainly "claude-sonnet-4-5": the maker's price, said so.
  Match m = Builtin().Lookup("claude-sonnet-4-5", "aws.bedrock");
  ASSERT_TRUE(m.matched());
  EXPECT_EQ(m.entry->key, "anthropic/claude-sonnet-4-5");
  EXPECT_EQ(m.why, "exact; no aws.bedrock entry, using anthropic's price");
}

TEST(CatalogTest, AzureDeploymentNames) {
  Catalog c = Builtin();
  c.SetAzureDeployments({{"Prod-Chat", "gpt-4o-2024-08-06"}});
  Match m = c.Lookup("prod-chat", "azure.ai.openai");
  ASSERT_TRUE(m.matched());
  EXPECT_EQ(m.entry->key, "azure.ai.openai/gpt-4o-2024-08-06");
  EXPECT_EQ(m.why, "azure deployment 'prod-chat' -> 'gpt-4o-2024-08-06'; exact");
  // Without a provider the deployment name still resolves, to Azure's entry.
  EXPECT_EQ(KeyOf(c, "prod-chat"), "azure.ai.openai/gpt-4o-2024-08-06");
  // Other providers' spans do not use Azure deployment names.
  EXPECT_FALSE(c.Lookup("prod-chat", "openai").matched());
}

TEST(CatalogTest, UnknownModelSaysWhatWasTried) {
  Match m = Builtin().Lookup("my-own-model-2024-01-01", "");
  EXPECT_FALSE(m.matched());
  EXPECT_EQ(m.why, "no catalog entry; tried my-own-model-2024-01-01, my-own-model");
  EXPECT_FALSE(Builtin().Lookup("", "").matched());
}

Catalog FromYaml(std::string_view yaml, Origin origin, Catalog base = {}) {
  Result<CatalogFile> file = ParseCatalogFile(yaml, "test.yaml", origin);
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  if (file.ok()) {
    for (PriceEntry& e : file->entries) EXPECT_TRUE(base.Add(std::move(e)).ok());
  }
  return base;
}

constexpr int64_t kJan2025 = 1735689600LL * 1'000'000'000;  // 2025-01-01T00:00:00Z
constexpr int64_t kJul2025 = 1751328000LL * 1'000'000'000;  // 2025-07-01T00:00:00Z

TEST(CatalogTest, OverridesWin) {
  Catalog c = FromYaml(R"(
models:
  - provider: openai
    model: gpt-4o
    input: 2
    output: 8
  - model: ft:gpt-4o-mini:acme:support
    match: 'ft:gpt-4o-mini:acme:.*'
    input: 0.3
    output: 1.2
)",
                       Origin::kOverride, Builtin());
  Match m = c.Lookup("gpt-4o", "");
  ASSERT_TRUE(m.matched());
  EXPECT_EQ(m.entry->origin, Origin::kOverride);
  EXPECT_EQ(m.entry->prices[0].standard.base.input, 2'000'000'000);
  EXPECT_EQ(m.why, "exact; the maker's own entry [override]");
  EXPECT_EQ(c.Lookup("gpt-4o", "openai").entry->origin, Origin::kOverride);
  // The override also covers snapshots the builtin catalog knows exactly.
  EXPECT_EQ(c.Lookup("gpt-4o-2024-08-06", "").entry->origin, Origin::kOverride);
  // An OpenAI price does not take over Azure's spans.
  EXPECT_EQ(c.Lookup("gpt-4o", "azure.ai.openai").entry->key, "azure.ai.openai/gpt-4o");
  // RE2 patterns match whole strings, in any case.
  m = c.Lookup("FT:gpt-4o-mini:acme:support:8xk2", "openai");
  ASSERT_TRUE(m.matched());
  EXPECT_EQ(m.entry->key, "ft:gpt-4o-mini:acme:support");
  EXPECT_EQ(m.why, "override pattern \"ft:gpt-4o-mini:acme:.*\" [override]");
  EXPECT_EQ(c.Lookup("xft:gpt-4o-mini:acme:a", "").matched(), false);
}

TEST(CatalogTest, DatedOverrideDoesNotHideOlderBuiltinPrice) {
  Catalog c = FromYaml(R"(
models:
  - key: anthropic/claude-haiku-4-5
    provider: anthropic
    model: claude-haiku-4-5
    prices:
      - effective_from: 2025-07-01
        input: 0.5
        output: 2.5
)",
                       Origin::kOverride, Builtin());
  Match after = c.Lookup("claude-haiku-4-5", "anthropic", kJul2025);
  Match before = c.Lookup("claude-haiku-4-5", "anthropic", kJan2025);
  ASSERT_TRUE(after.matched() && before.matched());
  EXPECT_EQ(after.entry->origin, Origin::kOverride);
  EXPECT_EQ(before.entry->origin, Origin::kBuiltin);
}

TEST(CatalogTest, DuplicateKeysInOneOriginAreRejected) {
  Catalog c;
  PriceEntry e;
  e.key = "openai/x";
  e.provider = "openai";
  e.model = "x";
  e.prices.push_back({});
  EXPECT_TRUE(c.Add(e).ok());
  EXPECT_EQ(c.Add(e).code(), Status::Code::kAlreadyExists);
  e.origin = Origin::kOverride;
  EXPECT_TRUE(c.Add(e).ok());
  EXPECT_EQ(c.FindKey("OPENAI/X")->origin, Origin::kOverride);
}

}  // namespace
}  // namespace loupe::pricing
