// PricingConfig: the `pricing:` section of loupe.yaml (parsed by the
// server's config loader, validated here).
#pragma once

#include <map>
#include <string>

#include "common/status.h"

namespace loupe::pricing {

struct PricingConfig {
  // A YAML or JSON overrides file (docs/pricing.md). Empty: builtin only.
  std::string overrides_file;
  // When true, a cost the span reports wins over the catalog price.
  bool prefer_reported_cost = false;
  // "5m" or "1h": the price used for cache-write tokens, since no span
  // attribute says which cache duration was asked for. The overrides
  // file may set it too, and then wins.
  std::string cache_write_default = "5m";
  // Azure deployment name -> model id ("prod-chat" -> "gpt-4o-2024-08-06").
  // Merged with the overrides file's mappings; these win on conflicts.
  std::map<std::string, std::string> azure_deployments;

  // OK, or InvalidArgument naming the bad key, e.g.
  // "pricing.cache_write_default: must be 5m or 1h, got \"2h\"".
  Status Validate() const;
};

// True for "5m" / "1h"; the value written into config files.
bool IsCacheWriteDuration(const std::string& value);

}  // namespace loupe::pricing
