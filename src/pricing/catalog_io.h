// Reading and writing Loupe's price catalog format (docs/pricing.md), the
// embedded builtin catalog, and loading the catalog a config asks for.
//
// One format serves the builtin catalog, the user overrides file and the
// output of `loupe prices import`: YAML or JSON (JSON is read as YAML),
// prices in USD per million tokens as exact decimals. Parsing never
// throws: yaml-cpp errors become a Status naming file, line and key.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "pricing/catalog.h"
#include "pricing/config.h"
#include "pricing/price.h"

namespace loupe::pricing {

// The contents of one catalog or overrides file.
struct CatalogFile {
  std::vector<PriceEntry> entries;
  std::map<std::string, std::string> azure_deployments;
  std::string cache_write_default;  // "" when the file does not say
};

// Parses catalog text. `source` names it in errors ("overrides.yaml").
// Entries get `origin`; match patterns are compiled with RE2 and a bad
// pattern is an error.
Result<CatalogFile> ParseCatalogFile(std::string_view text, std::string_view source,
                                     Origin origin);
Result<CatalogFile> ReadCatalogFile(const std::string& path, Origin origin);

// Writes entries in the catalog format, one model per line, sorted by key.
std::string SerializeCatalog(const std::vector<PriceEntry>& entries, std::string_view source_note);
Status WriteCatalogFile(const std::string& path, const std::vector<PriceEntry>& entries,
                        std::string_view source_note);

// The builtin catalog compiled into the binary (parsed once, then shared).
// Fails only if the embedded file is broken, which pricing_test catches.
Result<std::shared_ptr<const Catalog>> BuiltinCatalog();

// What a PricingConfig resolves to.
struct LoadedPricing {
  std::shared_ptr<const Catalog> catalog;  // builtin + overrides + deployments
  bool cache_write_1h = false;             // the effective cache-write default
};

// Builtin catalog plus the config's overrides file and Azure deployments.
// REQUIRES: config.Validate().ok()
Result<LoadedPricing> LoadPricing(const PricingConfig& config);

// "2025-01-01" or "2025-01-01T12:00:00Z" -> Unix nanoseconds (UTC).
Result<int64_t> ParseEffectiveDate(std::string_view text);

}  // namespace loupe::pricing
