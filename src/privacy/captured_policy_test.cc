// The content policy over what real instrumentation libraries sent
// (tests/fixtures/captured/): whatever the dialect puts the prompt and the
// answer in, `none` leaves none of it and `redact` rewrites all of it.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "genai/normalizer.h"
#include "otlp/decode.h"
#include "privacy/policy.h"
#include "privacy/test_util.h"

namespace loupe::privacy {
namespace {

namespace fs = std::filesystem;

// Words of the prompts, tool calls and answers the capture scripts sent
// through the fake provider.
const std::vector<std::string> kContentWords = {"You are terse", "Say hello", "from the fake provider", "Paris"};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> Fixtures() {
  const char* root = std::getenv("LOUPE_SOURCE_DIR");
  fs::path dir = fs::path(root != nullptr ? root : ".") / "tests/fixtures/captured";
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (fs::exists(e.path() / "traces.binpb")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

model::Batch Load(const fs::path& dir) {
  model::Batch batch;
  auto traces = otlp::DecodeTraces(ReadFile(dir / "traces.binpb"), otlp::Encoding::kProtobuf);
  EXPECT_TRUE(traces.ok()) << dir;
  if (traces.ok()) batch = std::move(traces->batch);
  if (fs::exists(dir / "logs.binpb")) {
    auto logs = otlp::DecodeLogs(ReadFile(dir / "logs.binpb"), otlp::Encoding::kProtobuf);
    EXPECT_TRUE(logs.ok()) << dir;
    if (logs.ok()) batch.logs = std::move(logs->logs);
  }
  genai::Normalizer normalizer{genai::NormalizerConfig{}};
  normalizer.Normalize(&batch);
  return batch;
}

std::vector<std::optional<model::TokenUsage>> Tokens(const model::Batch& b) {
  std::vector<std::optional<model::TokenUsage>> out;
  for (const auto& r : b.spans) out.push_back(r.llm ? std::optional(r.llm->tokens) : std::nullopt);
  return out;
}

TEST(CapturedPolicyTest, FixturesCarryTheContentWords) {
  ASSERT_GE(Fixtures().size(), 9u);
  for (const auto& dir : Fixtures()) {
    EXPECT_FALSE(testing::Occurrences(Load(dir), kContentWords).empty()) << dir.filename();
  }
}

TEST(CapturedPolicyTest, NoneDropsEveryLibrarysContent) {
  ContentPolicyConfig c;
  c.capture = CaptureMode::kNone;
  c.builtin["api_keys"] = false;  // only dropping may remove the words here
  c.builtin["email"] = c.builtin["phone"] = c.builtin["card"] = false;
  auto policy = std::move(ContentPolicy::Create(c, nullptr)).value();
  genai::Normalizer reader{genai::NormalizerConfig{}};
  for (const auto& dir : Fixtures()) {
    model::Batch batch = Load(dir);
    auto tokens = Tokens(batch);
    policy->Apply(batch);
    EXPECT_EQ(testing::Occurrences(batch, kContentWords), std::vector<std::string>{}) << dir.filename();
    EXPECT_EQ(Tokens(batch), tokens) << dir.filename();
    for (const auto& r : batch.spans) {
      // What the store would re-read from the stored span has no content
      // either: at most role-only messages (a role from an event's name,
      // a finish reason), never a part.
      if (auto call = reader.NormalizeSpan(r.span)) {
        size_t parts = call->system_instructions.size();
        for (const auto* list : {&call->input_messages, &call->output_messages}) {
          for (const auto& m : *list) parts += m.parts.size();
        }
        EXPECT_EQ(parts, 0u) << dir.filename() << " " << r.span.name;
      }
    }
  }
}

TEST(CapturedPolicyTest, RedactRewritesEveryLibrarysContent) {
  ContentPolicyConfig c;
  c.capture = CaptureMode::kRedact;
  c.patterns.push_back({"words", "You are terse|Say hello|from the fake provider|Paris", ""});
  auto policy = std::move(ContentPolicy::Create(c, nullptr)).value();
  for (const auto& dir : Fixtures()) {
    model::Batch batch = Load(dir);
    auto tokens = Tokens(batch);
    policy->Apply(batch);
    EXPECT_EQ(testing::Occurrences(batch, kContentWords), std::vector<std::string>{}) << dir.filename();
    EXPECT_FALSE(testing::Occurrences(batch, {"[REDACTED:words]"}).empty()) << dir.filename();
    EXPECT_EQ(Tokens(batch), tokens) << dir.filename();
  }
  EXPECT_GT(policy->redactions("words"), 20u);
}

}  // namespace
}  // namespace loupe::privacy
