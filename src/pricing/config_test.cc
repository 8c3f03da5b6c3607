#include "pricing/config.h"

#include <gtest/gtest.h>

namespace loupe::pricing {
namespace {

TEST(PricingConfigTest, DefaultsAreValid) {
  PricingConfig config;
  EXPECT_TRUE(config.Validate().ok());
  EXPECT_EQ(config.cache_write_default, "5m");
  EXPECT_FALSE(config.prefer_reported_cost);
}

TEST(PricingConfigTest, NamesTheBadKey) {
  PricingConfig config;
  config.cache_write_default = "2h";
  Status s = config.Validate();
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "pricing.cache_write_default: must be 5m or 1h, got \"2h\"");

  config.cache_write_default = "1h";
  EXPECT_TRUE(config.Validate().ok());
  config.azure_deployments["prod-chat"] = "";
  EXPECT_EQ(config.Validate().message(),
            "pricing.azure_deployments.prod-chat: model must not be empty");
}

}  // namespace
}  // namespace loupe::pricing
