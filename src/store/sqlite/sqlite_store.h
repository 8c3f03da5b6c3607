// SqliteStore: the embedded Store. Files in the data dir:
//
//   log.db    the durable log. Consume appends each group of batches as
//             compressed rows of an index-free table in one transaction
//             (WAL, synchronous=FULL): one fsync per group, then the ack.
//   days/YYYY-MM-DD.db  one file per UTC day of span start (partition.h):
//             spans, LLM calls, content + FTS, logs, per-minute rollups.
//   index.db  the indexer's cursor (meta.indexed_seq) and the hourly and
//             daily rollups (rollups.h).
//   state.db  scores, the evaluation queue, values and the journal
//             (state_store.h); index.db's meta.state_db records that it
//             exists, so a lost state.db is an error, not an empty file.
//
// The indexer thread reads the log in order, commits each day file it
// touches, then the cursor. Indexed log rows are deleted by the next
// append transaction, so the log stays short. The maintenance thread
// seals finished days into hour/day rollups and enforces retention.
//
// Locks, outermost first: work_mu_ (the indexer, maintenance, Backup,
// DeleteUser: everything that writes index.db or a day file), query_mu_
// (reader connections), parts_mu_ (the day map), mu_ (counters), then
// StateStore's own lock (a leaf). The ack path takes append_mu_ and mu_
// only, so retention never stalls it; scores and the evaluation queue
// take only the state lock (and query_mu_ briefly, to attribute scores).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "store/sqlite/db.h"
#include "store/sqlite/partition.h"
#include "store/sqlite/queries.h"
#include "store/sqlite/state_store.h"
#include "store/store.h"

namespace loupe::store::sqlite {

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(StoreConfig config);
  ~SqliteStore() override;  // Shutdown()

  void SetNewSpansListener(NewSpansListener listener) override;
  Status Start() override;
  void Shutdown() override;
  Status Consume(std::span<model::Batch* const> batches) override;

  Result<Trace> GetTrace(const model::TraceId& trace_id) override;
  Result<TracePage> SearchTraces(const TraceQuery& query) override;
  Result<std::vector<RollupRow>> QueryRollups(const RollupQuery& query) override;
  Result<SessionPage> ListSessions(const SessionQuery& query) override;
  StoreStats Stats() override;
  Status Health() override;
  Status RunMaintenance() override;
  Status Backup(const std::string& dir) override;
  Result<uint64_t> DeleteUser(const std::string& user_id) override;
  Status WaitForIndexer(std::chrono::milliseconds timeout) override;

  Result<size_t> PutScores(std::vector<Score> scores, bool new_version) override;
  Result<ScorePage> QueryScores(const ScoreQuery& query) override;
  Result<std::vector<ScoreAggregateRow>> AggregateScores(const ScoreAggregateQuery& query) override;
  Result<size_t> EnqueueEvaluations(std::vector<EvalTask> tasks) override;
  Result<std::vector<EvalTask>> DueEvaluations(uint64_t now_ns, size_t limit,
                                               const std::vector<uint64_t>& exclude) override;
  Status FinishEvaluation(const EvalTask& task, std::vector<Score> scores) override;
  Status DeferEvaluation(const EvalTask& task) override;
  Result<std::vector<EvalTask>> QueryEvaluations(const EvalTaskQuery& query) override;
  Result<EvalQueueStats> EvaluationStats() override;
  Result<std::optional<std::string>> GetValue(const std::string& ns, const std::string& key) override;
  Status PutValue(const std::string& ns, const std::string& key, const std::string& value) override;
  Status DeleteValue(const std::string& ns, const std::string& key) override;
  Result<std::vector<std::pair<std::string, std::string>>> ListValues(const std::string& ns) override;
  Result<uint64_t> AppendJournal(JournalEntry entry) override;
  Result<std::vector<JournalEntry>> QueryJournal(const JournalQuery& query) override;

  // The directory in use (a temporary one when config.data_dir is empty).
  const std::string& dir() const { return dir_; }

