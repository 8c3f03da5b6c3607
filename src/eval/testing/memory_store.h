// MemoryStore: a store::Store in memory for the evaluator's tests. It
// implements the scores, evaluation queue and value methods with the
// semantics store.h documents (identity dedup, versions, FinishEvaluation
// only on pending tasks), plus just enough of the trace side (GetTrace,
// SearchTraces by feature/time, QueryRollups with `where`) for /compare
// and `eval run`. Thread-safe. One object outlives "restarts" of the
// evaluator, as a data directory would.
#pragma once

#include <map>
#include <mutex>
#include <vector>

#include "store/store.h"

namespace loupe::eval::testing {

class MemoryStore final : public store::Store {
 public:
  // Adds spans as if ingested and indexed; calls the listener with the new ones.
  void Add(std::vector<model::SpanRecord> records);

  void SetNewSpansListener(store::NewSpansListener l) override { listener_ = std::move(l); }
  Status Start() override { return Status::Ok(); }
  void Shutdown() override {}
  Status Consume(std::span<model::Batch* const> batches) override;
  Result<store::Trace> GetTrace(const model::TraceId& trace_id) override;
  Result<store::TracePage> SearchTraces(const store::TraceQuery& query) override;
  Result<std::vector<store::RollupRow>> QueryRollups(const store::RollupQuery& query) override;
  Result<store::SessionPage> ListSessions(const store::SessionQuery&) override { return store::SessionPage{}; }
  store::StoreStats Stats() override { return {}; }
  Status Health() override { return Status::Ok(); }
  Status RunMaintenance() override { return Status::Ok(); }
  Status Backup(const std::string&) override { return Status::FailedPrecondition("memory store"); }
  Result<uint64_t> DeleteUser(const std::string&) override { return Status::FailedPrecondition("memory store"); }
  Status WaitForIndexer(std::chrono::milliseconds) override { return Status::Ok(); }

  Result<size_t> PutScores(std::vector<store::Score> scores, bool new_version) override;
  Result<store::ScorePage> QueryScores(const store::ScoreQuery& query) override;
  Result<std::vector<store::ScoreAggregateRow>> AggregateScores(const store::ScoreAggregateQuery& query) override;
  Result<size_t> EnqueueEvaluations(std::vector<store::EvalTask> tasks) override;
  Result<std::vector<store::EvalTask>> DueEvaluations(uint64_t now_ns, size_t limit,
                                                      const std::vector<uint64_t>& exclude) override;
  Status FinishEvaluation(const store::EvalTask& task, std::vector<store::Score> scores) override;
  Status DeferEvaluation(const store::EvalTask& task) override;
  Result<std::vector<store::EvalTask>> QueryEvaluations(const store::EvalTaskQuery& query) override;
  Result<store::EvalQueueStats> EvaluationStats() override;
  Result<std::optional<std::string>> GetValue(const std::string& ns, const std::string& key) override;
  Status PutValue(const std::string& ns, const std::string& key, const std::string& value) override;
  Status DeleteValue(const std::string& ns, const std::string& key) override;
  Result<std::vector<std::pair<std::string, std::string>>> ListValues(const std::string& ns) override;
  Result<uint64_t> AppendJournal(store::JournalEntry) override { return Status::FailedPrecondition("memory store"); }
  Result<std::vector<store::JournalEntry>> QueryJournal(const store::JournalQuery&) override {
    return Status::FailedPrecondition("memory store");
  }

  // Test inspection.
  std::vector<store::Score> AllScores();
  std::vector<store::EvalTask> AllTasks();
  size_t finish_rejections() const;

 private:
  Status PutScoresLocked(std::vector<store::Score> scores, bool new_version, size_t* stored);
  const model::SpanRecord* FindLocked(const model::TraceId& t, const model::SpanId& s) const;

  store::NewSpansListener listener_;
  mutable std::mutex mu_;
  std::map<model::TraceId, std::vector<model::SpanRecord>> traces_;
  std::vector<store::Score> scores_;
  std::vector<store::EvalTask> tasks_;
  std::map<std::pair<std::string, std::string>, std::string> values_;
  size_t finish_rejections_ = 0;
};

}  // namespace loupe::eval::testing
