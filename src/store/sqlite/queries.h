// The read side of the SQLite store: trace fetch and trace search over
// the day files (partition.h). Each function takes connections the
// caller holds exclusively (SqliteStore's readers, under its query lock).
// Rollup queries are in rollups.h.
#pragma once

#include <cstdint>
#include <vector>

#include "store/query.h"
#include "store/sqlite/db.h"

namespace loupe::store::sqlite {

// Registers loupe_hist_merge(blob), the aggregate that merges latency
// histograms, on `db`.
Status RegisterFunctions(Db* db);

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

// Orders spans parent-first, siblings by start time, and sets depths.
// Spans whose parent is absent are roots. Exposed for tests.
void OrderAsTree(std::vector<Trace::Node>* spans);

}  // namespace loupe::store::sqlite
