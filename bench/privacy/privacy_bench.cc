// The content policy's cost per span: ContentPolicy::Apply over batches of
// 100 normalized LLM spans shaped like real traffic (a ~600-byte prompt and
// a ~400-byte answer as gen_ai.*.messages JSON, the LlmCall parsed from
// them, 20 ordinary attributes), with and without secrets to replace.
//
//   loupe-privacy-bench --benchmark_counters_tabular=true
//
// The batch copies Apply rewrites are made outside the timing. (`full`
// is not measured: Apply returns before looking at the batch.)
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "genai/normalizer.h"
#include "privacy/json_text.h"
#include "privacy/policy.h"
#include "privacy/redactor.h"

namespace loupe::privacy {
namespace {

using model::AnyValue;

constexpr int kSpans = 100;

std::string Prose(size_t bytes, bool secrets, int seed) {
  static const char* kWords[] = {"the", "customer", "asked", "about", "their", "invoice", "and", "wanted",
                                 "a", "summary", "of", "last", "month's", "usage", "please", "explain"};
  std::string out;
  int i = seed;
  while (out.size() < bytes) {
    out += kWords[(i++ * 7) % 16];
    out += ' ';
  }
  if (secrets) out += "Reach me at jane.doe@example.com or +1 415 555 2671, card 4111 1111 1111 1111.";
  return out;
}

std::string MessagesJson(const std::string& role, const std::string& text) {
  return R"([{"role":")" + role + R"(","parts":[{"type":"text","content":")" + text + R"("}]}])";
}

model::Batch MakeBatch(bool secrets) {
  model::Batch batch;
  auto resource = std::make_shared<model::Resource>();
  resource->attributes.Add("service.name", "support-bot");
  resource->attributes.Add("deployment.environment.name", "prod");
  resource->attributes.Add("host.name", "ip-10-0-12-34");
  auto scope = std::make_shared<model::Scope>();
  scope->name = "opentelemetry.instrumentation.openai_v2";
  for (int i = 0; i < kSpans; ++i) {
    model::SpanRecord rec;
    model::Span& s = rec.span;
    s.trace_id[0] = static_cast<uint8_t>(i + 1);
    s.span_id[0] = static_cast<uint8_t>(i + 1);
    s.name = "chat gpt-4o";
    s.resource = resource;
    s.scope = scope;
    s.attributes.Add("gen_ai.operation.name", "chat");
    s.attributes.Add("gen_ai.provider.name", "openai");
    s.attributes.Add("gen_ai.request.model", "gpt-4o");
    s.attributes.Add("gen_ai.response.model", "gpt-4o-2024-08-06");
    s.attributes.Add("gen_ai.response.id", "chatcmpl-" + std::to_string(1000000 + i));
    s.attributes.Add("gen_ai.usage.input_tokens", 1500);
    s.attributes.Add("gen_ai.usage.output_tokens", 300);
    s.attributes.Add("gen_ai.request.temperature", 0.2);
    s.attributes.Add("gen_ai.response.finish_reasons", model::ArrayValue{{AnyValue("stop")}});
    s.attributes.Add("server.address", "api.openai.com");
    s.attributes.Add("server.port", 443);
    s.attributes.Add("ai.team", "search");
    s.attributes.Add("ai.feature", "summarize");
    s.attributes.Add("ai.prompt_version", "v12");
    s.attributes.Add("user.id", "u-" + std::to_string(4000 + i));
    s.attributes.Add("session.id", "s-" + std::to_string(900 + i / 10));
    s.attributes.Add("http.route", "/v1/chat");
    s.attributes.Add("thread.id", 17);
    s.attributes.Add("code.function", "answer_question");
    s.attributes.Add("gen_ai.input.messages", MessagesJson("user", Prose(600, secrets, i)));
    s.attributes.Add("gen_ai.output.messages", MessagesJson("assistant", Prose(400, false, i + 3)));
    batch.spans.push_back(std::move(rec));
  }
  genai::Normalizer normalizer{genai::NormalizerConfig{}};
  normalizer.Normalize(&batch);
  return batch;
}

void RunApply(benchmark::State& state, ContentPolicyConfig config, bool secrets) {
  auto policy = std::move(ContentPolicy::Create(config, nullptr)).value();
  const model::Batch source = MakeBatch(secrets);
  // Copies are made 32 batches at a time with the timer paused, so that
  // pausing (itself ~1 us) is amortized over 3200 spans.
  constexpr size_t kCopies = 32;
  std::vector<model::Batch> copies;
  size_t next = kCopies;
  for (auto _ : state) {
    if (next == kCopies) {
      state.PauseTiming();
      copies.assign(kCopies, source);
      next = 0;
      state.ResumeTiming();
    }
    policy->Apply(copies[next]);
    benchmark::DoNotOptimize(copies[next].spans.data());
    ++next;
  }
  state.SetItemsProcessed(state.iterations() * kSpans);
  // Seconds per span (printed with an SI prefix: "2.1u" is 2.1 us).
  state.counters["per_span"] = benchmark::Counter(static_cast<double>(state.iterations() * kSpans),
                                                  benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

ContentPolicyConfig Mode(CaptureMode mode) {
  ContentPolicyConfig c;
  c.capture = mode;
  return c;
}

void BM_RedactClean(benchmark::State& s) { RunApply(s, Mode(CaptureMode::kRedact), false); }
void BM_RedactSecrets(benchmark::State& s) { RunApply(s, Mode(CaptureMode::kRedact), true); }
void BM_RedactCustomPattern(benchmark::State& s) {
  ContentPolicyConfig c = Mode(CaptureMode::kRedact);
  c.patterns.push_back({"employee_id", R"(EMP-\d{6})", ""});
  RunApply(s, c, false);
}
void BM_None(benchmark::State& s) { RunApply(s, Mode(CaptureMode::kNone), true); }

// Raw scan speed of one string, without JSON: bytes per second.
void BM_RedactorScan(benchmark::State& state) {
  auto r = std::move(Redactor::Create(Mode(CaptureMode::kRedact))).value();
  const std::string text = Prose(static_cast<size_t>(state.range(0)), false, 1) + " order 12345678";
  std::vector<uint64_t> counts;
  for (auto _ : state) {
    std::string copy = text;
    benchmark::DoNotOptimize(r->Redact(&copy, &counts));
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}

BENCHMARK(BM_RedactClean);
BENCHMARK(BM_RedactSecrets);
BENCHMARK(BM_RedactCustomPattern);
BENCHMARK(BM_None);
BENCHMARK(BM_RedactorScan)->Arg(600)->Arg(64 << 10);

}  // namespace
}  // namespace loupe::privacy

BENCHMARK_MAIN();
