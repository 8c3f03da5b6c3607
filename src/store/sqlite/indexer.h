// Indexer: writes spans and logs read back from the durable log into the
// queryable tables of one day file (partition.h) — spans, typed LLM-call
// columns, content (compressed, plus full-text), unjoined logs and
// per-minute rollups — and bumps the day's rollup version, all in one
// transaction.
//
// Idempotent: a span whose (trace id, span id) is already stored is
// skipped, and only spans actually inserted reach the rollups, so a
// redelivered or re-read batch is stored and rolled up once.
//
// Used under the owning Partition's mutex.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <vector>

#include "model/batch.h"
#include "store/sqlite/db.h"

namespace loupe::store::sqlite {

class Indexer {
 public:
  // `index` must outlive the Indexer and be migrated.
  static Result<std::unique_ptr<Indexer>> Create(Db* index);

  // Indexes `spans` and `logs` (all of this day) in one transaction.
  // Appends the newly stored spans to *fresh and counts the skipped
  // duplicates in *duplicates. Sets *version to the day's rollup version
  // after the commit.
  Status Index(const std::vector<const model::SpanRecord*>& spans, const std::vector<const model::LogRecord*>& logs,
               std::vector<const model::SpanRecord*>* fresh, uint64_t* duplicates, int64_t* version);

  // Recomputes the per-minute rollups of `minutes` from the LLM calls the
  // day file still holds (after a deletion) and bumps the rollup
  // version. REQUIRES: inside a transaction on the day file.
  Status RebuildMinutes(const std::set<int64_t>& minutes);

 private:
  explicit Indexer(Db* index) : db_(index) {}
  struct RollupDelta;
  Status InsertSpan(const model::SpanRecord& rec, bool* inserted);
  Status InsertLog(const model::LogRecord& log);
  Status ApplyRollups(const std::vector<RollupDelta>& deltas);

  Db* db_;
  Stmt bump_version_;
  Stmt insert_span_, insert_llm_, insert_content_, insert_fts_, insert_log_;
  Stmt read_rollup_, upsert_rollup_, set_cursor_;
};

// The resource's service.name, "" when unset.
std::string ServiceOf(const model::Span& span);
// Span status error, or an LLM call that reported an error type.
bool IsError(const model::SpanRecord& rec);

}  // namespace loupe::store::sqlite
