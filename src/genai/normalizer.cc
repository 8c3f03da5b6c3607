#include "genai/normalizer.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <utility>

#include "genai/attribution.h"
#include "genai/call_fields.h"
#include "genai/content.h"
#include "genai/dialect.h"
#include "genai/lookup.h"
#include "genai/usage.h"

namespace loupe::genai {

struct Normalizer::Notes {
  UsageNotes usage;
};

Normalizer::Normalizer(NormalizerConfig config)
    : config_(std::move(config)),
      early_logs_(config_.early_logs_max_records, static_cast<uint64_t>(config_.early_logs_max_age_seconds * 1e9)),
      ledger_(config_.dedup_trace_capacity, config_.dedup_spans_per_trace) {}

std::optional<model::LlmCall> Normalizer::Build(const model::Span& span, Notes* notes) const {
  ScopedKeyFilter filter(span);  // most of the keys asked for below are absent
  SpanFacts facts = ClassifySpan(span);
  if (facts.role == SpanRole::kNotLlm) return std::nullopt;

  model::LlmCall call;
  call.request_model = ReadRequestModel(span);
  call.response_model = ReadResponseModel(span);
  RawUsage raw = ReadRawUsage(span);
  const bool has_usage = raw.input || raw.output || raw.total || raw.cache_read || raw.cache_write;
  // Aggregates are LLM calls only to show the usage they carry; spans that
  // said neither call nor aggregate need a model to be one.
  if (facts.role == SpanRole::kAggregate && !has_usage) return std::nullopt;
  if (facts.role == SpanRole::kOther && call.model().empty()) return std::nullopt;

  call.dialect = std::string(DialectName(facts.dialect));
  call.operation = facts.operation;
  call.provider = ReadProvider(span, call.model());
  call.counts_usage = facts.role != SpanRole::kAggregate;
  UsageRules rules = DecideUsageRules(span, facts, call.provider, raw, config_.input_includes_cache_by_service);
  call.tokens = ApplyUsageRules(raw, rules, &notes->usage);
  // Embedding usage is often only a total (Vercel ai.usage.tokens,
  // OpenInference llm.token_count.total): all of it is input.
  if (call.operation == "embeddings" && !call.tokens.input && !call.tokens.output && call.tokens.total) {
    call.tokens.input = call.tokens.total;
  }

  Content content = ReadContent(span);
  call.finish_reasons = ReadFinishReasons(span, content);
  call.system_instructions = std::move(content.system_instructions);
  call.input_messages = std::move(content.input);
  call.output_messages = std::move(content.output);

  Attribute(span, config_.attribution, &call);
  call.error_type = ReadErrorType(span);
  call.time_to_first_token_nanos = ReadTimeToFirstToken(span);
  call.reported_cost_nanos = ReadReportedCostNanos(span);
  call.service_tier = ReadServiceTier(span);
  return call;
}

std::optional<model::LlmCall> Normalizer::NormalizeSpan(const model::Span& span) const {
  Notes notes;
  return Build(span, &notes);
}

void Normalizer::JoinLogs(model::Batch* batch) {
  if (batch->logs.empty() && early_logs_.size() == 0) return;
  // Arrival time on this machine: client timestamps may be skewed.
  const uint64_t now = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                                 std::chrono::steady_clock::now().time_since_epoch())
                                                 .count());
  std::map<std::pair<model::TraceId, model::SpanId>, size_t> index;
  for (size_t i = 0; i < batch->spans.size(); ++i) {
    const auto& s = batch->spans[i].span;
    index.emplace(std::make_pair(s.trace_id, s.span_id), i);
  }
  // Copies that came ahead of their span, in earlier batches.
  for (auto& record : batch->spans) {
    if (early_logs_.size() == 0) continue;
    for (auto& log : early_logs_.Take(record.span.trace_id, record.span.span_id)) {
      record.span.logs.push_back(std::move(log));
      ++stats_.logs_joined_early;
    }
  }
  std::vector<model::LogRecord> unjoined;
  for (auto& log : batch->logs) {
    auto it = model::IsZero(log.span_id) ? index.end() : index.find({log.trace_id, log.span_id});
    if (it == index.end()) {
      if (!model::IsZero(log.span_id)) early_logs_.Add(log, now);
      unjoined.push_back(std::move(log));
      ++stats_.logs_unjoined;
    } else {
      batch->spans[it->second].span.logs.push_back(std::move(log));
      ++stats_.logs_joined;
    }
  }
  batch->logs = std::move(unjoined);
  early_logs_.Expire(now);
}

void Normalizer::Normalize(model::Batch* batch) {
  JoinLogs(batch);

  // Visit children before parents, so that within a batch a parent is
  // judged after every descendant in it has counted (or not).
  const size_t n = batch->spans.size();
  std::map<std::pair<model::TraceId, model::SpanId>, size_t> index;
  for (size_t i = 0; i < n; ++i) {
    const auto& s = batch->spans[i].span;
    index.emplace(std::make_pair(s.trace_id, s.span_id), i);
  }
  std::vector<size_t> depth(n, 0);
  for (size_t i = 0; i < n; ++i) {
    // Walk up at most n steps: a parent cycle in hostile input ends there.
    size_t d = 0, cur = i;
    for (size_t steps = 0; steps < n; ++steps) {
      const auto& s = batch->spans[cur].span;
      if (s.is_root()) break;
      auto it = index.find({s.trace_id, s.parent_span_id});
      if (it == index.end() || it->second == cur) break;
      cur = it->second;
      ++d;
    }
    depth[i] = d;
  }
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return depth[a] > depth[b]; });

  for (size_t i : order) {
    auto& rec = batch->spans[i];
    const model::Span& s = rec.span;
    ++stats_.spans;
    Notes notes;
    rec.llm = Build(s, &notes);
    if (notes.usage.clamped_negative) ++stats_.negative_tokens_clamped;
    if (notes.usage.cache_reported_separately) ++stats_.cache_reported_separately;
    if (notes.usage.reasoning_reported_separately) ++stats_.reasoning_reported_separately;
    if (rec.llm) {
      ++stats_.llm_calls;
      model::LlmCall& call = *rec.llm;
      const bool has_usage = call.tokens.any();
      if (!call.counts_usage && has_usage) ++stats_.aggregate_not_counted;
      if (call.counts_usage && ledger_.HasCountedBelow(s.trace_id, s.span_id)) {
        call.counts_usage = false;
        if (has_usage) ++stats_.descendant_not_counted;
      } else if (call.counts_usage && !s.is_root() && ledger_.HasCounted(s.trace_id, s.parent_span_id)) {
        // Only calls count, so a counted parent is a call too: the two spans
        // describe one model call (e.g. @anthropic-ai/sdk's own span under
        // Traceloop's), and the parent arrived first.
        call.counts_usage = false;
        if (has_usage) ++stats_.parent_not_counted;
      }
      if (call.counts_usage && has_usage) ledger_.MarkCounted(s.trace_id, s.span_id, s.parent_span_id);
    }
    ledger_.Propagate(s.trace_id, s.span_id, s.parent_span_id);
  }
}

}  // namespace loupe::genai
