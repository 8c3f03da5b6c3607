// Normalizer: turns spans from any GenAI instrumentation dialect into
// model::LlmCall records (see README.md for every dialect's rules).
//
// One Normalizer lives in the pipeline and sees every batch, in arrival
// order, from one thread: it joins log events to their spans, classifies
// each span, reads usage, content and attribution, and applies the two
// cost traps (usage counted once per real model call; cache tokens priced
// once).
#pragma once

#include <cstdint>
#include <optional>

#include "genai/config.h"
#include "genai/early_logs.h"
#include "genai/usage_ledger.h"
#include "model/batch.h"
#include "model/llm_call.h"
#include "model/span.h"

namespace loupe::genai {

// Counters for Loupe's own metrics: what normalization saw and corrected.
struct NormalizerStats {
  uint64_t spans = 0;
  uint64_t llm_calls = 0;
  uint64_t logs_joined = 0;
  uint64_t logs_unjoined = 0;
  uint64_t logs_joined_early = 0;  // arrived in an earlier request than their span
  uint64_t aggregate_not_counted = 0;   // known aggregate spans with usage
  uint64_t descendant_not_counted = 0;  // a descendant in the trace already counted
  uint64_t parent_not_counted = 0;      // its parent, the same call, already counted
  uint64_t negative_tokens_clamped = 0;
  uint64_t cache_reported_separately = 0;      // scope said "inside input" but input < cache
  uint64_t reasoning_reported_separately = 0;  // likewise for reasoning inside output
};

class Normalizer {
 public:
  // REQUIRES: config.Validate().ok()
  explicit Normalizer(NormalizerConfig config);

  Normalizer(const Normalizer&) = delete;
  Normalizer& operator=(const Normalizer&) = delete;

  // Moves each log record of batch->logs carrying the (trace id, span id)
  // of a span in this batch into that span's Span::logs (records without a
  // match stay in batch->logs, and a copy waits in EarlyLogs for a span
  // arriving in a later batch), then sets SpanRecord::llm on every span that
  // is an LLM/GenAI operation. Spans are visited children first, and the
  // double-count ledger remembers counted usage across batches.
  // Called from one pipeline thread.
  void Normalize(model::Batch* batch);

  // The LlmCall for one span, judged from that span alone (no trace
  // ledger): for tests, and for the store when re-reading a span.
  // Thread-safe (const, touches no shared state).
  std::optional<model::LlmCall> NormalizeSpan(const model::Span& span) const;

  const NormalizerStats& stats() const { return stats_; }
  const NormalizerConfig& config() const { return config_; }

 private:
  struct Notes;
  std::optional<model::LlmCall> Build(const model::Span& span, Notes* notes) const;
  void JoinLogs(model::Batch* batch);

  const NormalizerConfig config_;
  EarlyLogs early_logs_;
  UsageLedger ledger_;
  NormalizerStats stats_;
};

}  // namespace loupe::genai
