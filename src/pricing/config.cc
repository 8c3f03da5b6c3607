#include "pricing/config.h"

namespace loupe::pricing {

bool IsCacheWriteDuration(const std::string& value) { return value == "5m" || value == "1h"; }

Status PricingConfig::Validate() const {
  if (!IsCacheWriteDuration(cache_write_default)) {
    return Status::InvalidArgument("pricing.cache_write_default: must be 5m or 1h, got \"" +
                                   cache_write_default + "\"");
  }
  for (const auto& [name, model] : azure_deployments) {
    if (name.empty()) {
      return Status::InvalidArgument("pricing.azure_deployments: empty deployment name");
    }
    if (model.empty()) {
      return Status::InvalidArgument("pricing.azure_deployments." + name +
                                     ": model must not be empty");
    }
  }
  return Status::Ok();
}

}  // namespace loupe::pricing
