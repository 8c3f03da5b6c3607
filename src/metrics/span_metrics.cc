#include "metrics/span_metrics.h"

#include <array>

#include "metrics/span_metrics_tables.h"

namespace loupe::metrics {
namespace {

constexpr uint64_t kNanosPerSecond = 1'000'000'000;
constexpr uint64_t kSweepIntervalNanos = kNanosPerSecond;

// Label schemas. The order is the order of the values Record passes.
const std::vector<std::string> kLlmLabels = {"gen_ai_provider_name", "gen_ai_request_model", "ai_team",
                                             "ai_feature",           "ai_prompt_version",    "service_name",
                                             "deployment_environment_name"};
constexpr size_t kLlmLabelCount = 7;

std::vector<std::string> With(std::vector<std::string> base, std::initializer_list<std::string> more) {
  base.insert(base.end(), more);
  return base;
}

// An attribute as a label value: a view of a string attribute, or the
// text of another type kept in `storage`. False when absent or empty.
bool AttributeText(const model::AnyValue* v, std::string* storage, std::string_view* out) {
  if (v == nullptr || v->empty()) return false;
  if (const std::string* s = v->AsString()) {
    *out = *s;
  } else {
    *storage = v->ToText();
    *out = *storage;
  }
  return !out->empty();
}

std::string_view ServiceName(const model::Span& span) {
  if (!span.resource) return {};
  const model::AnyValue* v = span.resource->attributes.Find("service.name");
  const std::string* s = v ? v->AsString() : nullptr;
  return s ? std::string_view(*s) : std::string_view();
}

int64_t NonNegative(const std::optional<int64_t>& v) { return v && *v > 0 ? *v : 0; }

}  // namespace

std::vector<double> LlmDurationBucketsSeconds() { return {0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120}; }
std::vector<double> TimeToFirstTokenBucketsSeconds() { return {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30}; }

std::vector<double> GenAiTokenUsageBuckets() {
  std::vector<double> b;
  for (double v = 1; v <= 67108864; v *= 4) b.push_back(v);
  return b;
}

std::vector<double> GenAiOperationDurationBuckets() {
  std::vector<double> b;
  // 0.01 x 2^i, computed from integers so that the texts read 0.08, not 0.08000000000000002.
  for (int i = 0; i <= 13; ++i) b.push_back(static_cast<double>(1 << i) / 100.0);
  return b;
}

SpanMetrics::SpanMetrics(SpanMetricsConfig config, const Clock* clock)
    : config_(std::move(config)),
      clock_(clock),
      span_buckets_(config_.histogram_buckets_ms),
      llm_duration_buckets_(LlmDurationBucketsSeconds()),
      ttft_buckets_(TimeToFirstTokenBucketsSeconds()),
      genai_token_buckets_(GenAiTokenUsageBuckets()),
      genai_duration_buckets_(GenAiOperationDurationBuckets()),
      dimension_labels_([this] {
        std::vector<std::string> labels;
        for (const auto& d : config_.dimensions) labels.push_back(SanitizeLabelName(d.name));
        return labels;
      }()) {
  std::vector<std::string> span_labels = {"service_name", "span_name", "span_kind", "status_code"};
  span_labels.insert(span_labels.end(), dimension_labels_.begin(), dimension_labels_.end());
  size_t limit = config_.cardinality_limit;
  tables_.reset(new Tables{
      SeriesTable<SpanValue>(span_labels, limit),
      SeriesTable<LlmValue>(kLlmLabels, limit),
      SeriesTable<RequestValue>(With(kLlmLabels, {"status_code", "error_type"}), limit),
      SeriesTable<GenAiValue>(With(kLlmLabels, {"gen_ai_operation_name", "gen_ai_response_model"}), limit),
      SpanValue{0, HistogramData(span_buckets_.bounds.size())},
      LlmValue{{}, 0, 0, 0, 0, HistogramData(llm_duration_buckets_.bounds.size()),
               HistogramData(ttft_buckets_.bounds.size())},
      GenAiValue{HistogramData(genai_token_buckets_.bounds.size()),
                 HistogramData(genai_token_buckets_.bounds.size()),
                 HistogramData(genai_duration_buckets_.bounds.size())},
  });
  converted_.resize(config_.dimensions.size());
  values_.reserve(span_labels.size() + 4);
}

SpanMetrics::~SpanMetrics() = default;

void SpanMetrics::Record(std::span<const model::SpanRecord* const> spans) {
  if (spans.empty()) return;
  uint64_t now = clock_->NowUnixNanos();
  std::lock_guard<std::mutex> lock(mu_);
  MaybeExpireLocked(now);
  for (const model::SpanRecord* r : spans) {
    RecordSpanLocked(*r, now);
    if (r->llm && r->llm->counts_usage) RecordLlmLocked(*r, now);
  }
  spans_recorded_ += spans.size();
}

void SpanMetrics::RecordIfNew(std::span<const model::SpanRecord* const> spans) {
  std::call_once(filter_once_, [this] {
    filter_ = std::make_unique<RecentSpanFilter>(config_.dedup_capacity);
    filter_view_.store(filter_.get(), std::memory_order_release);
  });
  std::lock_guard<std::mutex> lock(filter_mu_);
  new_spans_.clear();
  filter_->FilterNew(spans, &new_spans_);
  Record(new_spans_);
}

void SpanMetrics::RecordSpanLocked(const model::SpanRecord& r, uint64_t now) {
  const model::Span& span = r.span;
  values_.clear();
  values_.push_back(ServiceName(span));
  values_.push_back(span.name);
  values_.push_back(model::SpanKindName(span.kind));
  values_.push_back(model::StatusCodeName(span.status.code));
  for (size_t i = 0; i < config_.dimensions.size(); ++i) {
    const SpanMetricsDimension& d = config_.dimensions[i];
    std::string_view v;
    if (!AttributeText(span.attributes.Find(d.name), &converted_[i], &v) &&
        !(span.resource && AttributeText(span.resource->attributes.Find(d.name), &converted_[i], &v)) &&
        d.default_value) {
      v = *d.default_value;
    }
    values_.push_back(v);
  }
  SpanValue& s = tables_->spans.Get(values_, now, tables_->span_proto);
  ++s.calls;
  s.duration_ms.Observe(span_buckets_.bounds, static_cast<double>(span.duration_nanos()) / 1e6);
}

void SpanMetrics::RecordLlmLocked(const model::SpanRecord& r, uint64_t now) {
  const model::LlmCall& call = *r.llm;
  const model::Span& span = r.span;
  values_.clear();
  values_.push_back(call.provider);
  values_.push_back(call.request_model.empty() ? std::string_view(call.response_model)
                                               : std::string_view(call.request_model));
  values_.push_back(call.team);
  values_.push_back(call.feature);
  values_.push_back(call.prompt_version);
  values_.push_back(ServiceName(span));
  values_.push_back(call.environment);

  const double duration_s = static_cast<double>(span.duration_nanos()) / 1e9;
  const model::TokenUsage& t = call.tokens;
  const std::array<int64_t, 5> tokens = {NonNegative(t.input), NonNegative(t.output), NonNegative(t.cache_read),
                                         NonNegative(t.cache_write), NonNegative(t.reasoning)};
  {
    LlmValue& v = tables_->llm.Get(values_, now, tables_->llm_proto);
    for (size_t i = 0; i < tokens.size(); ++i) {
      v.tokens[i] += static_cast<uint64_t>(tokens[i]);
      if (tokens[i] > 0) v.token_seen |= static_cast<uint8_t>(1u << i);
    }
    if (call.cost.total_nanos) {
      v.cost_nanos += static_cast<uint64_t>(NonNegative(call.cost.total_nanos));
      ++v.priced_calls;
    } else {
      ++v.unpriced_calls;
    }
    v.duration_s.Observe(llm_duration_buckets_.bounds, duration_s);
    if (call.time_to_first_token_nanos && *call.time_to_first_token_nanos >= 0) {
      v.ttft_s.Observe(ttft_buckets_.bounds, static_cast<double>(*call.time_to_first_token_nanos) / 1e9);
    }
  }

  values_.resize(kLlmLabelCount);
  values_.push_back(model::StatusCodeName(span.status.code));
  values_.push_back(call.error_type);
  ++tables_->requests.Get(values_, now, RequestValue{}).count;

  if (config_.genai_histograms) {
    values_.resize(kLlmLabelCount);
    values_.push_back(call.operation);
    values_.push_back(call.response_model);
    GenAiValue& g = tables_->genai.Get(values_, now, tables_->genai_proto);
    // The spec counts cached input inside input, reasoning inside output.
    if (t.input || t.cache_read || t.cache_write) {
      g.input_tokens.Observe(genai_token_buckets_.bounds, static_cast<double>(tokens[0] + tokens[2] + tokens[3]));
    }
    if (t.output || t.reasoning) {
      g.output_tokens.Observe(genai_token_buckets_.bounds, static_cast<double>(tokens[1] + tokens[4]));
    }
    g.duration_s.Observe(genai_duration_buckets_.bounds, duration_s);
  }
}

void SpanMetrics::MaybeExpireLocked(uint64_t now) const {
  if (config_.series_expiry_seconds <= 0) return;
  if (last_sweep_ != 0 && now - last_sweep_ < kSweepIntervalNanos) return;
  last_sweep_ = now;
  uint64_t ttl = static_cast<uint64_t>(config_.series_expiry_seconds) * kNanosPerSecond;
  if (now <= ttl) return;
  uint64_t cutoff = now - ttl;
  tables_->spans.Expire(cutoff);
  tables_->llm.Expire(cutoff);
  tables_->requests.Expire(cutoff);
  tables_->genai.Expire(cutoff);
}

SpanMetrics::Counts SpanMetrics::GetCounts() const {
  Counts c;
  {
    std::lock_guard<std::mutex> lock(mu_);
    c.span_series = tables_->spans.size();
    c.llm_series = tables_->llm.size();
    c.request_series = tables_->requests.size();
    c.genai_series = tables_->genai.size();
    c.spans_recorded = spans_recorded_;
  }
  if (const RecentSpanFilter* f = filter_view_.load(std::memory_order_acquire)) c.duplicates = f->duplicates();
  return c;
}

Status SpanMetricsConsumer::Consume(std::span<model::Batch* const> batches) {
  scratch_.clear();
  for (model::Batch* b : batches) {
    for (const model::SpanRecord& r : b->spans) scratch_.push_back(&r);
  }
  metrics_->RecordIfNew(scratch_);
  return Status::Ok();
}

}  // namespace loupe::metrics