 private:
  Status OpenFiles();
  Status OpenDays();
  // Opens state.db (created on first start, and when upgrading a store
  // from before it existed). REQUIRES: index_ open.
  Status OpenState();
  // The state file, or Unavailable when the store is not running.
  Result<std::shared_ptr<StateStore>> State();
  // Fills the attribution of scores whose call_start_ns is 0 from the
  // indexed span (or the trace's first LLM call), and created_ns.
  Status Attribute(std::vector<Score>* scores);
  // Per-call (user/session) rollups, from the day files.
  Result<std::vector<RollupRow>> QueryCallRollups(const RollupQuery& query);
  // Version 1 kept spans in index.db: copy them into day files, then
  // drop the old tables. Idempotent (re-copying is deduplicated).
  Status MoveV1Data();
  void IndexLoop();
  void MaintenanceLoop();
  // Reads and indexes up to index_batch_limit logged batches; false in
  // *more when the log is drained. REQUIRES: work_mu_.
  Status IndexOnce(bool* more);
  // Indexes decoded batches (received at `received_ns`) into day files.
  // REQUIRES: work_mu_.
  Status IndexBatches(const std::vector<std::pair<model::Batch, uint64_t>>& batches,
                      std::vector<const model::SpanRecord*>* fresh, uint64_t* duplicates);
  // The day file of `day`, created when missing. REQUIRES: work_mu_.
  Result<std::shared_ptr<Partition>> DayFile(int64_t day);
  std::vector<std::shared_ptr<Partition>> DaysSnapshot();
  // REQUIRES: work_mu_. Seals (if stale), closes and removes a day file.
  Status DropDay(const std::shared_ptr<Partition>& p);
  Status DropContent(Partition* p);
  // Removes raw content attributes/events from the span and log bodies
  // of a day file (content_strip.h). REQUIRES: work_mu_.
  Status StripRawContent(Db* db);
  Status SealIfStale(Partition* p);
  // First day kept by a retention of `keep` at `now`.
  static int64_t FirstKeptDay(uint64_t now, std::chrono::seconds keep);
  uint64_t Now() const { return clock_->NowUnixNanos(); }

  const StoreConfig config_;
  const Clock* clock_;
  std::string dir_;
  std::string sync_;
  bool ephemeral_ = false;
  NewSpansListener listener_;

  std::mutex append_mu_;
  std::unique_ptr<Db> log_;        // GUARDED_BY(append_mu_): appends
  std::unique_ptr<Stmt> append_;   // GUARDED_BY(append_mu_)
  int64_t truncated_through_ = 0;  // GUARDED_BY(append_mu_)

  std::mutex work_mu_;
  std::unique_ptr<Db> log_reader_;  // GUARDED_BY(work_mu_)
  std::unique_ptr<Db> index_;       // GUARDED_BY(work_mu_): index.db writer

  std::mutex query_mu_;
  std::unique_ptr<Db> reader_;  // GUARDED_BY(query_mu_): index.db reader

  std::mutex parts_mu_;
  std::map<int64_t, std::shared_ptr<Partition>> parts_;  // GUARDED_BY(parts_mu_)

  std::mutex mu_;
  std::condition_variable wake_;     // appended, or stopping
  std::condition_variable indexed_;  // the indexer advanced
  std::condition_variable maint_wake_;  // stopping
  bool started_ = false;             // GUARDED_BY(mu_)
  bool stopping_ = false;            // GUARDED_BY(mu_)
  int64_t appended_seq_ = 0;         // GUARDED_BY(mu_)
  int64_t indexed_seq_ = 0;          // GUARDED_BY(mu_)
  // (seq, received_ns) of appended, not yet indexed batches: the lag.
  std::deque<std::pair<int64_t, uint64_t>> pending_;  // GUARDED_BY(mu_)
  Status indexer_error_;             // GUARDED_BY(mu_): the last failure, cleared on success
  Status maintenance_error_;         // GUARDED_BY(mu_): the last pass's first error
  bool indexer_running_ = false;     // GUARDED_BY(mu_): the indexer thread is in its loop
  std::shared_ptr<StateStore> state_;  // GUARDED_BY(mu_); set by Start, reset by Shutdown
  std::thread indexer_thread_;
  std::thread maintenance_thread_;

  std::atomic<uint64_t> spans_indexed_{0};
  std::atomic<uint64_t> spans_duplicate_{0};
  std::atomic<uint64_t> spans_expired_{0};
  std::atomic<uint64_t> corrupt_batches_{0};
  std::atomic<uint64_t> days_dropped_{0};
  std::atomic<uint64_t> maintenance_runs_{0};
  std::atomic<uint64_t> maintenance_errors_{0};
};

// The readers of `days` (sorted oldest first), newest first.
// REQUIRES: the store's query lock.
Result<std::vector<DayReader>> Readers(const std::vector<std::shared_ptr<Partition>>& days);

}  // namespace loupe::store::sqlite
