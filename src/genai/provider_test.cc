#include "genai/provider.h"

#include <gtest/gtest.h>

namespace loupe::genai {
namespace {

TEST(NormalizeProvider, CanonicalNamesPassThrough) {
  for (const char* p : {"openai", "anthropic", "gcp.gen_ai", "gcp.vertex_ai", "gcp.gemini", "azure.ai.inference",
                        "azure.ai.openai", "ibm.watsonx.ai", "aws.bedrock", "x_ai", "mistral_ai", "moonshot_ai"}) {
    EXPECT_EQ(NormalizeProvider(p), p);
  }
}

TEST(NormalizeProvider, DeprecatedAndCapitalisedAliases) {
  EXPECT_EQ(NormalizeProvider("vertex_ai"), "gcp.vertex_ai");
  EXPECT_EQ(NormalizeProvider("gemini"), "gcp.gemini");
  EXPECT_EQ(NormalizeProvider("az.ai.inference"), "azure.ai.inference");
  EXPECT_EQ(NormalizeProvider("az.ai.openai"), "azure.ai.openai");
  EXPECT_EQ(NormalizeProvider("xai"), "x_ai");
  EXPECT_EQ(NormalizeProvider("Anthropic"), "anthropic");
  EXPECT_EQ(NormalizeProvider("OpenAI"), "openai");
  EXPECT_EQ(NormalizeProvider("AWS"), "aws.bedrock");
  EXPECT_EQ(NormalizeProvider("bedrock"), "aws.bedrock");
  EXPECT_EQ(NormalizeProvider("mistralai"), "mistral_ai");
  EXPECT_EQ(NormalizeProvider(" Cohere "), "cohere");
}

TEST(NormalizeProvider, VercelProviderIds) {
  EXPECT_EQ(NormalizeProvider("anthropic.messages"), "anthropic");
  EXPECT_EQ(NormalizeProvider("openai.chat"), "openai");
  EXPECT_EQ(NormalizeProvider("openai.responses"), "openai");
  EXPECT_EQ(NormalizeProvider("google.generative-ai"), "gcp.gemini");
  EXPECT_EQ(NormalizeProvider("google.vertex.chat"), "gcp.vertex_ai");
  EXPECT_EQ(NormalizeProvider("amazon-bedrock"), "aws.bedrock");
  EXPECT_EQ(NormalizeProvider("mistral.chat"), "mistral_ai");
  EXPECT_EQ(NormalizeProvider("xai.chat"), "x_ai");
  EXPECT_EQ(NormalizeProvider("azure-openai.chat"), "azure.ai.openai");
}

TEST(NormalizeProvider, UnknownIsLowerCasedAndEmptyStaysEmpty) {
  EXPECT_EQ(NormalizeProvider("MyLocalLLM"), "mylocalllm");
  EXPECT_EQ(NormalizeProvider(""), "");
}

TEST(ProviderInference, FromServerAddress) {
  EXPECT_EQ(ProviderFromServerAddress("api.openai.com"), "openai");
  EXPECT_EQ(ProviderFromServerAddress("api.anthropic.com"), "anthropic");
  EXPECT_EQ(ProviderFromServerAddress("bedrock-runtime.us-east-1.amazonaws.com"), "aws.bedrock");
  EXPECT_EQ(ProviderFromServerAddress("my-res.openai.azure.com"), "azure.ai.openai");
  EXPECT_EQ(ProviderFromServerAddress("us-central1-aiplatform.googleapis.com"), "gcp.vertex_ai");
  EXPECT_EQ(ProviderFromServerAddress("localhost"), "");
}

TEST(ProviderInference, FromModelName) {
  EXPECT_EQ(ProviderFromModel("claude-sonnet-4-5-20250929"), "anthropic");
  EXPECT_EQ(ProviderFromModel("claude-sonnet-4@20250514"), "gcp.vertex_ai");
  EXPECT_EQ(ProviderFromModel("us.anthropic.claude-sonnet-4-20250514-v1:0"), "aws.bedrock");
  EXPECT_EQ(ProviderFromModel("gpt-4o"), "openai");
  EXPECT_EQ(ProviderFromModel("o3-mini"), "openai");
  EXPECT_EQ(ProviderFromModel("openai/gpt-4o"), "openai");
  EXPECT_EQ(ProviderFromModel("gemini-2.5-pro"), "gcp.gemini");
  EXPECT_EQ(ProviderFromModel("mistral-large-latest"), "mistral_ai");
  EXPECT_EQ(ProviderFromModel("grok-3"), "x_ai");
  EXPECT_EQ(ProviderFromModel("deepseek-chat"), "deepseek");
  EXPECT_EQ(ProviderFromModel("my-finetune"), "");
}

}  // namespace
}  // namespace loupe::genai
