#include "pricing/describe.h"

#include <gtest/gtest.h>

#include "pricing/catalog_io.h"

namespace loupe::pricing {
namespace {

const Catalog& Builtin() {
  static const std::shared_ptr<const Catalog> c = *BuiltinCatalog();
  return *c;
}

TEST(DescribeTest, ShowsMatchWhyAndPrices) {
  std::string text = DescribeLookup(Builtin(), "claude-sonnet-4-5-20991231", "");
  EXPECT_EQ(text,
            "model:    claude-sonnet-4-5-20991231\n"
            "provider: (none given)\n"
            "match:    anthropic/claude-sonnet-4-5 (chat, builtin)\n"
            "why:      stripped date suffix -20991231; the maker's own entry\n"
            "  from 2020-01-01 (USD per million tokens):\n"
            "    input 3  output 15  cache_read 0.3  cache_write_5m 3.75  cache_write_1h 6\n"
            "    above 200000 prompt tokens: input 6  output 22.5  cache_read 0.6  "
            "cache_write_5m 7.5  cache_write_1h 12\n"
            "also matched: azure.ai.inference/claude-sonnet-4-5 gcp.vertex_ai/claude-sonnet-4-5\n");
}

TEST(DescribeTest, ShowsServiceTiers) {
  std::string text = DescribeLookup(Builtin(), "gpt-4o", "openai");
  EXPECT_NE(text.find("    batch tier:\n      input 1.25  output 5\n"), std::string::npos) << text;
  EXPECT_NE(text.find("provider: openai\n"), std::string::npos);
}

TEST(DescribeTest, UnknownModelSaysUnknownNotZero) {
  std::string text = DescribeLookup(Builtin(), "acme-llm", "");
  EXPECT_NE(text.find("match:    none\n"), std::string::npos) << text;
  EXPECT_NE(text.find("unknown cost (never $0)"), std::string::npos) << text;
}

}  // namespace
}  // namespace loupe::pricing
