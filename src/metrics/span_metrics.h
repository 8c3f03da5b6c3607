// SpanMetrics: span-to-metrics, the Collector's spanmetrics connector plus
// what it cannot do: tokens, cost and latency of LLM calls by team,
// feature, model and prompt version. It aggregates spans as they arrive
// and appends the families to every scrape (a Collector).
//
// Families (names are a contract; docs/metrics.md documents each):
//   traces_span_metrics_calls_total, traces_span_metrics_duration_milliseconds
//   ai_requests_total, ai_tokens_total, ai_cost_usd_total,
//   ai_request_duration_seconds, ai_time_to_first_token_seconds,
//   ai_unpriced_calls_total, and opt-in gen_ai_client_token_usage,
//   gen_ai_client_operation_duration_seconds; plus its own loupe_span_metrics_*.
//
// Exactly once: Record must see each span once. With a store, feed it the
// store's NewSpansListener; without one, call RecordIfNew, which drops the
// spans a RecentSpanFilter has seen.
//
// Aggregate LLM spans (LlmCall::counts_usage == false: agent roots, Vercel
// ai.generateText, ...) count in traces_span_metrics_* like any span but
// in no ai_* / gen_ai_* family: their tokens, cost and duration repeat
// their children's.
//
// Thread-safe: Record, RecordIfNew and Collect may run concurrently (one
// mutex; Record takes it once per call).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "common/clock.h"
#include "metrics/exposition.h"
#include "metrics/span_metrics_config.h"
#include "metrics/span_metrics_filter.h"
#include "metrics/span_metrics_series.h"
#include "model/batch.h"
#include "model/consumer.h"

namespace loupe::metrics {

class SpanMetrics final : public Collector {
 public:
  // REQUIRES: config.Validate().ok(). `clock` (not owned, outlives this)
  // dates series for expiry.
  explicit SpanMetrics(SpanMetricsConfig config, const Clock* clock = &SystemClock::Get());
  ~SpanMetrics() override;

  SpanMetrics(const SpanMetrics&) = delete;
  SpanMetrics& operator=(const SpanMetrics&) = delete;

  // Aggregates spans already known to be new. Pointers are read during the
  // call only.
  void Record(std::span<const model::SpanRecord* const> spans);

  // Drops the spans seen before (a bounded filter of config.dedup_capacity
  // recent ids, allocated on first use), then Record()s the rest.
  void RecordIfNew(std::span<const model::SpanRecord* const> spans);

  void Collect(ExpositionWriter& writer) const override;

  // Series held per table (without overflow series), for tests and status.
  struct Counts {
    size_t span_series = 0;     // traces_span_metrics_*
    size_t llm_series = 0;      // ai_tokens/cost/duration/ttft/unpriced
    size_t request_series = 0;  // ai_requests_total
    size_t genai_series = 0;    // gen_ai_client_*
    uint64_t spans_recorded = 0;
    uint64_t duplicates = 0;  // refused by RecordIfNew
  };
  Counts GetCounts() const;

 private:
  struct SpanValue;
  struct LlmValue;
  struct RequestValue;
  struct GenAiValue;
  struct Tables;

  void RecordSpanLocked(const model::SpanRecord& r, uint64_t now);
  void RecordLlmLocked(const model::SpanRecord& r, uint64_t now);
  // At most once a second: drops series idle for longer than the expiry.
  void MaybeExpireLocked(uint64_t now) const;
  void WriteOwnMetricsLocked(ExpositionWriter& writer) const;

  const SpanMetricsConfig config_;
  const Clock* const clock_;
  const Buckets span_buckets_;
  const Buckets llm_duration_buckets_;
  const Buckets ttft_buckets_;
  const Buckets genai_token_buckets_;
  const Buckets genai_duration_buckets_;
  const std::vector<std::string> dimension_labels_;

  std::once_flag filter_once_;
  std::unique_ptr<RecentSpanFilter> filter_;  // set once by RecordIfNew
  std::atomic<const RecentSpanFilter*> filter_view_{nullptr};  // filter_, for readers

  mutable std::mutex mu_;
  // Mutable: Collect expires idle series before it writes.
  mutable std::unique_ptr<Tables> tables_;  // GUARDED_BY(mu_)
  mutable uint64_t last_sweep_ = 0;         // GUARDED_BY(mu_)
  uint64_t spans_recorded_ = 0;             // GUARDED_BY(mu_)
  // Scratch reused by Record so a span that hits existing series allocates nothing.
  std::vector<std::string_view> values_;    // GUARDED_BY(mu_)
  std::vector<std::string> converted_;      // GUARDED_BY(mu_): non-string dimension values
  std::vector<const model::SpanRecord*> new_spans_;  // GUARDED_BY(filter_mu_)
  std::mutex filter_mu_;
};

// The pipeline consumer for a server without a store: every span of the
// batches goes through SpanMetrics::RecordIfNew.
class SpanMetricsConsumer final : public model::BatchConsumer {
 public:
  explicit SpanMetricsConsumer(SpanMetrics* metrics) : metrics_(metrics) {}
  Status Consume(std::span<model::Batch* const> batches) override;

 private:
  SpanMetrics* const metrics_;  // not owned
  std::vector<const model::SpanRecord*> scratch_;  // Consume is called by one thread at a time
};

// Bucket bounds of the LLM and GenAI families (docs/metrics.md).
std::vector<double> LlmDurationBucketsSeconds();
std::vector<double> TimeToFirstTokenBucketsSeconds();
std::vector<double> GenAiTokenUsageBuckets();          // 1, 4, 16, ..., 67108864
std::vector<double> GenAiOperationDurationBuckets();   // 0.01, 0.02, ..., 81.92

}  // namespace loupe::metrics
