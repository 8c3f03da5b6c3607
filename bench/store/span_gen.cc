#include "span_gen.h"

namespace loupe::bench {
namespace {

const char* kModels[] = {"gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5", "claude-haiku-4-5", "gemini-2.5-pro",
                         "llama-3.3-70b"};
const char* kProviders[] = {"openai", "openai", "anthropic", "anthropic", "gcp.gemini", "groq"};

}  // namespace

SpanGen::SpanGen(GenShape shape, uint64_t seed) : shape_(shape), rng_(seed) {
  for (const char* service : {"chat-api", "search-api", "batch-worker", "support-bot"}) {
    auto r = std::make_shared<model::Resource>();
    r->attributes.Add("service.name", service);
    r->attributes.Add("service.version", "1.42.0");
    r->attributes.Add("deployment.environment.name", "production");
    r->attributes.Add("host.name", std::string("pod-") + service + "-7d9f8b6c5-x2x4z");
    resources_.push_back(r);
  }
  auto scope = std::make_shared<model::Scope>();
  scope->name = "opentelemetry.instrumentation.openai";
  scope->version = "0.48.0";
  scope_ = scope;
  const char* vocab[] = {"invoice", "refund", "policy", "shipping", "weather", "account", "password", "order",
                         "delivery", "summary", "translate", "contract", "report", "schedule", "budget", "zebra"};
  while (words_.size() < 4096) {
    words_ += vocab[rng_() % 16];
    words_ += ' ';
  }
}

model::TraceId SpanGen::TraceIdOf(uint64_t trace) {
  model::TraceId id{};
  for (int i = 0; i < 8; ++i) id[15 - i] = static_cast<uint8_t>(trace >> (8 * i));
  id[0] = 0xb3;
  return id;
}

model::SpanRecord SpanGen::Call(uint64_t trace, uint64_t span, uint64_t parent, uint64_t start_ns, uint64_t dur_ns,
                                bool counts_usage) {
  model::SpanRecord rec;
  model::Span& s = rec.span;
  s.trace_id = TraceIdOf(trace);
  for (int i = 0; i < 8; ++i) s.span_id[7 - i] = static_cast<uint8_t>((trace * 4 + span) >> (8 * i));
  if (parent) {
    for (int i = 0; i < 8; ++i) s.parent_span_id[7 - i] = static_cast<uint8_t>((trace * 4 + parent) >> (8 * i));
  }
  const int m = static_cast<int>(trace % 6);
  s.name = counts_usage ? std::string("chat ") + kModels[m] : "agent run";
  s.kind = model::SpanKind::kClient;
  s.start_time_unix_nano = start_ns;
  s.end_time_unix_nano = start_ns + dur_ns;
  s.resource = resources_[trace % resources_.size()];
  s.scope = scope_;
  s.attributes.Add("gen_ai.operation.name", "chat");
  s.attributes.Add("gen_ai.system", kProviders[m]);
  s.attributes.Add("gen_ai.request.model", kModels[m]);
  s.attributes.Add("gen_ai.request.temperature", 0.2);
  s.attributes.Add("gen_ai.request.max_tokens", int64_t{1024});
  s.attributes.Add("gen_ai.response.id", "chatcmpl-" + std::to_string(trace * 4 + span) + "x9f2kq0c");
  s.attributes.Add("server.address", "api.example-llm.com");
  if (rng_() % 50 == 0) s.status.code = model::StatusCode::kError;

  model::LlmCall c;
  c.dialect = "otel_genai";
  c.provider = kProviders[m];
  c.operation = "chat";
  c.request_model = kModels[m];
  c.response_model = std::string(kModels[m]) + "-2025-01-01";
  c.team = "team-" + std::to_string(trace % static_cast<uint64_t>(shape_.teams));
  c.feature = "feature-" + std::to_string((trace / 7) % static_cast<uint64_t>(shape_.features));
  c.prompt_name = "answer";
  c.prompt_version = "v" + std::to_string(trace % 4);
  c.environment = "production";
  c.user = UserOf(trace % static_cast<uint64_t>(shape_.users));
  c.session = "sess-" + std::to_string(trace / 3);
  c.counts_usage = counts_usage;
  c.tokens.input = static_cast<int64_t>(200 + rng_() % 3000);
  c.tokens.output = static_cast<int64_t>(20 + rng_() % 800);
  c.tokens.cache_read = static_cast<int64_t>(rng_() % 1000);
  c.cost.source = model::CostSource::kCatalog;
  c.cost.total_nanos = *c.tokens.input * 2500 + *c.tokens.output * 10000;
  c.finish_reasons = {"stop"};
  if (shape_.content && counts_usage) {
    size_t off = rng_() % (words_.size() - shape_.prompt_bytes);
    c.system_instructions.push_back({"text", "You are a helpful assistant for Example Corp."});
    c.input_messages.push_back({"user", {{"text", words_.substr(off, shape_.prompt_bytes)}}, "", ""});
    c.output_messages.push_back({"assistant", {{"text", words_.substr(off / 2, 160)}}, "", "stop"});
  }
  rec.llm = std::move(c);
  return rec;
}

void SpanGen::Trace(uint64_t trace, uint64_t start_ns, std::vector<model::SpanRecord>* out) {
  uint64_t t = start_ns;
  out->push_back(Call(trace, 1, 0, t, 4'000'000'000, /*counts_usage=*/false));
  for (uint64_t k = 2; k <= 4; ++k) {
    uint64_t dur = 200'000'000 + rng_() % 1'500'000'000;
    out->push_back(Call(trace, k, 1, t, dur, true));
    t += dur;
  }
}

}  // namespace loupe::bench
