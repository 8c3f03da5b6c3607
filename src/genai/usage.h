// Token usage: reading what a span reports in any dialect, then making the
// counts disjoint (uncached input, cache read, cache write, output without
// reasoning, reasoning) so that each token is priced exactly once.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "genai/dialect.h"
#include "model/llm_call.h"
#include "model/span.h"

namespace loupe::genai {

// Usage exactly as the span reports it, before the cache and reasoning rules.
struct RawUsage {
  std::optional<int64_t> input;
  std::optional<int64_t> output;
  std::optional<int64_t> cache_read;
  std::optional<int64_t> cache_write;
  std::optional<int64_t> reasoning;
  std::optional<int64_t> total;
  // Langfuse usage_details are disjoint by construction (the SDK subtracts
  // cached and reasoning tokens from input/output before sending).
  bool from_langfuse_details = false;
};

RawUsage ReadRawUsage(const model::Span& span);

// Whether this emitter's input count already includes cache read/write
// tokens, and its output count reasoning tokens.
struct UsageRules {
  bool input_includes_cache = true;
  bool output_includes_reasoning = true;
};

// The rules for one span: per-service override, then scope/dialect
// (see README.md, "Cache and reasoning rules").
UsageRules DecideUsageRules(const model::Span& span, const SpanFacts& facts, const std::string& provider,
                            const RawUsage& raw, const std::map<std::string, bool>& input_includes_cache_by_service);

// What ApplyUsageRules had to correct, for Loupe's own metrics.
struct UsageNotes {
  bool clamped_negative = false;           // a negative count was read as 0
  bool cache_reported_separately = false;  // rule said "inside" but input < cache: kept as is
  bool reasoning_reported_separately = false;
};

// Disjoint tokens. total = the reported total when it is at least the sum of
// the parts, else the sum.
model::TokenUsage ApplyUsageRules(const RawUsage& raw, const UsageRules& rules, UsageNotes* notes);

}  // namespace loupe::genai
