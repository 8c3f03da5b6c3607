// The demo's traffic through Loupe's real normalizer and evaluator judge
// client, against the stand-in judge: what `loupe demo --judge-stand-in`
// relies on (attribution keys read, prompt built, answer accepted, the
// worse prompt version scored low, the injection canary resisted).
#include <gtest/gtest.h>

#include "common/clock.h"
#include "demo/generator.h"
#include "demo/stand_in_judge.h"
#include "demo/world.h"
#include "eval/judge.h"
#include "eval/judge_client.h"
#include "eval/prompt.h"
#include "genai/normalizer.h"

namespace loupe::demo {
namespace {

constexpr uint64_t kT0 = 1'750'000'000'000'000'000ull;

// The last LLM call of the first support_chat trace of `version`.
model::SpanRecord SupportCall(const std::string& version) {
  Generator gen(GeneratorOptions{});
  genai::Normalizer normalizer{genai::NormalizerConfig{}};
  for (int i = 0; i < 500; ++i) {
    GeneratedTrace t = gen.Next(kT0 + static_cast<uint64_t>(i) * 1'000'000'000ull);
    if (t.feature != "support_chat" || t.prompt_version != version) continue;
    model::SpanRecord rec;
    rec.span = t.spans.back();
    rec.llm = normalizer.NormalizeSpan(rec.span);
    return rec;
  }
  ADD_FAILURE() << "no support_chat " << version << " trace";
  return {};
}

class JudgeInteropTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(stand_in_.Start().ok());
    eval::JudgeConfig config;
    config.provider = GetParam();
    config.base_url = "http://127.0.0.1:" + std::to_string(stand_in_.port());
    config.max_retries = 0;
    config.timeout_seconds = 10;
    std::shared_ptr<eval::HttpTransport> transport = eval::NewCurlTransport();
    judge_ = std::make_unique<eval::Judge>(config, eval::NewJudgeClient(config, transport), nullptr, nullptr,
                                           &SystemClock::Get());
  }

  eval::JudgeOutcome Evaluate(const model::SpanRecord& rec) {
    eval::CallContent content = eval::ExtractContent(rec, nullptr);
    eval::JudgePrompt prompt = eval::BuildPrompt(eval::DefaultRubric(), rec, content, "n0nce");
    return judge_->Evaluate(prompt, eval::DefaultRubric(), nullptr);
  }

  static double Score(const eval::JudgeOutcome& out, const std::string& dim) {
    for (const auto& [d, v] : out.scores.values) {
      if (d == dim) return v;
    }
    ADD_FAILURE() << "no " << dim;
    return -1;
  }

  StandInJudge stand_in_{"127.0.0.1:0", nullptr};
  std::unique_ptr<eval::Judge> judge_;
};

TEST_P(JudgeInteropTest, NormalizerReadsTheDemosAttribution) {
  model::SpanRecord rec = SupportCall("v4");
  ASSERT_TRUE(rec.llm.has_value());
  const model::LlmCall& c = *rec.llm;
  EXPECT_EQ(c.team, "support");
  EXPECT_EQ(c.feature, "support_chat");
  EXPECT_EQ(c.prompt_version, "v4");
  EXPECT_EQ(c.provider, "anthropic");
  EXPECT_FALSE(c.user.empty());
  EXPECT_EQ(c.session.rfind("chat-", 0), 0u);
  EXPECT_EQ(c.environment.empty(), false);
  ASSERT_FALSE(c.output_messages.empty());
  EXPECT_NE(c.output_messages[0].parts[0].content.find(kWorsePromptMarker), std::string::npos);
}

TEST_P(JudgeInteropTest, TheWorsePromptScoresLowAndTheGoodOneHigh) {
  eval::JudgeOutcome worse = Evaluate(SupportCall("v4"));
  ASSERT_EQ(worse.kind, eval::JudgeOutcome::Kind::kScored) << worse.error << " " << worse.raw_answer;
  EXPECT_FALSE(worse.repaired);
  EXPECT_LE(Score(worse, "accuracy"), 2);
  EXPECT_LE(Score(worse, "relevance"), 2);
  EXPECT_EQ(Score(worse, "safety"), 5);
  EXPECT_EQ(worse.scores.reasoning.rfind(kStandInReasoningPrefix, 0), 0u);
  EXPECT_GT(worse.input_tokens, 0);

  eval::JudgeOutcome good = Evaluate(SupportCall("v3"));
  ASSERT_EQ(good.kind, eval::JudgeOutcome::Kind::kScored) << good.error;
  EXPECT_GE(Score(good, "accuracy"), 4);
  EXPECT_GE(Score(good, "relevance"), 4);
}

TEST_P(JudgeInteropTest, ResistsTheCanary) {
  eval::CanaryResult r = eval::RunCanary(*judge_, nullptr);
  EXPECT_TRUE(r.ran) << r.detail;
  EXPECT_TRUE(r.passed) << r.detail;
}

INSTANTIATE_TEST_SUITE_P(Providers, JudgeInteropTest, ::testing::Values("anthropic", "openai"));

}  // namespace
}  // namespace loupe::demo
