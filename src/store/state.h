// Durable state that is not trace data, kept by the store so that one
// data directory holds everything and a restart resumes where it was:
//   - the evaluation queue (pending/finished evaluations, eval/),
//   - small named values (first-seen prompt versions, judge spend per day,
//     alert states, silences),
//   - an append-only journal of events (alert firing/resolved history).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/span.h"

namespace loupe::store {

enum class EvalState : uint8_t { kPending = 0, kDone = 1, kFailed = 2, kSkipped = 3 };
std::string_view EvalStateName(EvalState s);  // "pending", "done", "failed", "skipped"

// One evaluation to run: an evaluator (or rubric) on one LLM call.
// Identity: (trace_id, span_id, evaluator, run) — enqueueing the same
// identity again is a no-op, so a redelivered span is never scored twice.
// `run` is 0 for automatic sampling and a new number for each forced re-run.
struct EvalTask {
  uint64_t id = 0;  // assigned by the store
  model::TraceId trace_id{};
  model::SpanId span_id{};
  std::string evaluator;  // "judge/<rubric>" or a built-in evaluator name
  uint32_t run = 0;
  uint64_t due_ns = 0;       // not before: call end + scoring delay
  uint64_t enqueued_ns = 0;
  EvalState state = EvalState::kPending;
  uint32_t attempts = 0;
  std::string reason;       // why sampled ("rate 0.1 rule chat", "burst prompt v7", "cli")
  std::string error;        // failed/skipped: what went wrong
  std::string raw_answer;   // failed: the judge's last raw answer, kept for inspection
  uint64_t finished_ns = 0;
};

struct EvalTaskQuery {
  std::optional<EvalState> state;
  std::string evaluator;
  std::optional<model::TraceId> trace_id;
  uint64_t since_ns = 0;  // enqueued_ns >= since_ns
  size_t limit = 100;     // capped at 1000; newest first
};

struct EvalQueueStats {
  uint64_t pending = 0, done = 0, failed = 0, skipped = 0;
  uint64_t oldest_pending_due_ns = 0;  // 0 when none pending
};

// One journal entry: `kind` names the stream ("alert"), `payload` is the
// producer's own JSON.
struct JournalEntry {
  uint64_t seq = 0;  // assigned by the store, increasing
  std::string kind;
  uint64_t time_ns = 0;
  std::string payload;
};

struct JournalQuery {
  std::string kind;
  uint64_t since_ns = 0, until_ns = 0;  // on time_ns, [since, until); 0 = open
  size_t limit = 100;                   // newest first; capped at 1000
};

}  // namespace loupe::store
