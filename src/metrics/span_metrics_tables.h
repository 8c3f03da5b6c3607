// The series tables behind SpanMetrics and the values they hold: shared
// by span_metrics.cc (Record) and span_metrics_collect.cc (Collect) only.
#pragma once

#include <array>
#include <cstdint>

#include "metrics/span_metrics.h"
#include "metrics/span_metrics_series.h"

namespace loupe::metrics {

// gen_ai_token_type values of ai_tokens_total, in LlmValue::tokens order.
inline constexpr std::array<std::string_view, 5> kTokenTypes = {"input", "output", "cache_read", "cache_write",
                                                                "reasoning"};

struct SpanMetrics::SpanValue {
  uint64_t calls = 0;
  HistogramData duration_ms;
};

struct SpanMetrics::LlmValue {
  std::array<uint64_t, 5> tokens{};  // kTokenTypes order
  uint8_t token_seen = 0;            // bit per type: written once any call reported it
  uint64_t cost_nanos = 0;
  uint64_t priced_calls = 0;
  uint64_t unpriced_calls = 0;
  HistogramData duration_s;
  HistogramData ttft_s;
};

struct SpanMetrics::RequestValue {
  uint64_t count = 0;
};

struct SpanMetrics::GenAiValue {
  HistogramData input_tokens;
  HistogramData output_tokens;
  HistogramData duration_s;
};

struct SpanMetrics::Tables {
  SeriesTable<SpanValue> spans;
  SeriesTable<LlmValue> llm;
  SeriesTable<RequestValue> requests;
  SeriesTable<GenAiValue> genai;
  SpanValue span_proto;
  LlmValue llm_proto;
  GenAiValue genai_proto;
};

}  // namespace loupe::metrics
