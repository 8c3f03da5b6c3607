// SpanFactory: builds OTLP ExportTraceServiceRequests of GenAI spans for
// the load generator, in several instrumentation dialects, with fresh ids
// for every request (Loupe counts each span id once, so repeats would be
// dropped as retries).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace loupe::bench {

enum class Dialect { kOtel, kOpenInference, kOpenLlmetry, kVercel };

// "otel", "openinference", "openllmetry", "vercel".
bool ParseDialect(const std::string& name, Dialect* out);

struct SpanShape {
  size_t span_bytes = 1024;    // approximate encoded size of one span (padding attribute)
  size_t content_bytes = 256;  // prompt and completion text per span
  std::vector<Dialect> dialects = {Dialect::kOtel};  // round-robin mix
  int teams = 8;
  int features = 16;
  int prompt_versions = 4;
};

class SpanFactory {
 public:
  SpanFactory(SpanShape shape, uint64_t seed);

  // One request of `spans` spans under one resource.
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest Make(size_t spans);

 private:
  void Fill(opentelemetry::proto::trace::v1::Span* span, Dialect dialect);

  SpanShape shape_;
  std::mt19937_64 rng_;
  uint64_t counter_ = 0;
  std::string content_;
};

}  // namespace loupe::bench
