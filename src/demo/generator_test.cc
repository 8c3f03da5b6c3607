#include "demo/generator.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "demo/world.h"
#include "fanout/encode.h"
#include "otlp/decode.h"

namespace loupe::demo {
namespace {

using nlohmann::json;

constexpr uint64_t kT0 = 1'750'000'000'000'000'000ull;  // 2025-06-15
constexpr uint64_t kSecond = 1'000'000'000ull;

std::vector<GeneratedTrace> Generate(uint64_t seed, int n, uint64_t rollout = 0) {
  GeneratorOptions o;
  o.seed = seed;
  o.worse_prompt_rollout_unix_nanos = rollout;
  Generator gen(o);
  std::vector<GeneratedTrace> out;
  for (int i = 0; i < n; ++i) out.push_back(gen.Next(kT0 + static_cast<uint64_t>(i) * 30 * kSecond));
  return out;
}

std::string Encode(const std::vector<GeneratedTrace>& traces) {
  std::vector<const model::Span*> spans;
  for (const auto& t : traces) {
    for (const auto& s : t.spans) spans.push_back(&s);
  }
  return fanout::EncodeTracesProtobuf(spans);
}

std::string Text(const model::Span& s, std::string_view key) {
  const model::AnyValue* v = s.attributes.Find(key);
  return v == nullptr ? "" : v->ToText();
}

int64_t Int(const model::Span& s, std::string_view key) {
  int64_t v = 0;
  s.attributes.GetInt(key, &v);
  return v;
}

bool IsCall(const model::Span& s) {
  std::string op = Text(s, "gen_ai.operation.name");
  return op == "chat" || op == "embeddings";
}

// The concatenated text of the assistant's output messages.
std::string OutputText(const model::Span& s) {
  std::string out;
  for (const json& m : json::parse(Text(s, "gen_ai.output.messages"))) {
    for (const json& p : m["parts"]) {
      if (p["type"] == "text") out += p["content"].get<std::string>();
    }
  }
  return out;
}

TEST(GeneratorTest, SameSeedSameBytesOtherSeedOtherTraffic) {
  auto a = Generate(7, 300), b = Generate(7, 300), c = Generate(8, 300);
  EXPECT_EQ(Encode(a), Encode(b));
  EXPECT_NE(Encode(a), Encode(c));
  std::vector<Scenario> sa, sc;
  for (const auto& t : a) sa.push_back(t.scenario);
  for (const auto& t : c) sc.push_back(t.scenario);
  EXPECT_NE(sa, sc) << "another seed should draw another mix";
}

TEST(GeneratorTest, FirstTracesVisitEveryScenarioThenTheMixKeepsThemAll) {
  auto traces = Generate(1, 1500);
  for (int i = 0; i < kScenarioCount; ++i) EXPECT_EQ(static_cast<int>(traces[static_cast<size_t>(i)].scenario), i);
  std::map<Scenario, int> counts;
  for (size_t i = kScenarioCount; i < traces.size(); ++i) ++counts[traces[i].scenario];
  for (int i = 0; i < kScenarioCount; ++i) {
    EXPECT_GT(counts[static_cast<Scenario>(i)], 2) << ScenarioName(static_cast<Scenario>(i));
  }
  // Outliers stay rare.
  EXPECT_LT(counts[Scenario::kExpensiveOutlier], 20);
}

TEST(GeneratorTest, EncodesAsValidOtlpThatLoupeDecodes) {
  auto traces = Generate(3, 400);
  size_t spans = 0;
  for (const auto& t : traces) spans += t.spans.size();
  auto decoded = otlp::DecodeTraces(Encode(traces), otlp::Encoding::kProtobuf);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->rejected_spans, 0) << decoded->rejection_message;
  EXPECT_EQ(decoded->sanitized_strings, 0);
  ASSERT_EQ(decoded->batch.spans.size(), spans);
  size_t skewed = 0;
  for (const auto& r : decoded->batch.spans) skewed += r.span.clock_skew ? 1 : 0;
  EXPECT_EQ(skewed, 0u);
}

TEST(GeneratorTest, TracesAreWellFormedTrees) {
  std::set<model::TraceId> trace_ids;
  std::set<model::SpanId> span_ids;
  for (const auto& t : Generate(5, 500)) {
    ASSERT_FALSE(t.spans.empty());
    EXPECT_TRUE(trace_ids.insert(t.spans[0].trace_id).second) << "trace ids must be unique";
    EXPECT_TRUE(t.spans[0].is_root());
    EXPECT_EQ(t.spans[0].start_time_unix_nano, t.start_unix_nanos);
    EXPECT_EQ(t.spans[0].end_time_unix_nano, t.end_unix_nanos);
    std::map<model::SpanId, const model::Span*> by_id;
    for (const auto& s : t.spans) {
      EXPECT_TRUE(span_ids.insert(s.span_id).second);
      EXPECT_EQ(s.trace_id, t.spans[0].trace_id);
      EXPECT_GE(s.end_time_unix_nano, s.start_time_unix_nano) << s.name;
      EXPECT_GE(s.start_time_unix_nano, t.start_unix_nanos) << s.name;
      EXPECT_LE(s.end_time_unix_nano, t.end_unix_nanos) << s.name;
      if (!s.is_root()) {
        EXPECT_TRUE(by_id.count(s.parent_span_id)) << s.name << ": parent before child";
      }
      by_id[s.span_id] = &s;
    }
    EXPECT_EQ(t.failed, t.spans[0].status.code == model::StatusCode::kError);
  }
}

TEST(GeneratorTest, LlmSpansCarryTheConventionsAndAttribution) {
  std::set<std::string> teams, features, models, providers, versions;
  int calls = 0, with_cache = 0, with_reasoning = 0;
  for (const auto& t : Generate(11, 800)) {
    int trace_calls = 0;
    for (const auto& s : t.spans) {
      if (!IsCall(s)) continue;
      ++calls;
      ++trace_calls;
      EXPECT_EQ(s.kind, model::SpanKind::kClient);
      EXPECT_EQ(s.name, Text(s, "gen_ai.operation.name") + " " + Text(s, "gen_ai.request.model"));
      EXPECT_FALSE(Text(s, "gen_ai.provider.name").empty());
      EXPECT_EQ(Text(s, "ai.team"), t.team);
      EXPECT_EQ(Text(s, "ai.feature"), t.feature);
      EXPECT_EQ(Text(s, "ai.prompt_version"), t.prompt_version);
      EXPECT_EQ(Text(s, "user.id"), t.user);
      EXPECT_EQ(Text(s, "session.id"), t.session);
      teams.insert(t.team);
      features.insert(t.feature);
      models.insert(Text(s, "gen_ai.request.model"));
      providers.insert(Text(s, "gen_ai.provider.name"));
      versions.insert(t.feature + "@" + t.prompt_version);
      if (s.status.code == model::StatusCode::kError) {
        EXPECT_FALSE(Text(s, "error.type").empty());
        EXPECT_EQ(s.attributes.Find("gen_ai.usage.input_tokens"), nullptr);
        continue;
      }
      EXPECT_GT(Int(s, "gen_ai.usage.input_tokens"), 0) << s.name;
      EXPECT_EQ(Text(s, "gen_ai.response.model"), Model(Text(s, "gen_ai.request.model")).response_model);
      with_cache += Int(s, "gen_ai.usage.cache_read.input_tokens") > 0 ? 1 : 0;
      with_reasoning += Int(s, "gen_ai.usage.reasoning.output_tokens") > 0 ? 1 : 0;
      // Cache and reasoning are counted inside input and output.
      EXPECT_LE(Int(s, "gen_ai.usage.cache_read.input_tokens") + Int(s, "gen_ai.usage.cache_creation.input_tokens"),
                Int(s, "gen_ai.usage.input_tokens"));
      EXPECT_LE(Int(s, "gen_ai.usage.reasoning.output_tokens"), Int(s, "gen_ai.usage.output_tokens"));
      if (Text(s, "gen_ai.operation.name") == "chat") {
        json in = json::parse(Text(s, "gen_ai.input.messages"));
        ASSERT_TRUE(in.is_array() && !in.empty());
        for (const json& m : in) EXPECT_TRUE(m.contains("role") && m["parts"].is_array());
        json out = json::parse(Text(s, "gen_ai.output.messages"));
        ASSERT_EQ(out.size(), 1u);
        EXPECT_EQ(out[0]["role"], "assistant");
        EXPECT_EQ(s.attributes.Find("gen_ai.response.finish_reasons")->AsArray()->values[0].ToText(),
                  out[0]["finish_reason"].get<std::string>());
        EXPECT_FALSE(json::parse(Text(s, "gen_ai.system_instructions")).empty());
      }
    }
    EXPECT_EQ(trace_calls, t.llm_calls);
  }
  EXPECT_EQ(teams, (std::set<std::string>{"search", "support", "growth", "platform"}));
  EXPECT_EQ(features.size(), Features().size());
  EXPECT_EQ(models.size(), Models().size());
  EXPECT_EQ(providers, (std::set<std::string>{"openai", "anthropic", "gcp.gemini"}));
  EXPECT_TRUE(versions.count("support_chat@v3") && versions.count("support_chat@v4"));
  EXPECT_GT(with_cache, calls / 10);
  EXPECT_GT(with_reasoning, 0);
}

TEST(GeneratorTest, SupportChatV4IsWorseThanV3) {
  struct Sum {
    int n = 0;
    double output = 0, input = 0, ms = 0;
  };
  std::map<std::string, Sum> by_version;
  for (const auto& t : Generate(2, 1500)) {
    if (t.feature != "support_chat") continue;
    for (const auto& s : t.spans) {
      if (!IsCall(s) || Text(s, "gen_ai.output.messages").find("\"text\"") == std::string::npos) continue;
      const bool marked = OutputText(s).find(kWorsePromptMarker) != std::string::npos;
      EXPECT_EQ(marked, t.prompt_version == "v4") << OutputText(s);
      Sum& sum = by_version[t.prompt_version];
      ++sum.n;
      sum.output += static_cast<double>(Int(s, "gen_ai.usage.output_tokens"));
      sum.input += static_cast<double>(Int(s, "gen_ai.usage.input_tokens"));
      sum.ms += static_cast<double>(s.duration_nanos()) / 1e6;
    }
  }
  const Sum& v3 = by_version["v3"];
  const Sum& v4 = by_version["v4"];
  ASSERT_GT(v3.n, 50);
  ASSERT_GT(v4.n, 50);
  EXPECT_GT(v4.output / v4.n, 2 * v3.output / v3.n);
  EXPECT_GT(v4.input / v4.n, v3.input / v3.n);
  EXPECT_GT(v4.ms / v4.n, 1.5 * v3.ms / v3.n);
}

TEST(GeneratorTest, TheWorsePromptStartsAtTheRollout) {
  const uint64_t rollout = kT0 + 750 * 30 * kSecond;
  std::map<std::string, std::pair<uint64_t, uint64_t>> first_seen;  // session -> (start, end)
  std::set<std::string> before, after;
  for (const auto& t : Generate(4, 1500, rollout)) {
    if (t.feature != "support_chat") continue;
    auto [it, fresh] = first_seen.try_emplace(t.session, t.start_unix_nanos, 0);
    // A conversation keeps the version it started with.
    (it->second.first < rollout ? before : after).insert(t.prompt_version);
  }
  EXPECT_EQ(before, std::set<std::string>{"v3"});
  EXPECT_EQ(after, (std::set<std::string>{"v3", "v4"}));
}

TEST(GeneratorTest, ConversationsSpanSeveralTracesWithGrowingHistory) {
  std::map<std::string, std::vector<size_t>> inputs;  // session -> input message counts of its final calls
  for (const auto& t : Generate(6, 1000)) {
    if (t.session.empty() || t.failed) continue;
    const model::Span* last = nullptr;
    for (const auto& s : t.spans) {
      if (IsCall(s)) last = &s;
    }
    inputs[t.session].push_back(json::parse(Text(*last, "gen_ai.input.messages")).size());
  }
  int multi = 0;
  for (const auto& [session, counts] : inputs) {
    if (counts.size() < 2 || session.rfind("INC-", 0) == 0) continue;
    ++multi;
    for (size_t i = 1; i < counts.size(); ++i) EXPECT_GT(counts[i], counts[i - 1]) << session;
  }
  EXPECT_GT(multi, 25);
}

TEST(GeneratorTest, RagToolAgentAndErrorTracesHaveTheirShape) {
  std::map<Scenario, int> seen;
  for (const auto& t : Generate(9, 800)) {
    std::multiset<std::string> ops;
    for (const auto& s : t.spans) ops.insert(Text(s, "gen_ai.operation.name"));
    switch (t.scenario) {
      case Scenario::kRagAnswer: {
        ASSERT_EQ(ops.count("retrieval"), 1u);
        EXPECT_EQ(ops.count("embeddings"), 1u);
        for (const auto& s : t.spans) {
          if (Text(s, "gen_ai.operation.name") != "retrieval") continue;
          json docs = json::parse(Text(s, "gen_ai.retrieval.documents"));
          ASSERT_EQ(docs.size(), 3u);
          EXPECT_FALSE(docs[0]["content"].get<std::string>().empty());
          EXPECT_EQ(Text(s, "retrieval.documents.0.document.content"), docs[0]["content"].get<std::string>());
        }
        break;
      }
      case Scenario::kSupportToolCall:
        EXPECT_EQ(ops.count("execute_tool"), 1u);
        EXPECT_EQ(ops.count("chat"), 2u);
        break;
      case Scenario::kAgent:
      case Scenario::kSlowOutlier:
        EXPECT_EQ(ops.count("invoke_agent"), 1u);
        EXPECT_GE(ops.count("chat"), t.scenario == Scenario::kSlowOutlier ? 11u : 4u);
        EXPECT_GE(ops.count("execute_tool"), 3u);
        if (t.scenario == Scenario::kSlowOutlier) {
          EXPECT_GT(t.end_unix_nanos - t.start_unix_nanos, 20 * kSecond);
        }
        break;
      case Scenario::kRateLimited: {
        int limited = 0;
        for (const auto& s : t.spans) limited += Text(s, "error.type") == "429" && IsCall(s) ? 1 : 0;
        EXPECT_GE(limited, 1);
        break;
      }
      case Scenario::kTimeout:
        EXPECT_TRUE(t.failed);
        EXPECT_EQ(Text(t.spans.back(), "error.type"), "timeout");
        EXPECT_GE(t.spans.back().duration_nanos(), 30 * kSecond);
        break;
      case Scenario::kExpensiveOutlier:
        EXPECT_GT(Int(t.spans.back(), "gen_ai.usage.input_tokens"), 200000);
        break;
      default:
        break;
    }
    ++seen[t.scenario];
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(kScenarioCount));
}

TEST(GeneratorTest, ShiftMovesEveryTimestamp) {
  auto traces = Generate(1, 12);
  GeneratedTrace t = traces[static_cast<size_t>(Scenario::kRateLimited)];
  GeneratedTrace moved = t;
  ShiftTrace(&moved, -static_cast<int64_t>(3600 * kSecond));
  EXPECT_EQ(moved.start_unix_nanos, t.start_unix_nanos - 3600 * kSecond);
  for (size_t i = 0; i < t.spans.size(); ++i) {
    EXPECT_EQ(moved.spans[i].end_time_unix_nano, t.spans[i].end_time_unix_nano - 3600 * kSecond);
    for (size_t e = 0; e < t.spans[i].events.size(); ++e) {
      EXPECT_EQ(moved.spans[i].events[e].time_unix_nano, t.spans[i].events[e].time_unix_nano - 3600 * kSecond);
    }
  }
}

}  // namespace
}  // namespace loupe::demo
