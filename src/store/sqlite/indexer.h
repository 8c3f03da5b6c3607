// Indexer: turns batches read back from the durable log into the
// queryable tables of index.db — spans, typed LLM-call columns, content
// (compressed, plus full-text), unjoined logs and per-minute rollups —
// and advances the log cursor in the same transaction.
//
// Idempotent: a span whose (trace id, span id) is already stored is
// skipped, and only spans actually inserted reach the rollups, so a
// redelivered or re-read batch is stored and rolled up once.
//
// Used by the store's indexer thread only.
#pragma once

#include <cstdint>
#include <vector>

#include "model/batch.h"
#include "store/sqlite/db.h"

namespace loupe::store::sqlite {

class Indexer {
 public:
  // `index` must outlive the Indexer and be migrated.
  static Result<std::unique_ptr<Indexer>> Create(Db* index);

  // Indexes `batches` in one transaction and sets the cursor to
  // `last_seq`. Appends the newly stored spans to *fresh (pointing into
  // `batches`) and counts the skipped duplicates in *duplicates.
  Status Index(const std::vector<model::Batch>& batches, int64_t last_seq,
               std::vector<const model::SpanRecord*>* fresh, uint64_t* duplicates);

 private:
  explicit Indexer(Db* index) : db_(index) {}
  struct RollupDelta;
  Status InsertSpan(const model::SpanRecord& rec, bool* inserted);
  Status InsertLog(const model::LogRecord& log);
  Status ApplyRollups(const std::vector<RollupDelta>& deltas);

  Db* db_;
  Stmt insert_span_, insert_llm_, insert_content_, insert_fts_, insert_log_;
  Stmt read_rollup_, upsert_rollup_, set_cursor_;
};

// The resource's service.name, "" when unset.
std::string ServiceOf(const model::Span& span);
// Span status error, or an LLM call that reported an error type.
bool IsError(const model::SpanRecord& rec);

}  // namespace loupe::store::sqlite
