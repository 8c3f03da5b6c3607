// Importing LiteLLM-format price files (model_prices_and_context_window.json):
// USD per token, keyed by LiteLLM model name. `loupe prices import FILE`
// runs this; scripts/gen_catalog.py applies the same mapping to build
// the builtin catalog, and pricing_test checks that the two agree.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "pricing/price.h"

namespace loupe::pricing {

struct ImportOptions {
  // Only these normalised providers ("openai", "aws.bedrock", ...); empty
  // imports every provider.
  std::set<std::string> providers;
  // Start date of the imported prices.
  std::string effective_from = "2020-01-01";
  Origin origin = Origin::kOverride;
};

struct ImportReport {
  std::vector<PriceEntry> entries;  // ready for Catalog::Add or WriteCatalogFile
  int models_seen = 0;              // top-level keys, including skipped ones
  int imported = 0;                 // entries.size() plus merged duplicates
  int merged_duplicates = 0;        // same provider/model under two LiteLLM keys
  std::map<std::string, int> imported_by_mode;
  std::map<std::string, int> skipped_by_reason;  // reason -> count
  std::vector<std::string> skipped;              // "key: reason (detail)", by key
  int skipped_count() const { return static_cast<int>(skipped.size()); }
};

// Parses LiteLLM JSON text. Skips, and reports, entries that are not
// models ("sample_spec", non-objects), modes not priced per token (image,
// audio, rerank, ...), entries without a per-token price and filtered
// providers. Fails only when the text is not a JSON object.
Result<ImportReport> ImportLiteLlm(std::string_view json_text, const ImportOptions& options = {});
Result<ImportReport> ImportLiteLlmFile(const std::string& path, const ImportOptions& options = {});

// The CLI's `loupe prices import FILE [--out PATH]`: imports, writes the
// catalog-format file when `out_path` is not empty, and returns a human
// summary (counts, skip reasons, where it was written).
Result<std::string> RunPricesImport(const std::string& path, const std::string& out_path);

// LiteLLM provider ("bedrock_converse", "vertex_ai-anthropic_models",
// "xai") -> OTel GenAI provider name; unknown providers pass through.
std::string ProviderFromLiteLlm(std::string_view litellm_provider);

}  // namespace loupe::pricing
