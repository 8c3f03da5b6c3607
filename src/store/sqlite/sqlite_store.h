// SqliteStore: the embedded Store. Two SQLite files in the data dir:
//
//   log.db    the durable log. Consume appends each group of batches as
//             compressed rows of an index-free table in one transaction
//             (WAL, synchronous=FULL): one fsync per group, then the ack.
//   index.db  the queryable tables, filled by the indexer thread from the
//             log in order; its cursor (meta.indexed_seq) commits with
//             the rows it covers. Indexed log rows are deleted by the
//             next append transaction, so the log stays short.
//
// Threads: Consume (one pipeline thread; serialised by append_mu_), the
// indexer thread, and any number of query threads (serialised on one
// reader connection by query_mu_). Each SQLite connection is used by one
// thread at a time.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "store/sqlite/db.h"
#include "store/sqlite/indexer.h"
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
  StoreStats Stats() override;
  Status WaitForIndexer(std::chrono::milliseconds timeout) override;

  // The directory in use (a temporary one when config.data_dir is empty).
  const std::string& dir() const { return dir_; }

 private:
  Status OpenFiles();
  void IndexLoop();
  // Reads and indexes up to index_batch_limit logged batches; false in
  // *more when the log is drained.
  Status IndexOnce(bool* more);

  const StoreConfig config_;
  std::string dir_;
  bool ephemeral_ = false;
  NewSpansListener listener_;

  std::mutex append_mu_;
  std::unique_ptr<Db> log_;        // GUARDED_BY(append_mu_): appends
  std::unique_ptr<Stmt> append_;   // GUARDED_BY(append_mu_)
  int64_t truncated_through_ = 0;  // GUARDED_BY(append_mu_)

  std::unique_ptr<Db> log_reader_;  // indexer thread only
  std::unique_ptr<Db> index_;       // indexer thread only
  std::unique_ptr<Indexer> indexer_;

  std::mutex query_mu_;
  std::unique_ptr<Db> reader_;  // GUARDED_BY(query_mu_)

  std::mutex mu_;
  std::condition_variable wake_;     // appended, or stopping
  std::condition_variable indexed_;  // the indexer advanced
  bool started_ = false;             // GUARDED_BY(mu_)
  bool stopping_ = false;            // GUARDED_BY(mu_)
  int64_t appended_seq_ = 0;         // GUARDED_BY(mu_)
  int64_t indexed_seq_ = 0;          // GUARDED_BY(mu_)
  // (seq, received_ns) of appended, not yet indexed batches: the lag.
  std::deque<std::pair<int64_t, uint64_t>> pending_;  // GUARDED_BY(mu_)
  Status indexer_error_;             // GUARDED_BY(mu_): the last failure, cleared on success
  std::thread indexer_thread_;

  std::atomic<uint64_t> spans_indexed_{0};
  std::atomic<uint64_t> spans_duplicate_{0};
  std::atomic<uint64_t> corrupt_batches_{0};
};

}  // namespace loupe::store::sqlite
