// Replays what real instrumentation libraries emitted against the fake
// provider (tests/fixtures/captured/<name>/: traces.binpb, logs.binpb) through
// the OTLP decoder and one Normalizer, and checks every call named in that
// fixture's expected.json (built by tests/capture/expectations.py from the
// provider's numbers, never from Loupe).
//
// Only this test links otlp: genai itself never depends on it.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "genai/fixture.h"
#include "genai/normalizer.h"
#include "otlp/decode.h"

namespace loupe::genai {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

fs::path CapturedDir() {
  const char* root = std::getenv("LOUPE_SOURCE_DIR");
  return fs::path(root != nullptr ? root : ".") / "tests/fixtures/captured";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Captured {
  std::string name;
  model::Batch batch;  // logs.binpb's records in batch.logs, before Normalize
  Json expected;
};

// Decodes one fixture directory; failures are test failures.
std::optional<Captured> Load(const fs::path& dir, otlp::Encoding encoding = otlp::Encoding::kProtobuf) {
  Captured c;
  c.name = dir.filename().string();
  const char* ext = encoding == otlp::Encoding::kProtobuf ? ".binpb" : ".json";
  Result<otlp::DecodedTraces> traces = otlp::DecodeTraces(ReadFile(dir / (std::string("traces") + ext)), encoding);
  EXPECT_TRUE(traces.ok()) << c.name << ": " << traces.status().ToString();
  if (!traces.ok()) return std::nullopt;
  EXPECT_EQ(traces->rejected_spans, 0) << c.name << ": " << traces->rejection_message;
  c.batch = std::move(traces->batch);
  if (fs::exists(dir / (std::string("logs") + ext))) {
    Result<otlp::DecodedLogs> logs = otlp::DecodeLogs(ReadFile(dir / (std::string("logs") + ext)), encoding);
    EXPECT_TRUE(logs.ok()) << c.name << ": " << logs.status().ToString();
    if (!logs.ok()) return std::nullopt;
    c.batch.logs = std::move(logs->logs);
  }
  try {
    c.expected = Json::parse(ReadFile(dir / "expected.json"));
  } catch (const Json::exception& e) {
    ADD_FAILURE() << c.name << "/expected.json: " << e.what();
    return std::nullopt;
  }
  return c;
}

std::vector<fs::path> FixtureDirs() {
  std::vector<fs::path> dirs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(CapturedDir(), ec)) {
    if (entry.is_directory() && fs::exists(entry.path() / "expected.json")) dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

const model::SpanRecord* FindSpan(const model::Batch& batch, const std::string& span_id_hex) {
  for (const auto& rec : batch.spans) {
    if (model::ToHex(rec.span.span_id) == span_id_hex) return &rec;
  }
  return nullptr;
}

// Where Loupe deliberately reads more than expected.json says the span can
// tell, or the expectation is wrong. Each applies only while expected.json
// still holds `from` (nullopt: any value), so a corrected expected.json is
// checked as it stands. Every entry is in the report to the capture owner.
struct Correction {
  const char* fixture;
  const char* span_name;
  const char* field;
  std::optional<std::string> from;
  std::string to;
  const char* why;
};

const std::vector<Correction>& Corrections() {
  static const std::vector<Correction> kCorrections = {
      {"js-ai-sdk", "ai.generateText", "response_model", std::nullopt, "",
       "the root span carries no response model (only its doGenerate child has ai.response.model)"},
      {"js-ai-sdk", "ai.streamText", "response_model", std::nullopt, "",
       "the root span carries no response model (only its doStream child has ai.response.model)"},
      {"js-ai-sdk", "ai.generateText", "operation", "chat", "ai.generateText",
       "aggregates keep the SDK's own operation name, so that they never read as the chat call they repeat"},
      {"js-ai-sdk", "ai.streamText", "operation", "chat", "ai.streamText",
       "aggregates keep the SDK's own operation name, so that they never read as the chat call they repeat"},
      {"py-otel-openai-v2", "chat fake-error-model", "error_type", "<class 'openai.BadRequestError'>",
       "openai.BadRequestError", "Loupe unwraps Python's str(type) to the class's canonical name"},
      {"js-openinference-openai", "OpenAI Chat Completions", "request_model", "gpt-4o-mini-2024-07-18", "gpt-4o-mini",
       "llm.invocation_parameters.model holds the requested model"},
      {"py-openinference-openai", "ChatCompletion", "request_model", "gpt-4o-mini-2024-07-18", "gpt-4o-mini",
       "llm.invocation_parameters.model holds the requested model"},
      {"py-openinference-openai", "ChatCompletion", "request_model", "gpt-4o-2024-08-06", "gpt-4o",
       "llm.invocation_parameters.model holds the requested model"},
  };
  return kCorrections;
}

std::string Want(const std::string& fixture, const Json& entry, const char* field) {
  std::string want = entry.value(field, "");
  for (const auto& c : Corrections()) {
    if (fixture == c.fixture && entry.value("span_name", "") == c.span_name && std::string(field) == c.field &&
        (!c.from || *c.from == want)) {
      return c.to;
    }
  }
  return want;
}

// expected.json tokens: null = "the span does not say", and 0 is accepted.
void CheckTokens(const Json& want, const model::TokenUsage& got, const std::string& where) {
  auto check = [&](const char* key, const std::optional<int64_t>& actual) {
    if (!want.contains(key)) return;
    if (want[key].is_null()) {
      EXPECT_TRUE(!actual || *actual == 0) << where << " tokens." << key << ": want unset or 0, got " << *actual;
    } else {
      EXPECT_EQ(actual, std::optional<int64_t>(want[key].get<int64_t>())) << where << " tokens." << key;
    }
  };
  check("input", got.input);
  check("cache_read", got.cache_read);
  check("cache_write", got.cache_write);
  check("output", got.output);
  check("reasoning", got.reasoning);
  check("total", got.total);
}

// Everything the span (and its joined log records) says, as text.
std::string RawText(const model::Span& span) {
  std::string out;
  for (const auto& kv : span.attributes.items()) out += kv.value.ToText() + "\n";
  for (const auto& e : span.events) {
    for (const auto& kv : e.attributes.items()) out += kv.value.ToText() + "\n";
  }
  for (const auto& log : span.logs) {
    out += log.body.ToText() + "\n";
    for (const auto& kv : log.attributes.items()) out += kv.value.ToText() + "\n";
  }
  return out;
}

bool PartsContain(const std::vector<model::MessagePart>& parts, const std::string& text) {
  return std::any_of(parts.begin(), parts.end(),
                     [&](const model::MessagePart& p) { return p.content.find(text) != std::string::npos; });
}

// Every scenario sends the same prompts and gets the same answers, so the
// content a span carries is known: whatever of it the span says, Loupe must
// have understood.
void CheckContent(const model::Span& span, const model::LlmCall& call, const std::string& where) {
  if (call.operation != "chat") return;
  const std::string raw = RawText(span);
  const bool says_system = raw.find("You are terse.") != std::string::npos;
  const bool says_answer = raw.find("Hello from the fake provider.") != std::string::npos;
  const bool says_tool_call = raw.find("call_fake_0001") != std::string::npos ||
                              raw.find("toolu_fake_0001") != std::string::npos;
  if (!says_system && !says_answer && !says_tool_call) return;  // the library recorded no content

  bool user_text = false;
  for (const auto& m : call.input_messages) {
    if (m.role == "user" && std::any_of(m.parts.begin(), m.parts.end(),
                                        [](const model::MessagePart& p) { return !p.content.empty(); })) {
      user_text = true;
    }
  }
  EXPECT_TRUE(user_text) << where << ": the span carries content but no user message was read";
  if (says_system) {
    bool found = PartsContain(call.system_instructions, "You are terse.");
    for (const auto& m : call.input_messages) {
      if (m.role == "system" && PartsContain(m.parts, "You are terse.")) found = true;
    }
    EXPECT_TRUE(found) << where << ": system instructions not read";
  }
  if (says_answer) {
    bool found = false;
    for (const auto& m : call.output_messages) found |= PartsContain(m.parts, "Hello from the fake provider.");
    EXPECT_TRUE(found) << where << ": output text not read";
  }
  if (says_tool_call) {
    bool found = false;
    for (const auto& m : call.output_messages) {
      for (const auto& p : m.parts) found |= p.type == "tool_call" && p.name == "get_weather" && !p.id.empty();
    }
    EXPECT_TRUE(found) << where << ": output tool call not read";
  }
}

// Checks one normalized fixture against its expected.json.
void CheckFixture(const Captured& c) {
  const std::string& fx = c.name;
  ASSERT_TRUE(c.expected.contains("calls")) << fx;
  std::set<std::string> expected_ids;
  std::map<std::string, int> counters_per_group;
  for (const Json& e : c.expected["calls"]) {
    const std::string id = e.value("span_id", "");
    const std::string where = fx + " " + e.value("span_name", "") + " (" + id + ")";
    expected_ids.insert(id);
    const model::SpanRecord* rec = FindSpan(c.batch, id);
    ASSERT_NE(rec, nullptr) << where << ": span not in traces.binpb";
    EXPECT_EQ(rec->span.name, e.value("span_name", "")) << where;
    ASSERT_TRUE(rec->llm.has_value()) << where << ": not recognised as an LLM call";
    const model::LlmCall& call = *rec->llm;

    EXPECT_EQ(call.provider, Want(fx, e, "provider")) << where;
    EXPECT_EQ(call.request_model, Want(fx, e, "request_model")) << where;
    EXPECT_EQ(call.response_model, Want(fx, e, "response_model")) << where;
    EXPECT_EQ(call.operation, Want(fx, e, "operation")) << where;
    EXPECT_EQ(call.counts_usage, e.value("counts_usage", true)) << where << " counts_usage";
    CheckTokens(e["tokens"], call.tokens, where);
    if (e.contains("finish_reasons")) {
      EXPECT_EQ(call.finish_reasons, e["finish_reasons"].get<std::vector<std::string>>()) << where;
    }
    for (const char* field : {"team", "feature", "user", "session", "environment"}) {
      if (!e.contains(field)) continue;
      const std::string got = std::string(field) == "team"      ? call.team
                              : std::string(field) == "feature" ? call.feature
                              : std::string(field) == "user"    ? call.user
                              : std::string(field) == "session" ? call.session
                                                                : call.environment;
      EXPECT_EQ(got, Want(fx, e, field)) << where << " " << field;
    }
    if (e.contains("usage_group") && call.counts_usage) ++counters_per_group[e["usage_group"].get<std::string>()];
    if (e.contains("usage_group")) counters_per_group.emplace(e["usage_group"].get<std::string>(), 0);
    CheckContent(rec->span, call, where);
  }
  for (const auto& [group, n] : counters_per_group) {
    EXPECT_EQ(n, 1) << fx << " usage_group \"" << group << "\": exactly one span must count usage";
  }
  for (const Json& e : c.expected.value("errors", Json::array())) {
    const std::string where = fx + " " + e.value("span_name", "") + " (error)";
    const model::SpanRecord* rec = FindSpan(c.batch, e.value("span_id", ""));
    ASSERT_NE(rec, nullptr) << where;
    ASSERT_TRUE(rec->llm.has_value()) << where;
    EXPECT_EQ(rec->llm->error_type, Want(fx, e, "error_type")) << where;
    EXPECT_FALSE(rec->llm->tokens.any()) << where;
  }
  for (const Json& e : c.expected.value("not_counting", Json::array())) {
    const model::SpanRecord* rec = FindSpan(c.batch, e.value("span_id", ""));
    ASSERT_NE(rec, nullptr) << fx << " " << e.value("span_name", "");
    EXPECT_TRUE(!rec->llm || !rec->llm->counts_usage) << fx << " " << e.value("span_name", "") << " counts usage";
  }
  // No span outside the expected calls counts usage: a double count would
  // show up here even on a span expected.json does not name.
  for (const auto& rec : c.batch.spans) {
    if (rec.llm && rec.llm->counts_usage && rec.llm->tokens.any()) {
      EXPECT_TRUE(expected_ids.count(model::ToHex(rec.span.span_id)))
          << fx << " span \"" << rec.span.name << "\" counts usage but expected.json names no such call";
    }
  }
  // Every log record with a span id found its span.
  EXPECT_TRUE(c.batch.logs.empty()) << fx << ": " << c.batch.logs.size() << " log records not joined";
}

TEST(CapturedFixtures, EveryLibraryMatchesExpectedJson) {
  std::vector<fs::path> dirs = FixtureDirs();
  ASSERT_GE(dirs.size(), 9u) << "captured fixtures not found under " << CapturedDir();
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir.filename().string());
    std::optional<Captured> c = Load(dir);
    if (!c) continue;
    Normalizer normalizer{NormalizerConfig{}};
    normalizer.Normalize(&c->batch);
    CheckFixture(*c);
    // The standalone reader (used by the store) reads the same tokens.
    for (const auto& rec : c->batch.spans) {
      std::optional<model::LlmCall> alone = normalizer.NormalizeSpan(rec.span);
      ASSERT_EQ(alone.has_value(), rec.llm.has_value()) << c->name << " " << rec.span.name;
      if (alone) {
        EXPECT_EQ(alone->tokens, rec.llm->tokens) << c->name << " " << rec.span.name;
      }
    }
  }
}

// The same calls whatever order the spans arrive in: one span per batch,
// in export order and reversed (parents before their children).
TEST(CapturedFixtures, OneCounterPerCallInAnyArrivalOrder) {
  for (const auto& dir : FixtureDirs()) {
    for (bool reversed : {false, true}) {
      SCOPED_TRACE(dir.filename().string() + (reversed ? " reversed" : " in order"));
      std::optional<Captured> c = Load(dir);
      if (!c) continue;
      std::vector<model::SpanRecord> spans = std::move(c->batch.spans);
      if (reversed) std::reverse(spans.begin(), spans.end());
      std::vector<model::LogRecord> logs = std::move(c->batch.logs);
      Normalizer normalizer{NormalizerConfig{}};
      model::Batch all;
      for (auto& rec : spans) {
        model::Batch one;
        one.spans.push_back(std::move(rec));
        // Each span's log records travel with it, as a joined export would.
        for (auto& log : logs) {
          if (log.span_id == one.spans[0].span.span_id) one.logs.push_back(log);
        }
        normalizer.Normalize(&one);
        all.spans.push_back(std::move(one.spans[0]));
      }
      std::map<std::string, int> counters;
      for (const Json& e : c->expected["calls"]) {
        const model::SpanRecord* rec = FindSpan(all, e.value("span_id", ""));
        ASSERT_NE(rec, nullptr);
        ASSERT_TRUE(rec->llm.has_value());
        CheckTokens(e["tokens"], rec->llm->tokens, c->name + " " + e.value("span_name", ""));
        if (e.contains("usage_group")) {
          counters[e["usage_group"].get<std::string>()] += rec->llm->counts_usage ? 1 : 0;
        } else if (e.value("counts_usage", true)) {
          EXPECT_TRUE(rec->llm->counts_usage) << c->name << " " << e.value("span_name", "");
        }
      }
      for (const auto& [group, n] : counters) EXPECT_EQ(n, 1) << c->name << " usage_group " << group;
      for (const auto& rec : all.spans) {
        // Known aggregates never count, whatever arrives first.
        if (rec.llm && rec.span.name.starts_with("ai.") && !rec.span.name.ends_with(".doGenerate") &&
            !rec.span.name.ends_with(".doStream")) {
          EXPECT_FALSE(rec.llm->counts_usage) << c->name << " " << rec.span.name;
        }
      }
    }
  }
}

// traces.json is the same capture as OTLP/JSON: both encodings must read
// as the same calls.
TEST(CapturedFixtures, JsonAndProtobufReadTheSame) {
  for (const auto& dir : FixtureDirs()) {
    SCOPED_TRACE(dir.filename().string());
    std::optional<Captured> pb = Load(dir, otlp::Encoding::kProtobuf);
    std::optional<Captured> js = Load(dir, otlp::Encoding::kJson);
    if (!pb || !js) continue;
    Normalizer a{NormalizerConfig{}}, b{NormalizerConfig{}};
    a.Normalize(&pb->batch);
    b.Normalize(&js->batch);
    ASSERT_EQ(pb->batch.spans.size(), js->batch.spans.size());
    for (size_t i = 0; i < pb->batch.spans.size(); ++i) {
      const auto& x = pb->batch.spans[i];
      const auto& y = js->batch.spans[i];
      ASSERT_EQ(x.llm.has_value(), y.llm.has_value()) << x.span.name;
      if (!x.llm) continue;
      EXPECT_EQ(x.llm->tokens, y.llm->tokens) << x.span.name;
      EXPECT_EQ(x.llm->counts_usage, y.llm->counts_usage) << x.span.name;
      EXPECT_EQ(x.llm->request_model, y.llm->request_model) << x.span.name;
      EXPECT_EQ(x.llm->input_messages, y.llm->input_messages) << x.span.name;
      EXPECT_EQ(x.llm->output_messages, y.llm->output_messages) << x.span.name;
    }
  }
}

}  // namespace
}  // namespace loupe::genai
