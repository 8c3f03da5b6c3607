// Scores: quality judgements attached to a trace or one of its spans, by
// an LLM judge, a built-in evaluator or a person. Stored next to the
// traces (store::Store), searched by the API, aggregated by /stats,
// /compare and the alerting engine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/span.h"
#include "store/query.h"

namespace loupe::store {

enum class ScoreSource : uint8_t { kJudge = 0, kBuiltin = 1, kHuman = 2 };
std::string_view ScoreSourceName(ScoreSource s);  // "judge", "builtin", "human"
bool ParseScoreSource(std::string_view name, ScoreSource* out);

// One score. Identity: (trace_id, span_id, evaluator, dimension, version).
// span_id all-zero means "the whole trace" (a human thumbs on a trace).
struct Score {
  model::TraceId trace_id{};
  model::SpanId span_id{};
  std::string evaluator;  // "judge/default", "json_valid", "refusal", "human", ...
  std::string dimension;  // "accuracy", "relevance", "safety", "groundedness", "thumbs", ...
  // The numeric value on the evaluator's scale (judge 1..5, pass/fail
  // evaluators 0 or 1, thumbs 0 or 1). Never made up or clamped: an
  // evaluation that produced no valid value stores no Score at all.
  double value = 0;
  std::string label;      // optional categorical answer ("refusal", "thumbs_up", ...)
  std::string reasoning;  // the judge's reasoning or a person's comment
  std::string author;     // human scores: who; judge: the rubric name
  ScoreSource source = ScoreSource::kJudge;
  std::string judge_model;             // judge scores only
  std::optional<int64_t> judge_cost_nanos;  // the judge call's cost, shared by its dimensions; unset when unknown
  uint64_t created_ns = 0;             // when the score was made
  uint32_t version = 1;                // set by the store: 1, or previous + 1 when forced

  // Attribution of the scored call, copied in when the score is written
  // (from the LLM call, or the trace's first LLM call for trace scores),
  // so aggregates need no join. Filled by the store when left empty and
  // the span is indexed.
  uint64_t call_start_ns = 0;  // start of the scored span (or trace); windows use this time
  std::string service, environment, team, feature, model, provider, prompt_version, user, session;
};

// Score search. Unset/empty filters match everything. Times are
// call_start_ns, [start_ns, end_ns), 0 = open.
struct ScoreQuery {
  std::optional<model::TraceId> trace_id;
  std::optional<model::SpanId> span_id;
  std::string evaluator, dimension;
  std::optional<ScoreSource> source;
  std::string team, feature, model, prompt_version, service, environment, user, session;
  uint64_t start_ns = 0, end_ns = 0;
  bool latest_only = true;  // only the highest version of each identity
  size_t limit = 100;       // capped at 1000
  std::string cursor;       // next_cursor of the previous page
};

struct ScorePage {
  std::vector<Score> scores;  // newest call first
  std::string next_cursor;
};

// Aggregate over latest-version scores: one row per (group key, evaluator,
// dimension). `where` dimensions as in RollupQuery; kStatus is not
// supported here (InvalidArgument).
struct ScoreAggregateQuery {
  uint64_t start_ns = 0, end_ns = 0;  // on call_start_ns
  std::vector<Dimension> group_by;
  std::vector<std::pair<Dimension, std::string>> where;
  std::string evaluator, dimension;  // empty: all
  std::optional<ScoreSource> source;
  // 0: no time buckets; else also group by floor(call_start_ns / step_ns).
  uint64_t step_ns = 0;
};

struct ScoreAggregateRow {
  std::vector<std::string> key;  // one value per group_by dimension
  uint64_t bucket_start_ns = 0;  // when step_ns > 0
  std::string evaluator, dimension;
  int64_t count = 0;
  double sum = 0;
  double sum_squares = 0;  // for variance / confidence intervals
  double min = 0, max = 0;
  double mean() const { return count > 0 ? sum / static_cast<double>(count) : 0; }
};

}  // namespace loupe::store
