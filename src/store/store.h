// Store: the durable trace store, the one interface the rest of Loupe
// uses to keep and read back spans. The embedded default is SQLite
// (store/sqlite/); a ClickHouse backend can follow behind the same
// interface.
//
// Writes arrive through model::BatchConsumer::Consume: it returns OK only
// once the whole group of batches is durable (one group commit), which is
// when the receivers may acknowledge the clients. Indexing into the
// queryable tables and rollups happens afterwards on the store's own
// thread; the delay is the indexer lag (Stats()).
//
// Thread safety: Consume is called by one pipeline thread at a time
// (concurrent callers are serialised). Queries and Stats may be called
// from any thread, concurrently with Consume.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <span>

#include "common/result.h"
#include "model/consumer.h"
#include "store/query.h"
#include "store/scores.h"
#include "store/state.h"
#include "store/store_config.h"

namespace loupe::store {

// Receives the spans the indexer found new: each (trace id, span id) is
// reported once over the store's whole life, however often it was
// delivered. Called on the indexer thread after they became queryable;
// must be quick and must not call back into the store.
using NewSpansListener = std::function<void(std::span<const model::SpanRecord* const>)>;

class Store : public model::BatchConsumer {
 public:
  ~Store() override = default;

  // REQUIRES: called before Start.
  virtual void SetNewSpansListener(NewSpansListener listener) = 0;

  // Opens (or creates) the data files, runs schema migrations and starts
  // the indexer, which first catches up with what the log holds. A
  // missing, corrupt or too-new file is an error naming the file.
  virtual Status Start() = 0;

  // Stops the indexer and closes the files. Everything Consume accepted
  // is already durable; what was not yet indexed is indexed at the next
  // Start. Safe without Start and safe to call twice.
  virtual void Shutdown() = 0;

  // Durable group append (see above). Unavailable when not started.
  Status Consume(std::span<model::Batch* const> batches) override = 0;

  // NotFound when no span of the trace is indexed.
  virtual Result<Trace> GetTrace(const model::TraceId& trace_id) = 0;
  virtual Result<TracePage> SearchTraces(const TraceQuery& query) = 0;
  virtual Result<std::vector<RollupRow>> QueryRollups(const RollupQuery& query) = 0;
  virtual Result<SessionPage> ListSessions(const SessionQuery& query) = 0;

  virtual StoreStats Stats() = 0;

  // For /readyz: OK when the store is started, its files are open, the
  // indexer thread runs (when configured) and the last maintenance pass
  // succeeded; otherwise the first problem (Unavailable, or the failing
  // pass's error).
  virtual Status Health() = 0;

  // Runs one maintenance pass now: seals finished days into hourly/daily
  // rollups and enforces retention (also runs in the background every
  // retention.check_interval). Returns the first error of the pass.
  virtual Status RunMaintenance() = 0;

  // Writes an online, consistent copy of the store into `dir` (created;
  // must not already hold a store). Ingest keeps being acknowledged
  // meanwhile; indexing pauses for the copy. Start a store on `dir` to
  // restore.
  virtual Status Backup(const std::string& dir) = 0;

  // Erases every trace with an LLM call by end user `user_id`: spans,
  // content, full-text entries and logs, after indexing what was
  // acknowledged before the call. Per-minute rollups of the affected days
  // are recomputed from what remains and their hour/day rollups rebuilt;
  // hour/day rollups of days whose span files are gone keep their
  // (user-free) aggregates. The user's scores (and every score and
  // evaluation task of the erased traces) go too. Returns the number of
  // spans erased.
  virtual Result<uint64_t> DeleteUser(const std::string& user_id) = 0;

  // --- scores (store/scores.h) ---------------------------------------------
  // Writes scores. A score whose identity (trace, span, evaluator,
  // dimension) already exists is ignored unless `new_version`, which
  // stores it as the next version (the old one stays). Attribution fields
  // left empty are filled from the indexed span. Returns how many were
  // stored. Durable when it returns OK.
  virtual Result<size_t> PutScores(std::vector<Score> scores, bool new_version) = 0;
  virtual Result<ScorePage> QueryScores(const ScoreQuery& query) = 0;
  virtual Result<std::vector<ScoreAggregateRow>> AggregateScores(const ScoreAggregateQuery& query) = 0;

  // --- evaluation queue (store/state.h) ----------------------------------
  // Adds tasks; an existing identity is left as it is. Returns how many
  // were new. Durable when it returns OK.
  virtual Result<size_t> EnqueueEvaluations(std::vector<EvalTask> tasks) = 0;
  // Up to `limit` pending tasks with due_ns <= now_ns, oldest due first,
  // skipping ids in `exclude` (those the caller is already running).
  virtual Result<std::vector<EvalTask>> DueEvaluations(uint64_t now_ns, size_t limit,
                                                       const std::vector<uint64_t>& exclude) = 0;
  // Finishes a task in one transaction with its scores (stored as by
  // PutScores with new_version = task.run > 0): state, error, raw_answer,
  // attempts and finished_ns are taken from `task`. A task that is no
  // longer pending is left alone and its scores are not stored
  // (FailedPrecondition), so a task is never scored twice.
  virtual Status FinishEvaluation(const EvalTask& task, std::vector<Score> scores) = 0;
  // Re-schedules a pending task (retry later): due_ns, attempts, error.
  virtual Status DeferEvaluation(const EvalTask& task) = 0;
  virtual Result<std::vector<EvalTask>> QueryEvaluations(const EvalTaskQuery& query) = 0;
  virtual Result<EvalQueueStats> EvaluationStats() = 0;

  // --- small durable values and the event journal ------------------------
  // `ns` groups keys by owner ("eval.first_seen", "eval.spend", "alert.state",
  // "alert.silence"). Values are opaque bytes and never expire; journal
  // entries older than retention.rollups are dropped by maintenance.
  virtual Result<std::optional<std::string>> GetValue(const std::string& ns, const std::string& key) = 0;
  virtual Status PutValue(const std::string& ns, const std::string& key, const std::string& value) = 0;
  virtual Status DeleteValue(const std::string& ns, const std::string& key) = 0;
  virtual Result<std::vector<std::pair<std::string, std::string>>> ListValues(const std::string& ns) = 0;
  virtual Result<uint64_t> AppendJournal(JournalEntry entry) = 0;  // returns seq
  virtual Result<std::vector<JournalEntry>> QueryJournal(const JournalQuery& query) = 0;

  // Blocks until everything appended before the call is indexed, or the
  // timeout passes (then Unavailable). For tests, benchmarks and a
  // read-your-writes API option.
  virtual Status WaitForIndexer(std::chrono::milliseconds timeout) = 0;
};

// Builds the backend the config names (today: SQLite). Validates the
// config; files are opened by Start.
Result<std::unique_ptr<Store>> OpenStore(const StoreConfig& config);

}  // namespace loupe::store
