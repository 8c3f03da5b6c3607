// The read side of the SQLite store: trace fetch, trace search and
// rollup queries over index.db. Each function takes the connection the
// caller holds exclusively (SqliteStore's reader, under its lock).
#pragma once

#include "store/query.h"
#include "store/sqlite/db.h"

namespace loupe::store::sqlite {

// Registers loupe_hist_merge(blob), the aggregate that merges latency
// histograms, on `db`.
Status RegisterFunctions(Db* db);

Result<Trace> GetTrace(Db* db, const model::TraceId& trace_id);
Result<TracePage> SearchTraces(Db* db, const TraceQuery& query);
Result<std::vector<RollupRow>> QueryRollups(Db* db, const RollupQuery& query);

// Orders spans parent-first, siblings by start time, and sets depths.
// Spans whose parent is absent are roots. Exposed for tests.
void OrderAsTree(std::vector<Trace::Node>* spans);

}  // namespace loupe::store::sqlite
