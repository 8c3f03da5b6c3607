// Test helpers: LLM-call span records with content, and retrieval spans.
#pragma once

#include <cstring>
#include <memory>
#include <string>

#include "model/batch.h"

namespace loupe::eval::testing {

inline model::TraceId TraceIdOf(uint64_t n) {
  model::TraceId t{};
  for (int i = 0; i < 8; ++i) t[15 - i] = static_cast<uint8_t>(n >> (8 * i));
  t[0] = 0x7a;
  return t;
}
inline model::SpanId SpanIdOf(uint64_t n) {
  model::SpanId s{};
  for (int i = 0; i < 8; ++i) s[7 - i] = static_cast<uint8_t>(n >> (8 * i));
  s[0] |= 0x01;
  return s;
}

struct CallSpec {
  uint64_t trace = 1, span = 1;
  uint64_t start_ns = 1'700'000'000'000'000'000ull;
  uint64_t duration_ns = 1'000'000'000;
  std::string feature = "chat", team = "core", model = "gpt-4o", prompt_version = "v1";
  std::string environment = "prod", service = "app";
  std::string query = "What is the capital of France?";
  std::string answer = "Paris.";
  std::string finish_reason = "stop";
  bool content = true;
};

inline model::SpanRecord MakeCall(const CallSpec& c) {
  model::SpanRecord r;
  r.span.trace_id = TraceIdOf(c.trace);
  r.span.span_id = SpanIdOf(c.span);
  r.span.name = "chat " + c.model;
  r.span.kind = model::SpanKind::kClient;
  r.span.start_time_unix_nano = c.start_ns;
  r.span.end_time_unix_nano = c.start_ns + c.duration_ns;
  auto res = std::make_shared<model::Resource>();
  res->attributes.Add("service.name", c.service);
  r.span.resource = res;
  r.span.scope = std::make_shared<model::Scope>();
  model::LlmCall call;
  call.provider = "openai";
  call.request_model = c.model;
  call.operation = "chat";
  call.feature = c.feature;
  call.team = c.team;
  call.prompt_version = c.prompt_version;
  call.environment = c.environment;
  call.tokens.input = 100;
  call.tokens.output = 20;
  if (c.content) {
    call.input_messages.push_back({"user", {{"text", c.query}}, "", ""});
    call.output_messages.push_back({"assistant", {{"text", c.answer}}, "", c.finish_reason});
  }
  if (!c.finish_reason.empty()) call.finish_reasons.push_back(c.finish_reason);
  r.llm = std::move(call);
  return r;
}

inline model::SpanRecord MakeRetrieval(uint64_t trace, uint64_t span, const std::string& doc) {
  model::SpanRecord r;
  r.span.trace_id = TraceIdOf(trace);
  r.span.span_id = SpanIdOf(span);
  r.span.name = "retrieve";
  r.span.attributes.Add("openinference.span.kind", "RETRIEVER");
  r.span.attributes.Add("retrieval.documents.0.document.content", doc);
  r.span.resource = std::make_shared<model::Resource>();
  r.span.scope = std::make_shared<model::Scope>();
  return r;
}

}  // namespace loupe::eval::testing
