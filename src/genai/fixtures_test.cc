// Runs every fixture in src/genai/testdata through one Normalizer and checks
// each span's expected LlmCall.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "genai/fixture.h"
#include "genai/normalizer.h"

namespace loupe::genai {
namespace {

std::filesystem::path TestdataDir() {
  const char* root = std::getenv("LOUPE_SOURCE_DIR");
  return std::filesystem::path(root != nullptr ? root : ".") / "src/genai/testdata";
}

std::vector<std::string> FixturePaths() {
  std::vector<std::string> paths;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(TestdataDir(), ec)) {
    if (entry.path().extension() == ".json") paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

// Runs one fixture; returns the dialect names its calls produced.
std::set<std::string> RunFixture(const std::string& path) {
  std::set<std::string> dialects;
  Result<testing::Fixture> f = testing::LoadFixture(path);
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  if (!f.ok()) return dialects;
  EXPECT_FALSE(f->expectations.empty()) << path << " expects nothing";
  Normalizer normalizer(f->config);
  for (auto& batch : f->batches) normalizer.Normalize(&batch);
  for (const auto& e : f->expectations) {
    const auto& rec = f->batches[e.batch].spans[e.index];
    if (rec.llm) dialects.insert(rec.llm->dialect);
    for (const auto& problem : testing::CheckExpectation(rec.llm, e.json)) {
      ADD_FAILURE() << path << " span \"" << e.span << "\": " << problem;
    }
    // The standalone reader agrees with the pipeline, except for the
    // trace-level double-count decision.
    std::optional<model::LlmCall> alone = normalizer.NormalizeSpan(rec.span);
    EXPECT_EQ(alone.has_value(), rec.llm.has_value()) << path << " span " << e.span;
    if (alone && rec.llm) {
      EXPECT_EQ(alone->tokens, rec.llm->tokens) << path << " span " << e.span;
      EXPECT_EQ(alone->input_messages, rec.llm->input_messages) << path << " span " << e.span;
    }
  }
  return dialects;
}

TEST(GenAiFixtures, EveryFixtureMatchesItsExpectations) {
  std::vector<std::string> paths = FixturePaths();
  ASSERT_GE(paths.size(), 9u) << "fixtures not found under " << TestdataDir();
  std::set<std::string> dialects;
  for (const auto& path : paths) {
    SCOPED_TRACE(path);
    for (const auto& d : RunFixture(path)) dialects.insert(d);
  }
  // One fixture per dialect, and each actually recognised as such.
  for (const char* d : {"otel_genai", "otel_genai_deprecated", "openinference", "openllmetry", "openlit",
                        "vercel_ai", "logfire", "langfuse", "blueprint"}) {
    EXPECT_TRUE(dialects.count(d)) << "no fixture produced dialect " << d;
  }
}

TEST(GenAiFixtures, CheckerReportsMismatches) {
  model::LlmCall call;
  call.dialect = "otel_genai";
  call.tokens.input = 5;
  auto problems = testing::CheckExpectation(call, R"({"dialect": "openlit", "tokens": {"input": 5, "output": 3}})");
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_NE(problems[0].find("dialect"), std::string::npos);
  EXPECT_NE(problems[1].find("tokens.output"), std::string::npos);
  EXPECT_EQ(testing::CheckExpectation(std::nullopt, R"({"llm": false})").size(), 0u);
  EXPECT_EQ(testing::CheckExpectation(call, R"({"llm": false})").size(), 1u);
  EXPECT_EQ(testing::CheckExpectation(call, "{not json").size(), 1u);
}

TEST(GenAiFixtures, LoaderNamesTheBadFile) {
  Result<testing::Fixture> f = testing::LoadFixture("/nonexistent/fixture.json");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("/nonexistent/fixture.json"), std::string::npos);
}

}  // namespace
}  // namespace loupe::genai
