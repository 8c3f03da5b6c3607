// The read side of the SQLite store: trace fetch and trace search over
// the day files (partition.h). Each function takes connections the
// caller holds exclusively (SqliteStore's readers, under its query lock).
// Rollup queries are in rollups.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/query.h"
#include "store/sqlite/db.h"

namespace loupe::store::sqlite {

// Registers on `db` the aggregates loupe_hist_merge(blob), which merges
// latency histograms, and loupe_hist_add(duration_ns), which builds one.
Status RegisterFunctions(Db* db);

// Attaches state.db as "st" (once per connection), for the score_below
// trace filter.
Status AttachState(Db* db, const std::string& state_path);

// A day file open for reading.
struct DayReader {
  int64_t day = 0;
  Db* db = nullptr;
};

// Looks in every day (a trace may cross midnight). NotFound when no span
// of the trace is stored.
Result<Trace> GetTrace(const std::vector<DayReader>& days, const model::TraceId& trace_id);
// `days` newest first. A trace's sort time is the earliest start of its
// matching spans, looked up in the day it was found and the day before
// (traces longer than a day may sort by a later start).
Result<TracePage> SearchTraces(const std::vector<DayReader>& days, const TraceQuery& query);

// Rollup rows computed from the LLM calls of `days` (for the per-call
// dimensions user and session, which no rollup table keeps), with the
// rollups' semantics: calls that count usage, whose minute starts in range.
Result<std::vector<RollupRow>> QueryCallRollups(const std::vector<DayReader>& days, const RollupQuery& query);

// `days` newest first. Sessions by latest activity, newest first.
Result<SessionPage> ListSessions(const std::vector<DayReader>& days, const SessionQuery& query);

// Orders spans parent-first, siblings by start time, and sets depths.
// Spans whose parent is absent are roots. Exposed for tests.
void OrderAsTree(std::vector<Trace::Node>* spans);

}  // namespace loupe::store::sqlite
