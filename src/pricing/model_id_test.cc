#include "pricing/model_id.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace loupe::pricing {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Ids(const ParsedModel& p) {
  std::vector<std::string> ids;
  for (const Candidate& c : p.candidates) ids.push_back(c.id);
  return ids;
}

TEST(ModelIdTest, NormalisesProviderAliases) {
  EXPECT_EQ(NormaliseProvider("Anthropic"), "anthropic");
  EXPECT_EQ(NormaliseProvider("vertex_ai"), "gcp.vertex_ai");
  EXPECT_EQ(NormaliseProvider("gemini"), "gcp.gemini");
  EXPECT_EQ(NormaliseProvider("AWS"), "aws.bedrock");
  EXPECT_EQ(NormaliseProvider("az.ai.openai"), "azure.ai.openai");
  EXPECT_EQ(NormaliseProvider("az.ai.inference"), "azure.ai.inference");
  EXPECT_EQ(NormaliseProvider("xai"), "x_ai");
  EXPECT_EQ(NormaliseProvider("mistral"), "mistral_ai");
  EXPECT_EQ(NormaliseProvider("openai.chat"), "openai");  // Vercel AI SDK
  EXPECT_EQ(NormaliseProvider("perplexity"), "perplexity");
  EXPECT_EQ(NormaliseProvider(""), "");
  EXPECT_EQ(ProviderFamily("azure.ai.inference"), ProviderFamily("azure.ai.openai"));
  EXPECT_EQ(ProviderFamily("gcp.gemini"), ProviderFamily("gcp.vertex_ai"));
}

TEST(ModelIdTest, KnowsModelMakers) {
  EXPECT_EQ(MakerOf("claude-sonnet-4-5"), "anthropic");
  EXPECT_EQ(MakerOf("gpt-4o"), "openai");
  EXPECT_EQ(MakerOf("o3-mini"), "openai");
  EXPECT_EQ(MakerOf("gemini-2.5-pro"), "gcp.gemini");
  EXPECT_EQ(MakerOf("grok-4"), "x_ai");
  EXPECT_EQ(MakerOf("command-r"), "cohere");
  EXPECT_EQ(MakerOf("llama-3.3-70b"), "");
}

TEST(ModelIdTest, ExactFirstThenDateStripped) {
  ParsedModel p = ParseModelString("Claude-Sonnet-4-5-20250929");
  EXPECT_THAT(Ids(p), ElementsAre("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"));
  EXPECT_TRUE(p.candidates[0].lossless);
  EXPECT_FALSE(p.candidates[1].lossless);
  EXPECT_EQ(p.candidates[1].why, "stripped date suffix -20250929");
  EXPECT_EQ(p.provider, "");
}

TEST(ModelIdTest, OpenAiSnapshots) {
  EXPECT_THAT(Ids(ParseModelString("gpt-4o-2024-08-06")),
              ElementsAre("gpt-4o-2024-08-06", "gpt-4o"));
  EXPECT_THAT(Ids(ParseModelString("gpt-4-0613")), ElementsAre("gpt-4-0613", "gpt-4"));
  EXPECT_THAT(Ids(ParseModelString("gpt-4o")), ElementsAre("gpt-4o"));
  EXPECT_THAT(Ids(ParseModelString("gemini-2.0-flash-001")),
              ElementsAre("gemini-2.0-flash-001", "gemini-2.0-flash"));
}

TEST(ModelIdTest, ProviderPrefixes) {
  ParsedModel p = ParseModelString("openai/gpt-4o");
  EXPECT_THAT(Ids(p), ElementsAre("openai/gpt-4o", "gpt-4o"));
  EXPECT_EQ(p.provider, "openai");
  // Nested: groq serves "openai/gpt-oss-20b"; both readings are candidates.
  p = ParseModelString("groq/openai/gpt-oss-20b");
  EXPECT_THAT(Ids(p), ElementsAre("groq/openai/gpt-oss-20b", "openai/gpt-oss-20b", "gpt-oss-20b"));
  EXPECT_EQ(p.provider, "groq");
  // Not a provider: the slash belongs to the id.
  p = ParseModelString("meta-llama/llama-4-scout");
  EXPECT_THAT(Ids(p), ElementsAre("meta-llama/llama-4-scout"));
}

TEST(ModelIdTest, BedrockIds) {
  ParsedModel p = ParseModelString("us.anthropic.claude-sonnet-4-20250514-v1:0");
  EXPECT_EQ(p.provider, "aws.bedrock");
  EXPECT_THAT(Ids(p), ElementsAre("us.anthropic.claude-sonnet-4-20250514-v1:0",
                                  "anthropic.claude-sonnet-4-20250514-v1:0",
                                  "claude-sonnet-4-20250514", "claude-sonnet-4"));
  EXPECT_TRUE(p.candidates[2].lossless);
  for (std::string_view region : {"eu.", "apac.", "global."}) {
    p = ParseModelString(std::string(region) + "anthropic.claude-3-5-sonnet-20241022-v2:0");
    EXPECT_EQ(p.provider, "aws.bedrock");
    EXPECT_EQ(p.candidates[1].id, "anthropic.claude-3-5-sonnet-20241022-v2:0");
    EXPECT_EQ(p.candidates[2].id, "claude-3-5-sonnet-20241022");
  }
}

TEST(ModelIdTest, VertexIds) {
  ParsedModel p = ParseModelString("claude-sonnet-4@20250514");
  EXPECT_EQ(p.provider, "gcp.vertex_ai");
  EXPECT_THAT(Ids(p), ElementsAre("claude-sonnet-4@20250514", "claude-sonnet-4-20250514",
                                  "claude-sonnet-4"));
  p = ParseModelString("projects/p1/locations/us-east5/publishers/google/models/gemini-2.5-pro");
  EXPECT_EQ(p.provider, "gcp.vertex_ai");
  EXPECT_EQ(p.candidates[1].id, "gemini-2.5-pro");
  p = ParseModelString("publishers/google/models/gemini-2.5-pro");
  EXPECT_EQ(p.candidates[1].id, "gemini-2.5-pro");
  p = ParseModelString("models/gemini-2.0-flash");
  EXPECT_EQ(p.provider, "gcp.gemini");
  EXPECT_EQ(p.candidates[1].id, "gemini-2.0-flash");
}

TEST(ModelIdTest, OddInputsGiveCandidatesWithoutCrashing) {
  for (std::string_view s : {"/", "//", "@", "models/", "us.", "anthropic.", "-", "-2024",
                             "publishers//models/", "a@b@c", "openai/", "us.anthropic.-v1:0"}) {
    ParsedModel p = ParseModelString(s);
    ASSERT_FALSE(p.candidates.empty()) << s;
    EXPECT_EQ(p.candidates[0].why, "exact") << s;
    for (const Candidate& c : p.candidates) EXPECT_FALSE(c.id.empty()) << s;
  }
  EXPECT_TRUE(ParseModelString("").candidates.empty());
  EXPECT_TRUE(ParseModelString("  ").candidates.empty());
}

}  // namespace
}  // namespace loupe::pricing
