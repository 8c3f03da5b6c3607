// The questions the rest of Loupe asks the store, and the answers: one
// trace, a page of matching traces, rollup rows, and the store's own
// health (indexer lag, disk usage).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/batch.h"
#include "store/latency_histogram.h"

namespace loupe::store {

// A whole trace: spans in tree order (each parent before its children,
// siblings by start time; spans whose parent is missing count as roots).
struct Trace {
  struct Node {
    model::SpanRecord record;  // with its LLM call's content, when stored
    int depth = 0;
  };
  model::TraceId trace_id{};
  std::vector<Node> spans;
  std::vector<model::LogRecord> logs;  // log records not joined to a span
};

enum class StatusFilter : uint8_t { kAny, kOk, kError };

// "Traces having a latest-version score on `dimension` below `value`"
// (by `evaluator` when set, else by any evaluator).
struct ScoreBelow {
  std::string evaluator;  // optional
  std::string dimension;  // required
  double value = 0;
};

// Trace search. Every set span-level filter must hold for at least one
// span of the trace (AND-ed, on the same span). Times are Unix nanos,
// [start, end); 0 leaves that side open.
struct TraceQuery {
  uint64_t start_ns = 0;
  uint64_t end_ns = 0;
  std::string service;  // resource service.name
  // LLM-call fields; model matches request or response model.
  std::string team, feature, model, provider, prompt_version, environment, user, session;
  std::optional<int64_t> min_cost_nanos;            // one LLM call costing at least this
  // Trace-level: the trace (its spans in the day file of the matching
  // span) lasts at least this long, from its first start to its last end.
  std::optional<uint64_t> min_duration_ns;
  std::optional<ScoreBelow> score_below;            // trace-level, see ScoreBelow
  StatusFilter status = StatusFilter::kAny;         // kError: span status error or an LLM error.type
  std::string text;  // FTS5 query over prompt/completion content
  size_t limit = 50;  // capped at 1000
  std::string cursor;  // next_cursor of the previous page; empty for the first
};

// The mean of one (evaluator, dimension)'s latest-version scores in a trace.
struct TraceScore {
  std::string evaluator, dimension;
  double mean = 0;
  int64_t count = 0;
};

struct TraceSummary {
  model::TraceId trace_id{};
  uint64_t start_ns = 0;  // earliest span start
  uint64_t end_ns = 0;    // latest span end
  std::string root_name;  // the root span's name ("" when the root has not arrived)
  std::string service;    // the root's (else the earliest span's) service
  int64_t spans = 0;
  int64_t llm_calls = 0;
  int64_t cost_nanos = 0;  // sum over priced calls that count usage
  int64_t tokens = 0;      // sum over calls that count usage
  bool has_error = false;
  std::vector<TraceScore> scores;  // by (evaluator, dimension)
};

struct TracePage {
  std::vector<TraceSummary> traces;  // newest first (by the matching spans' earliest start)
  std::string next_cursor;           // empty when there is no further page
};

// The rollup dimensions. kStatus is "ok" or "error". New values are
// appended (callers may have stored the numbers).
enum class Dimension : uint8_t {
  kTeam, kFeature, kModel, kProvider, kPromptVersion, kService, kEnvironment, kStatus, kUser, kSession
};
std::string_view DimensionName(Dimension d);
// Parses "team", "feature", "model", "provider", "prompt_version",
// "service", "environment", "status", "user", "session".
bool ParseDimension(std::string_view name, Dimension* out);
// kUser and kSession: no hour/day rollups keep them (see RollupQuery).
inline bool IsPerCallDimension(Dimension d) { return d == Dimension::kUser || d == Dimension::kSession; }

// Rollup query. A minute is in range when its start lies in [start_ns,
// end_ns). The store answers from daily, hourly or per-minute rollups,
// whichever is exact for the range; once a day's per-minute rollups have
// expired with its span file, a range cut mid-hour counts whole hours.
//
// kUser and kSession (in group_by or where) are answered from the day
// files' LLM calls instead, which live for retention.spans only: a range
// starting before the oldest day retention keeps (or open, start_ns = 0)
// is InvalidArgument naming the dimension.
struct RollupQuery {
  uint64_t start_ns = 0;
  uint64_t end_ns = 0;  // 0: open
  std::vector<Dimension> group_by;  // empty: one row for the whole range
  std::vector<std::pair<Dimension, std::string>> where;  // equality filters
};

struct RollupRow {
  std::vector<std::string> key;  // one value per group_by dimension, same order
  int64_t requests = 0;
  int64_t errors = 0;
  int64_t input_tokens = 0, cache_read_tokens = 0, cache_write_tokens = 0, output_tokens = 0,
          reasoning_tokens = 0;
  int64_t cost_nanos = 0;        // priced calls only
  int64_t unpriced_requests = 0;  // calls whose cost is unknown: never counted as $0
  LatencyHistogram latency;
  double p50_ms() const { return latency.QuantileNanos(0.50) / 1e6; }
  double p95_ms() const { return latency.QuantileNanos(0.95) / 1e6; }
  double p99_ms() const { return latency.QuantileNanos(0.99) / 1e6; }
};

// Sessions (LLM calls sharing a session id), newest activity first.
// Only calls starting in [start_ns, end_ns) count (0 = open).
struct SessionQuery {
  uint64_t start_ns = 0, end_ns = 0;
  std::string user;    // sessions with at least one call by this user
  size_t limit = 50;   // capped at 1000
  std::string cursor;  // next_cursor of the previous page
};

struct SessionSummary {
  std::string session_id;
  uint64_t first_ns = 0;  // first call start
  uint64_t last_ns = 0;   // last call end
  int64_t traces = 0;     // distinct traces (a trace crossing midnight counts once per day file)
  int64_t llm_calls = 0;
  int64_t tokens = 0;      // calls that count usage
  int64_t cost_nanos = 0;  // priced calls that count usage
  std::string user;        // the session's user (the latest non-empty one)
};

struct SessionPage {
  std::vector<SessionSummary> sessions;
  std::string next_cursor;
};

struct StoreStats {
  uint64_t appended_batches = 0;     // sequence number of the last durable batch
  uint64_t indexed_batches = 0;      // sequence number the indexer has reached
  uint64_t pending_batches = 0;      // appended but not yet queryable
  uint64_t oldest_pending_age_nanos = 0;  // indexer lag as time; 0 when caught up
  uint64_t spans_indexed = 0;        // new spans indexed since Start
  uint64_t spans_duplicate = 0;      // redelivered spans ignored since Start
  uint64_t corrupt_batches = 0;      // logged batches that could not be decoded (skipped)
  uint64_t spans_expired = 0;        // spans older than retention.spans, not stored, since Start
  uint64_t log_bytes = 0;            // the durable log's files (with -wal/-shm)
  uint64_t index_bytes = 0;          // index.db: cursor, hourly/daily rollups
  uint64_t days_bytes = 0;           // the day files (spans, content, minute rollups)
  uint64_t wal_bytes = 0;            // of the above, in write-ahead logs
  uint64_t day_files = 0;
  uint64_t oldest_day_ns = 0;        // start of the oldest day file's day; 0 when none
  uint64_t days_dropped = 0;         // day files removed by retention since Start
  uint64_t maintenance_runs = 0;     // maintenance passes since Start
  uint64_t maintenance_errors = 0;   // passes that failed since Start
  uint64_t disk_bytes() const { return log_bytes + index_bytes + days_bytes; }
};

}  // namespace loupe::store
