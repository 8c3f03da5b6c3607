// Batch: the unit that flows through the pipeline. One OTLP request
// becomes one Batch; every span in it is normalised before consumers see it.
#pragma once

#include <optional>
#include <vector>

#include "model/llm_call.h"
#include "model/span.h"

namespace loupe::model {

struct SpanRecord {
  Span span;
  std::optional<LlmCall> llm;  // set when the span is an LLM operation
};

struct Batch {
  std::vector<SpanRecord> spans;
  // Log records not joined to a span in this batch (no span id, or the
  // span arrived in another request).
  std::vector<LogRecord> logs;
};

}  // namespace loupe::model
