// SpanMetrics::Collect: writes every family from the series tables. A
// family with no series is left out entirely (no HELP/TYPE lines).
#include <array>

#include "metrics/span_metrics.h"
#include "metrics/span_metrics_tables.h"

namespace loupe::metrics {
namespace {

// Writes the HELP/TYPE lines just before the first sample.
class Family {
 public:
  Family(ExpositionWriter& w, std::string_view name, std::string_view help, MetricType type)
      : w_(w), name_(name), help_(help), type_(type) {}
  ExpositionWriter& Open() {
    if (!open_) w_.BeginFamily(name_, help_, type_);
    open_ = true;
    return w_;
  }

 private:
  ExpositionWriter& w_;
  std::string_view name_, help_;
  MetricType type_;
  bool open_ = false;
};

}  // namespace

void SpanMetrics::Collect(ExpositionWriter& writer) const {
  std::lock_guard<std::mutex> lock(mu_);
  MaybeExpireLocked(clock_->NowUnixNanos());
  const Tables& t = *tables_;

  const auto spans = t.spans.Sorted();
  {
    Family f(writer, "traces_span_metrics_calls_total", "Spans seen, by service, name, kind, status and dimensions.",
             MetricType::kCounter);
    for (const auto* e : spans) f.Open().Sample("traces_span_metrics_calls_total", e->labels, e->value.calls);
  }
  {
    Family f(writer, "traces_span_metrics_duration_milliseconds", "Span duration in milliseconds.",
             MetricType::kHistogram);
    for (const auto* e : spans) {
      WriteHistogram(f.Open(), "traces_span_metrics_duration_milliseconds", e->labels, span_buckets_,
                     e->value.duration_ms);
    }
  }

  const auto requests = t.requests.Sorted();
  {
    Family f(writer, "ai_requests_total", "LLM calls (aggregate spans excluded), by span status and error type.",
             MetricType::kCounter);
    for (const auto* e : requests) f.Open().Sample("ai_requests_total", e->labels, e->value.count);
  }

  const auto llm = t.llm.Sorted();
  {
    Family f(writer, "ai_tokens_total", "LLM tokens by type; the five types are disjoint and sum to the total.",
             MetricType::kCounter);
    for (const auto* e : llm) {
      for (size_t i = 0; i < kTokenTypes.size(); ++i) {
        if ((e->value.token_seen & (1u << i)) == 0) continue;
        f.Open().Sample("ai_tokens_total", e->labels, e->value.tokens[i], "gen_ai_token_type", kTokenTypes[i]);
      }
    }
  }
  {
    Family f(writer, "ai_cost_usd_total", "Cost of priced LLM calls in US dollars (summed in nano-dollars).",
             MetricType::kCounter);
    for (const auto* e : llm) {
      if (e->value.priced_calls == 0) continue;
      f.Open().Sample("ai_cost_usd_total", e->labels, static_cast<double>(e->value.cost_nanos) / 1e9);
    }
  }
  {
    Family f(writer, "ai_request_duration_seconds", "LLM call duration in seconds.", MetricType::kHistogram);
    for (const auto* e : llm) {
      WriteHistogram(f.Open(), "ai_request_duration_seconds", e->labels, llm_duration_buckets_, e->value.duration_s);
    }
  }
  {
    Family f(writer, "ai_time_to_first_token_seconds", "Time to the first streamed token, when the span says.",
             MetricType::kHistogram);
    for (const auto* e : llm) {
      if (e->value.ttft_s.count == 0) continue;
      WriteHistogram(f.Open(), "ai_time_to_first_token_seconds", e->labels, ttft_buckets_, e->value.ttft_s);
    }
  }
  {
    Family f(writer, "ai_unpriced_calls_total", "LLM calls with no price and no reported cost (cost unknown, not $0).",
             MetricType::kCounter);
    for (const auto* e : llm) {
      if (e->value.unpriced_calls == 0) continue;
      f.Open().Sample("ai_unpriced_calls_total", e->labels, e->value.unpriced_calls);
    }
  }

  if (config_.genai_histograms) {
    const auto genai = t.genai.Sorted();
    {
      Family f(writer, "gen_ai_client_token_usage", "OTel GenAI: tokens per call (input includes cached input).",
               MetricType::kHistogram);
      for (const auto* e : genai) {
        if (e->value.input_tokens.count > 0) {
          WriteHistogram(f.Open(), "gen_ai_client_token_usage", e->labels, genai_token_buckets_,
                         e->value.input_tokens, {"gen_ai_token_type", "input"});
        }
        if (e->value.output_tokens.count > 0) {
          WriteHistogram(f.Open(), "gen_ai_client_token_usage", e->labels, genai_token_buckets_,
                         e->value.output_tokens, {"gen_ai_token_type", "output"});
        }
      }
    }
    {
      Family f(writer, "gen_ai_client_operation_duration_seconds", "OTel GenAI: call duration in seconds.",
               MetricType::kHistogram);
      for (const auto* e : genai) {
        WriteHistogram(f.Open(), "gen_ai_client_operation_duration_seconds", e->labels, genai_duration_buckets_,
                       e->value.duration_s);
      }
    }
  }
  WriteOwnMetricsLocked(writer);
}

void SpanMetrics::WriteOwnMetricsLocked(ExpositionWriter& w) const {
  const Tables& t = *tables_;
  struct Row {
    std::string_view table;
    size_t size;
    bool overflow_series;
    uint64_t overflowed;
    uint64_t expired;
  };
  const Row rows[] = {
      {"ai_calls", t.llm.size(), t.llm.has_overflow_series(), t.llm.overflowed(), t.llm.expired()},
      {"ai_requests", t.requests.size(), t.requests.has_overflow_series(), t.requests.overflowed(),
       t.requests.expired()},
      {"gen_ai_client", t.genai.size(), t.genai.has_overflow_series(), t.genai.overflowed(), t.genai.expired()},
      {"traces_span_metrics", t.spans.size(), t.spans.has_overflow_series(), t.spans.overflowed(),
       t.spans.expired()},
  };
  w.BeginFamily("loupe_span_metrics_spans_total", "Spans aggregated by span metrics.", MetricType::kCounter);
  w.Sample("loupe_span_metrics_spans_total", {}, spans_recorded_);
  if (const RecentSpanFilter* f = filter_view_.load(std::memory_order_acquire)) {
    w.BeginFamily("loupe_span_metrics_duplicate_spans_total",
                  "Spans not counted because the recent-span filter had seen them.", MetricType::kCounter);
    w.Sample("loupe_span_metrics_duplicate_spans_total", {}, f->duplicates());
  }
  w.BeginFamily("loupe_span_metrics_series", "Series held per span-metrics table (overflow series included).",
                MetricType::kGauge);
  for (const Row& r : rows) {
    w.Sample("loupe_span_metrics_series", {{"table", std::string(r.table)}},
             static_cast<uint64_t>(r.size + (r.overflow_series ? 1 : 0)));
  }
  w.BeginFamily("loupe_span_metrics_cardinality_limit", "Label sets allowed per span-metrics table.",
                MetricType::kGauge);
  w.Sample("loupe_span_metrics_cardinality_limit", {}, static_cast<uint64_t>(config_.cardinality_limit));
  w.BeginFamily("loupe_span_metrics_overflow_total",
                "Updates sent to an otel_metric_overflow=\"true\" series because the table was full.",
                MetricType::kCounter);
  for (const Row& r : rows) w.Sample("loupe_span_metrics_overflow_total", {{"table", std::string(r.table)}}, r.overflowed);
  w.BeginFamily("loupe_span_metrics_expired_series_total", "Series dropped after being idle for the expiry time.",
                MetricType::kCounter);
  for (const Row& r : rows) {
    w.Sample("loupe_span_metrics_expired_series_total", {{"table", std::string(r.table)}}, r.expired);
  }
}

}  // namespace loupe::metrics
