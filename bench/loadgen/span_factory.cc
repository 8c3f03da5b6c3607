#include "span_factory.h"

#include <chrono>
#include <cstring>

namespace loupe::bench {
namespace {

namespace common = opentelemetry::proto::common::v1;
namespace tr = opentelemetry::proto::trace::v1;

void Str(tr::Span* s, const std::string& k, const std::string& v) {
  auto* kv = s->add_attributes();
  kv->set_key(k);
  kv->mutable_value()->set_string_value(v);
}
void Int(tr::Span* s, const std::string& k, int64_t v) {
  auto* kv = s->add_attributes();
  kv->set_key(k);
  kv->mutable_value()->set_int_value(v);
}

std::string Join(const char* prefix, uint64_t n) { return std::string(prefix).append(std::to_string(n)); }

const char* kModels[] = {"gpt-4o-mini", "gpt-4o", "claude-haiku-4-5", "claude-sonnet-4-5"};

}  // namespace

bool ParseDialect(const std::string& name, Dialect* out) {
  if (name == "otel") *out = Dialect::kOtel;
  else if (name == "openinference") *out = Dialect::kOpenInference;
  else if (name == "openllmetry") *out = Dialect::kOpenLlmetry;
  else if (name == "vercel") *out = Dialect::kVercel;
  else return false;
  return true;
}

SpanFactory::SpanFactory(SpanShape shape, uint64_t seed) : shape_(std::move(shape)), rng_(seed) {
  content_.resize(shape_.content_bytes / 2);
  for (size_t i = 0; i < content_.size(); ++i) content_[i] = static_cast<char>('a' + (i * 7) % 26);
}

opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest SpanFactory::Make(size_t spans) {
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest req;
  auto* rs = req.add_resource_spans();
  auto* attr = rs->mutable_resource()->add_attributes();
  attr->set_key("service.name");
  attr->mutable_value()->set_string_value("loadgen");
  auto* ss = rs->add_scope_spans();
  ss->mutable_scope()->set_name("loupe.loadgen");
  ss->mutable_scope()->set_version("1.0");
  for (size_t i = 0; i < spans; ++i) {
    Dialect d = shape_.dialects[counter_ % shape_.dialects.size()];
    Fill(ss->add_spans(), d);
  }
  return req;
}

void SpanFactory::Fill(tr::Span* s, Dialect dialect) {
  uint64_t n = ++counter_;
  uint64_t r1 = rng_(), r2 = rng_(), r3 = rng_();
  char trace_id[16], span_id[8];
  std::memcpy(trace_id, &r1, 8);
  std::memcpy(trace_id + 8, &r2, 8);
  std::memcpy(span_id, &r3, 8);
  s->set_trace_id(trace_id, 16);
  s->set_span_id(span_id, 8);
  uint64_t now = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  s->set_start_time_unix_nano(now - 800'000'000 - (n % 1000) * 1'000'000);
  s->set_end_time_unix_nano(now);
  s->set_kind(tr::Span::SPAN_KIND_CLIENT);
  s->mutable_status()->set_code(tr::Status::STATUS_CODE_OK);
  const std::string model = kModels[n % 4];
  const std::string provider = n % 4 < 2 ? "openai" : "anthropic";
  const int64_t in = 200 + static_cast<int64_t>(n % 2000), out = 50 + static_cast<int64_t>(n % 500);
  std::string prompt = R"([{"role":"user","content":")";
  prompt.append(content_).append(R"("}])");
  std::string answer = R"([{"role":"assistant","content":")";
  answer.append(content_).append(R"("}])");
  Str(s, "ai.team", Join("team-", n % static_cast<uint64_t>(shape_.teams)));
  Str(s, "ai.feature", Join("feature-", n % static_cast<uint64_t>(shape_.features)));
  Str(s, "ai.prompt_version", Join("v", n % static_cast<uint64_t>(shape_.prompt_versions)));
  switch (dialect) {
    case Dialect::kOtel:
      s->set_name(std::string("chat ").append(model));
      Str(s, "gen_ai.operation.name", "chat");
      Str(s, "gen_ai.provider.name", provider);
      Str(s, "gen_ai.request.model", model);
      Str(s, "gen_ai.response.model", model);
      Int(s, "gen_ai.usage.input_tokens", in);
      Int(s, "gen_ai.usage.output_tokens", out);
      Str(s, "gen_ai.input.messages", prompt);
      Str(s, "gen_ai.output.messages", answer);
      break;
    case Dialect::kOpenInference:
      s->set_name("ChatCompletion");
      Str(s, "openinference.span.kind", "LLM");
      Str(s, "llm.provider", provider);
      Str(s, "llm.model_name", model);
      Int(s, "llm.token_count.prompt", in);
      Int(s, "llm.token_count.completion", out);
      Str(s, "input.value", prompt);
      Str(s, "output.value", answer);
      break;
    case Dialect::kOpenLlmetry:
      s->set_name(std::string(provider).append(".chat"));
      Str(s, "llm.request.type", "chat");
      Str(s, "gen_ai.system", provider);
      Str(s, "gen_ai.request.model", model);
      Int(s, "gen_ai.usage.prompt_tokens", in);
      Int(s, "gen_ai.usage.completion_tokens", out);
      Str(s, "gen_ai.prompt.0.role", "user");
      Str(s, "gen_ai.prompt.0.content", content_);
      Str(s, "gen_ai.completion.0.content", content_);
      break;
    case Dialect::kVercel:
      s->set_name("ai.generateText.doGenerate");
      Str(s, "ai.operationId", "ai.generateText.doGenerate");
      Str(s, "ai.model.provider", std::string(provider).append(".chat"));
      Str(s, "ai.model.id", model);
      Str(s, "gen_ai.system", provider);
      Str(s, "gen_ai.request.model", model);
      Int(s, "ai.usage.promptTokens", in);
      Int(s, "ai.usage.completionTokens", out);
      Str(s, "ai.prompt.messages", prompt);
      Str(s, "ai.response.text", content_);
      break;
  }
  size_t size = s->ByteSizeLong();
  if (size + 24 < shape_.span_bytes) Str(s, "bench.padding", std::string(shape_.span_bytes - size - 24, 'x'));
}

}  // namespace loupe::bench
